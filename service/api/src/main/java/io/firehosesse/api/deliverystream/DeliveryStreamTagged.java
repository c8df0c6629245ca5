package io.firehosesse.api.deliverystream;

import java.time.Instant;
import java.util.Map;

public record DeliveryStreamTagged(String streamId, Map<String, String> tags, Instant taggedAt) {
}
