package io.firehosesse.api.deliverystream;

import java.time.Instant;

/** SSE could not be turned off cleanly (its grant could not be retired). */
public record EncryptionDisableFailed(String streamId, DeliveryStreamFailureType failureType, String details, Instant failedAt) {
}
