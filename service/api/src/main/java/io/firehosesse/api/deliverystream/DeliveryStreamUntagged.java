package io.firehosesse.api.deliverystream;

import java.time.Instant;
import java.util.List;

public record DeliveryStreamUntagged(String streamId, List<String> tagKeys, Instant untaggedAt) {
}
