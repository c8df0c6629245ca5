package io.firehosesse.api.deliverystream;

import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Adds or overwrites tags. */
public record TagDeliveryStream(@TargetAggregateIdentifier String streamId, Map<String, String> tags) {
}
