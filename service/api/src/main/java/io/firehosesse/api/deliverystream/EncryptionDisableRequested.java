package io.firehosesse.api.deliverystream;

import java.time.Instant;

/** An accepted Stop: the stream is DISABLING; {@code grantToRetire} is null for the AWS-owned key. */
public record EncryptionDisableRequested(String streamId, String attemptId, GrantRef grantToRetire, Instant requestedAt) {
}
