package io.firehosesse.api.deliverystream;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stream was created. {@code source} (an MSK or Database source) came later than the other members: events stored
 * before it read back with it null, which is what they meant.
 */
public record DeliveryStreamCreated(String streamId, StreamKey key, String arn, DeliveryStreamType type, KinesisStreamSource kinesisSource, List<Destination> destinations, Map<String, String> tags, EncryptionRequest encryption, Instant createdAt, SourceConfiguration source) {

    /** A stream without an MSK or Database source. */
    public DeliveryStreamCreated(String streamId, StreamKey key, String arn, DeliveryStreamType type, KinesisStreamSource kinesisSource, List<Destination> destinations, Map<String, String> tags, EncryptionRequest encryption, Instant createdAt) {
        this(streamId, key, arn, type, kinesisSource, destinations, tags, encryption, createdAt, null);
    }
}
