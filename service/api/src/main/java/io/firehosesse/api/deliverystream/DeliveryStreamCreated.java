package io.firehosesse.api.deliverystream;

import java.time.Instant;
import java.util.List;
import java.util.Map;

public record DeliveryStreamCreated(String streamId, StreamKey key, String arn, DeliveryStreamType type, KinesisStreamSource kinesisSource, List<Destination> destinations, Map<String, String> tags, EncryptionRequest encryption, Instant createdAt) {
}
