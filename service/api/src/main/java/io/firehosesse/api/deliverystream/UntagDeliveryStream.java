package io.firehosesse.api.deliverystream;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Removes tags; keys the stream does not have are ignored, as AWS does. */
public record UntagDeliveryStream(@TargetAggregateIdentifier String streamId, List<String> tagKeys) {
}
