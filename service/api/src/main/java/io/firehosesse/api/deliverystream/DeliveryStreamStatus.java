package io.firehosesse.api.deliverystream;

/** The lifecycle states AWS reports in {@code DeliveryStreamStatus}. */
public enum DeliveryStreamStatus {
    CREATING,
    CREATING_FAILED,
    DELETING,
    DELETING_FAILED,
    ACTIVE
}
