package io.firehosesse.api.deliverystream;

/** A KMS grant a stream holds: the key it is on (its key ARN) and its id. */
public record GrantRef(String keyId, String grantId) {
}
