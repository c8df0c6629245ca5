package io.firehosesse.api.deliverystream;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Asks for SSE with a key; {@code credentialsIssuedAt} is null for long-term credentials. */
public record StartDeliveryStreamEncryption(@TargetAggregateIdentifier String streamId, KeyType keyType, String keyArn, String callerPrincipal, Instant credentialsIssuedAt, String attemptId) {
}
