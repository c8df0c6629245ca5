package io.firehosesse.api.deliverystream;

/** Where a stream's records come from; the constants are the AWS enum values. */
public enum DeliveryStreamType {
    DirectPut,
    KinesisStreamAsSource,
    MSKAsSource,
    DatabaseAsSource
}
