package io.firehosesse.api.deliverystream;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The process manager's word that the requested key cannot be used. */
public record FailEncryptionEnabling(@TargetAggregateIdentifier String streamId, String attemptId, DeliveryStreamFailureType failureType, String details) {
}
