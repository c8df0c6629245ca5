package io.firehosesse.api.deliverystream;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Ends creation: the stream becomes ACTIVE (sent by the lifecycle process, idempotent). */
public record ActivateDeliveryStream(@TargetAggregateIdentifier String streamId) {
}
