package io.firehosesse.api.deliverystream;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The data plane's word that the key in force refused to produce a data key, so records are being refused. */
public record ReportKeyFault(@TargetAggregateIdentifier String streamId, String keyArn, DeliveryStreamFailureType failureType,
                             String details) {
}
