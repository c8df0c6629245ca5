package io.firehosesse.api.deliverystream;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The data plane's word that the key in force produces data keys again after a reported fault. */
public record ReportKeyRecovered(@TargetAggregateIdentifier String streamId, String keyArn) {
}
