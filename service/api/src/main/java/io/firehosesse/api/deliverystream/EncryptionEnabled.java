package io.firehosesse.api.deliverystream;

import java.time.Instant;

/** The requested key is in force. */
public record EncryptionEnabled(String streamId, String attemptId, KeyChoice key, Instant enabledAt) {
}
