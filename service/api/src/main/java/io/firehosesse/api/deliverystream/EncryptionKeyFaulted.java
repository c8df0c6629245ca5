package io.firehosesse.api.deliverystream;

import java.time.Instant;

/**
 * The key in force stopped working on the data path (disabled, deleted, grant revoked) after encryption was
 * ENABLED: records are refused rather than stored in plain, and Describe shows the failure on the encryption.
 */
public record EncryptionKeyFaulted(String streamId, KeyChoice key, DeliveryStreamFailureType failureType, String details,
                                   Instant faultedAt) {
}
