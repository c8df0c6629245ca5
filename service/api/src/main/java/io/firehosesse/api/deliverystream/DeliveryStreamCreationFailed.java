package io.firehosesse.api.deliverystream;

import java.time.Instant;

/** Creation ended in CREATING_FAILED (the requested key could not be used). */
public record DeliveryStreamCreationFailed(String streamId, DeliveryStreamFailureType failureType, String details, Instant failedAt) {
}
