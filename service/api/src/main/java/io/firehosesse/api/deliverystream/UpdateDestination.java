package io.firehosesse.api.deliverystream;

import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Updates one destination (UpdateDestination): {@code settings} are the given update's members, named as in the
 * configuration shape of {@code kind} ({@code S3Update} already {@code S3Configuration}).
 */
public record UpdateDestination(@TargetAggregateIdentifier String streamId, String currentVersionId, String destinationId,
                                DestinationKind kind, Map<String, Object> settings) {
}
