package io.firehosesse.kms;

/**
 * A key's usability may have dropped (disabled, deletion scheduled, policy replaced, a grant retired or
 * revoked): whoever caches material obtained under it must ask KMS again.
 */
public record KmsKeyChanged(String keyId) {
}
