package io.firehosesse.api.deliverystream;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The process manager's word that SSE without a grant to retire (the AWS-owned key) is off. */
public record CompleteEncryptionDisabling(@TargetAggregateIdentifier String streamId, String attemptId) {
}
