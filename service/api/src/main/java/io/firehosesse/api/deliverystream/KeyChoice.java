package io.firehosesse.api.deliverystream;

/**
 * A key a stream asked for or has in force: the type, the KeyARN as the caller gave it (possibly an
 * alias ARN), and the key ARN it resolved to (null for the AWS-owned key).
 */
public record KeyChoice(KeyType keyType, String keyArn, String keyId) {
}
