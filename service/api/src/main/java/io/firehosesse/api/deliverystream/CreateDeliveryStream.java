package io.firehosesse.api.deliverystream;

import java.time.Instant;
import java.util.Map;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates a stream; {@code encryption} may be null. */
public record CreateDeliveryStream(@TargetAggregateIdentifier String streamId, StreamKey key, DeliveryStreamType type, KinesisStreamSource kinesisSource, List<Destination> destinations, Map<String, String> tags, EncryptionRequest encryption, String callerPrincipal, Instant credentialsIssuedAt, String attemptId) {
}
