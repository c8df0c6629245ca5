package io.firehosesse.api.deliverystream;

import java.time.Instant;

/** Deletion ended in DELETING_FAILED. */
public record DeliveryStreamDeletionFailed(String streamId, DeliveryStreamFailureType failureType, String details, Instant failedAt) {
}
