package io.firehosesse.api.deliverystream;

/** The failure types of AWS's {@code FailureDescription} that this service produces. */
public enum DeliveryStreamFailureType {
    RETIRE_KMS_GRANT_FAILED,
    CREATE_KMS_GRANT_FAILED,
    KMS_ACCESS_DENIED,
    DISABLED_KMS_KEY,
    INVALID_KMS_KEY,
    KMS_KEY_NOT_FOUND,
    KMS_OPT_IN_REQUIRED,
    UNKNOWN_ERROR
}
