package io.firehosesse.api.deliverystream;

import java.time.Instant;

/** The requested key could not be put in force; {@code stillInForce} is the old key that keeps encrypting, or null. */
public record EncryptionFailed(String streamId, String attemptId, KeyChoice requested, KeyChoice stillInForce, DeliveryStreamFailureType failureType, String details, Instant failedAt) {
}
