package io.firehosesse.api.deliverystream;

import java.time.Instant;

/** The key in force works on the data path again after {@link EncryptionKeyFaulted}. */
public record EncryptionKeyRecovered(String streamId, KeyChoice key, Instant recoveredAt) {
}
