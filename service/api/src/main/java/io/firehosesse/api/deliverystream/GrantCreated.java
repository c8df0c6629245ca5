package io.firehosesse.api.deliverystream;

import java.time.Instant;

/** Firehose holds a new grant on a customer managed key. */
public record GrantCreated(String streamId, String attemptId, GrantRef grant, String grantName, Instant createdAt) {
}
