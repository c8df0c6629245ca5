package io.firehosesse.api.deliverystream;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Ends deletion: the stream is gone (sent by the lifecycle process, idempotent). */
public record CompleteDeliveryStreamDeletion(@TargetAggregateIdentifier String streamId) {
}
