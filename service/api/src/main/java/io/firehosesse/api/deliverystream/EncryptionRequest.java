package io.firehosesse.api.deliverystream;

/** The key a caller asked for; {@code keyArn} is present exactly when the key type is customer managed. */
public record EncryptionRequest(KeyType keyType, String keyArn) {
}
