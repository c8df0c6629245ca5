package io.firehosesse.api.deliverystream;

import java.util.Map;

/**
 * A destination as the caller configured it. The settings are kept as given (a JSON document already
 * checked against the AWS model at the edge): the domain routes no records yet, so it has no reason
 * to interpret them, and keeping them whole means Describe returns exactly what was sent.
 */
public record Destination(String destinationId, DestinationKind kind, Map<String, Object> settings) {

    public Destination {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }
}
