package io.firehosesse.kms;

/** A tag on a KMS key; the value may be empty, as in KMS. */
public record KmsTag(String tagKey, String tagValue) {
}
