package io.firehosesse.api.deliverystream;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A grant the stream scheduled for retirement is retired. */
public record CompleteGrantRetirement(@TargetAggregateIdentifier String streamId, String grantId) {
}
