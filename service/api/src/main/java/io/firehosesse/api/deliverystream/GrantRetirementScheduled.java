package io.firehosesse.api.deliverystream;

import java.time.Instant;

/** A grant the stream no longer needs is to be retired. */
public record GrantRetirementScheduled(String streamId, GrantRef grant, Instant scheduledAt) {
}
