package io.firehosesse.api.deliverystream;

import java.time.Instant;

public record DeliveryStreamDeleted(String streamId, Instant deletedAt) {
}
