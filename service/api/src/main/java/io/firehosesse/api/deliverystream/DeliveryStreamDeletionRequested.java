package io.firehosesse.api.deliverystream;

import java.time.Instant;

public record DeliveryStreamDeletionRequested(String streamId, boolean allowForceDelete, Instant requestedAt) {
}
