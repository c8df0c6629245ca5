package io.firehosesse.api.deliverystream;

/** Where a stream's records come from; the constants are the AWS enum values. */
public enum DeliveryStreamType {
    DirectPut("DirectPutSourceConfiguration"),
    KinesisStreamAsSource("KinesisStreamSourceConfiguration"),
    MSKAsSource("MSKSourceConfiguration"),
    DatabaseAsSource("DatabaseSourceConfiguration");

    private final String sourceConfigurationMember;

    DeliveryStreamType(String sourceConfigurationMember) {
        this.sourceConfigurationMember = sourceConfigurationMember;
    }

    /** The CreateDeliveryStream member that configures this type's source, named in error messages. */
    public String sourceConfigurationMember() {
        return sourceConfigurationMember;
    }
}
