package io.firehosesse.api.deliverystream;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A grant the stream scheduled for retirement could not be retired. */
public record FailGrantRetirement(@TargetAggregateIdentifier String streamId, String grantId, String details) {
}
