package io.firehosesse.awsjson.firehose;

import io.firehosesse.api.deliverystream.DestinationKind;
import java.util.EnumMap;
import java.util.Map;

/**
 * How each destination type is named on the wire. The model names every type's members and shapes alike:
 * {@code <Type>DestinationConfiguration} in CreateDeliveryStream, {@code <Type>DestinationUpdate} in
 * UpdateDestination, {@code <Type>DestinationDescription} in DescribeDeliveryStream.
 */
final class DestinationTypes {

    private static final Map<DestinationKind, String> WIRE_NAMES = new EnumMap<>(Map.of(
            DestinationKind.S3, "S3",
            DestinationKind.EXTENDED_S3, "ExtendedS3",
            DestinationKind.REDSHIFT, "Redshift",
            DestinationKind.ELASTICSEARCH, "Elasticsearch",
            DestinationKind.AMAZON_OPENSEARCH_SERVICE, "Amazonopensearchservice",
            DestinationKind.AMAZON_OPENSEARCH_SERVERLESS, "AmazonOpenSearchServerless",
            DestinationKind.SPLUNK, "Splunk",
            DestinationKind.HTTP_ENDPOINT, "HttpEndpoint",
            DestinationKind.SNOWFLAKE, "Snowflake",
            DestinationKind.ICEBERG, "Iceberg"));

    static {
        if (WIRE_NAMES.size() != DestinationKind.values().length) {
            throw new IllegalStateException("A DestinationKind has no wire name");
        }
    }

    private DestinationTypes() {
    }

    static String configurationMember(DestinationKind kind) {
        return WIRE_NAMES.get(kind) + "DestinationConfiguration";
    }

    static String updateMember(DestinationKind kind) {
        return WIRE_NAMES.get(kind) + "DestinationUpdate";
    }

    static String descriptionMember(DestinationKind kind) {
        return WIRE_NAMES.get(kind) + "DestinationDescription";
    }
}
