package io.firehosesse.api.deliverystream;

import java.time.Instant;

public record DeliveryStreamActivated(String streamId, Instant activatedAt) {
}
