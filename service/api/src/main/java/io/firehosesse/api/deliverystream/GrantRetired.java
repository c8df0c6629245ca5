package io.firehosesse.api.deliverystream;

import java.time.Instant;

/** A grant is retired. */
public record GrantRetired(String streamId, GrantRef grant, Instant retiredAt) {
}
