package io.firehosesse.api.deliverystream;

import java.time.Instant;
import java.util.Map;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates a stream; {@code encryption}, {@code kinesisSource} and {@code source} (MSK or Database) may be null. */
public record CreateDeliveryStream(@TargetAggregateIdentifier String streamId, StreamKey key, DeliveryStreamType type, KinesisStreamSource kinesisSource, List<Destination> destinations, Map<String, String> tags, EncryptionRequest encryption, String callerPrincipal, Instant credentialsIssuedAt, String attemptId, SourceConfiguration source) {

    /** A stream without an MSK or Database source. */
    public CreateDeliveryStream(String streamId, StreamKey key, DeliveryStreamType type, KinesisStreamSource kinesisSource, List<Destination> destinations, Map<String, String> tags, EncryptionRequest encryption, String callerPrincipal, Instant credentialsIssuedAt, String attemptId) {
        this(streamId, key, type, kinesisSource, destinations, tags, encryption, callerPrincipal, credentialsIssuedAt, attemptId, null);
    }
}
