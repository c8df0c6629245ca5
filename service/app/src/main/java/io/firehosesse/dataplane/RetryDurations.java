package io.firehosesse.dataplane;

import io.firehosesse.api.deliverystream.DestinationKind;
import java.util.EnumMap;
import java.util.Map;

/**
 * How long a destination that fails is tried again before its records go to the S3 backup, when its
 * {@code RetryOptions} give no {@code DurationInSeconds}. The delivery retries by these and Describe shows them
 * (awsjson.firehose.DestinationDefaults), so they live here once. Documented in the model: Redshift 3600 s,
 * OpenSearch 300 s; chosen where AWS is silent (docs/behaviour.md, "Destinations"): Splunk 3600 s, HTTP endpoint and
 * Iceberg 300 s, Snowflake 60 s. S3 has no retry duration: it is retried for the whole retention period.
 */
public final class RetryDurations {

    private static final Map<DestinationKind, Integer> SECONDS = new EnumMap<>(Map.of(
            DestinationKind.REDSHIFT, 3600,
            DestinationKind.ELASTICSEARCH, 300,
            DestinationKind.AMAZON_OPENSEARCH_SERVICE, 300,
            DestinationKind.AMAZON_OPENSEARCH_SERVERLESS, 300,
            DestinationKind.SPLUNK, 3600,
            DestinationKind.HTTP_ENDPOINT, 300,
            DestinationKind.SNOWFLAKE, 60,
            DestinationKind.ICEBERG, 300));

    private RetryDurations() {
    }

    /** The default retry duration of a destination kind that has one. */
    public static int defaultSeconds(DestinationKind kind) {
        Integer seconds = SECONDS.get(kind);
        if (seconds == null) {
            throw new IllegalArgumentException(kind + " has no retry duration");
        }
        return seconds;
    }
}
