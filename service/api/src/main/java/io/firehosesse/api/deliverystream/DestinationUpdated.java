package io.firehosesse.api.deliverystream;

import java.time.Instant;

/** A destination was updated: {@code destination} is the whole of it afterwards, and the stream is at {@code versionId}. */
public record DestinationUpdated(String streamId, Destination destination, long versionId, Instant updatedAt) {
}
