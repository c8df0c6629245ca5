package io.firehosesse.api.deliverystream;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Asks for SSE to be turned off. */
public record StopDeliveryStreamEncryption(@TargetAggregateIdentifier String streamId, String attemptId) {
}
