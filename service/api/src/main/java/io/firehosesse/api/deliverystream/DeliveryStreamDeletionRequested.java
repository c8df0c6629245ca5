package io.firehosesse.api.deliverystream;

import java.time.Instant;
import java.util.List;

public record DeliveryStreamDeletionRequested(String streamId, boolean allowForceDelete, List<GrantRef> grantsToRetire, Instant requestedAt) {
}
