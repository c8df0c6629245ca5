package io.firehosesse.api.deliverystream;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The process manager's word that the requested key is ready; {@code grantId} is null when no new grant was needed. */
public record CompleteEncryptionEnabling(@TargetAggregateIdentifier String streamId, String attemptId, String grantId, String grantName) {
}
