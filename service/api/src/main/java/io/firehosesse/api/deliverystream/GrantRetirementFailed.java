package io.firehosesse.api.deliverystream;

import java.time.Instant;

/** Retiring a grant failed; it stays scheduled. */
public record GrantRetirementFailed(String streamId, GrantRef grant, String details, Instant failedAt) {
}
