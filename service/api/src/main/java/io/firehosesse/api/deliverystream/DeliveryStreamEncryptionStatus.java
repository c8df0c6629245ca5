package io.firehosesse.api.deliverystream;

/** The SSE states AWS reports in {@code DeliveryStreamEncryptionConfiguration.Status}. */
public enum DeliveryStreamEncryptionStatus {
    ENABLED,
    ENABLING,
    ENABLING_FAILED,
    DISABLED,
    DISABLING,
    DISABLING_FAILED
}
