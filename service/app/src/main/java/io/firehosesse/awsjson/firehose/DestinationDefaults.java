package io.firehosesse.awsjson.firehose;

import io.firehosesse.api.deliverystream.DestinationKind;
import io.firehosesse.dataplane.RetryDurations;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What DescribeDeliveryStream fills in for members the caller left out, in one table keyed by the description shape
 * (structure) the member belongs to. Each value is rendered through its member's shape, so a structure default of
 * {@code Map.of()} means "always shown, filled with that shape's own defaults" (BufferingHints, RetryOptions).
 * Values are the model's documented defaults; where AWS documents none, the choice is listed in
 * docs/behaviour.md ("Destinations"). Buffering defaults come from {@link DestinationKind} and retry durations from
 * {@link RetryDurations}, which the data plane delivers by.
 */
final class DestinationDefaults {

    private static final Map<String, Object> NO_LOGGING = Map.of("Enabled", false);
    private static final Map<String, Object> ALWAYS = Map.of();

    private static final Map<String, Map<String, Object>> BY_SHAPE = Map.ofEntries(
            // Nested structures: buffering per destination type, retry durations.
            Map.entry("BufferingHints", buffering(DestinationKind.EXTENDED_S3)),
            Map.entry("ElasticsearchBufferingHints", buffering(DestinationKind.ELASTICSEARCH)),
            Map.entry("AmazonopensearchserviceBufferingHints", buffering(DestinationKind.AMAZON_OPENSEARCH_SERVICE)),
            Map.entry("AmazonOpenSearchServerlessBufferingHints", buffering(DestinationKind.AMAZON_OPENSEARCH_SERVERLESS)),
            Map.entry("SplunkBufferingHints", buffering(DestinationKind.SPLUNK)),
            Map.entry("HttpEndpointBufferingHints", buffering(DestinationKind.HTTP_ENDPOINT)),
            Map.entry("SnowflakeBufferingHints", buffering(DestinationKind.SNOWFLAKE)),
            Map.entry("RedshiftRetryOptions", retry(DestinationKind.REDSHIFT)),
            Map.entry("ElasticsearchRetryOptions", retry(DestinationKind.ELASTICSEARCH)),
            Map.entry("AmazonopensearchserviceRetryOptions", retry(DestinationKind.AMAZON_OPENSEARCH_SERVICE)),
            Map.entry("AmazonOpenSearchServerlessRetryOptions", retry(DestinationKind.AMAZON_OPENSEARCH_SERVERLESS)),
            Map.entry("SplunkRetryOptions", retry(DestinationKind.SPLUNK)),
            Map.entry("HttpEndpointRetryOptions", retry(DestinationKind.HTTP_ENDPOINT)),
            Map.entry("SnowflakeRetryOptions", retry(DestinationKind.SNOWFLAKE)),
            Map.entry("RetryOptions", retry(DestinationKind.ICEBERG)),
            Map.entry("HttpEndpointRequestConfiguration", Map.of("ContentEncoding", "NONE")),
            // The destination descriptions.
            Map.entry("S3DestinationDescription", s3(Map.of())),
            Map.entry("ExtendedS3DestinationDescription", s3(Map.of("S3BackupMode", "Disabled"))),
            Map.entry("RedshiftDestinationDescription", Map.of(
                    "RetryOptions", ALWAYS, "S3BackupMode", "Disabled", "CloudWatchLoggingOptions", NO_LOGGING)),
            Map.entry("ElasticsearchDestinationDescription", openSearch(true)),
            Map.entry("AmazonopensearchserviceDestinationDescription", openSearch(true)),
            Map.entry("AmazonOpenSearchServerlessDestinationDescription", openSearch(false)),
            Map.entry("SplunkDestinationDescription", Map.of(
                    "BufferingHints", ALWAYS, "HECAcknowledgmentTimeoutInSeconds", 180, "RetryOptions", ALWAYS,
                    "S3BackupMode", "FailedEventsOnly", "CloudWatchLoggingOptions", NO_LOGGING)),
            Map.entry("HttpEndpointDestinationDescription", Map.of(
                    "BufferingHints", ALWAYS, "RetryOptions", ALWAYS, "S3BackupMode", "FailedDataOnly",
                    "RequestConfiguration", ALWAYS, "CloudWatchLoggingOptions", NO_LOGGING)),
            Map.entry("SnowflakeDestinationDescription", Map.of(
                    "BufferingHints", ALWAYS, "RetryOptions", ALWAYS, "S3BackupMode", "FailedDataOnly",
                    "DataLoadingOption", "JSON_MAPPING", "CloudWatchLoggingOptions", NO_LOGGING)),
            Map.entry("IcebergDestinationDescription", Map.of(
                    "BufferingHints", ALWAYS, "RetryOptions", ALWAYS, "S3BackupMode", "FailedDataOnly",
                    "AppendOnly", false, "CloudWatchLoggingOptions", NO_LOGGING)));

    private DestinationDefaults() {
    }

    /** The defaults of one shape's members; empty when AWS fills in nothing there. */
    static Map<String, Object> of(String shape) {
        return BY_SHAPE.getOrDefault(shape, Map.of());
    }

    private static Map<String, Object> buffering(DestinationKind kind) {
        return Map.of("SizeInMBs", kind.defaultSizeInMBs(), "IntervalInSeconds", kind.defaultIntervalInSeconds());
    }

    private static Map<String, Object> retry(DestinationKind kind) {
        return Map.of("DurationInSeconds", RetryDurations.defaultSeconds(kind));
    }

    private static Map<String, Object> s3(Map<String, Object> more) {
        Map<String, Object> defaults = new LinkedHashMap<>(Map.of(
                "BufferingHints", ALWAYS,
                "CompressionFormat", "UNCOMPRESSED",
                "EncryptionConfiguration", Map.of("NoEncryptionConfig", "NoEncryption"),
                "CloudWatchLoggingOptions", NO_LOGGING));
        defaults.putAll(more);
        return Map.copyOf(defaults);
    }

    private static Map<String, Object> openSearch(boolean rotates) {
        Map<String, Object> defaults = new LinkedHashMap<>(Map.of(
                "BufferingHints", ALWAYS, "RetryOptions", ALWAYS, "S3BackupMode", "FailedDocumentsOnly",
                "CloudWatchLoggingOptions", NO_LOGGING));
        if (rotates) {
            defaults.put("IndexRotationPeriod", "OneDay");
        }
        return Map.copyOf(defaults);
    }
}
