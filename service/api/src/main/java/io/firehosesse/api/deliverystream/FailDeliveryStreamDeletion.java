package io.firehosesse.api.deliverystream;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Deletion could not finish (a grant could not be retired). */
public record FailDeliveryStreamDeletion(@TargetAggregateIdentifier String streamId, DeliveryStreamFailureType failureType, String details) {
}
