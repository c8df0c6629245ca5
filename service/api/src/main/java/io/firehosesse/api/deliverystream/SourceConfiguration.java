package io.firehosesse.api.deliverystream;

import java.util.Map;

/**
 * An MSK or Database source as the caller configured it ({@code MSKSourceConfiguration},
 * {@code DatabaseSourceConfiguration}), kept as given like a destination's settings; {@code type} is the stream type
 * the configuration is for, so a configuration given with another type can be refused.
 */
public record SourceConfiguration(DeliveryStreamType type, Map<String, Object> settings) {

    public SourceConfiguration {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }
}
