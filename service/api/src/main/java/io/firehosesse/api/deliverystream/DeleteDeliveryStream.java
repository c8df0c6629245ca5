package io.firehosesse.api.deliverystream;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Starts deletion: the stream becomes DELETING. */
public record DeleteDeliveryStream(@TargetAggregateIdentifier String streamId, boolean allowForceDelete) {
}
