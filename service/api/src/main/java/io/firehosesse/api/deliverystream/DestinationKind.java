package io.firehosesse.api.deliverystream;

/**
 * The destination types a stream may have, one per destination configuration of the AWS model, each with the
 * buffering AWS applies when the caller gives none (the model's documented defaults: 5 MiB / 300 s, Splunk 5 MiB /
 * 60 s, Snowflake 128 MiB / 0 s). Redshift buffers by its S3 configuration's hints, whose defaults are S3's.
 */
public enum DestinationKind {
    S3(5, 300),
    EXTENDED_S3(5, 300),
    REDSHIFT(5, 300),
    ELASTICSEARCH(5, 300),
    AMAZON_OPENSEARCH_SERVICE(5, 300),
    AMAZON_OPENSEARCH_SERVERLESS(5, 300),
    SPLUNK(5, 60),
    HTTP_ENDPOINT(5, 300),
    SNOWFLAKE(128, 0),
    ICEBERG(5, 300);

    private final int defaultSizeInMBs;
    private final int defaultIntervalInSeconds;

    DestinationKind(int defaultSizeInMBs, int defaultIntervalInSeconds) {
        this.defaultSizeInMBs = defaultSizeInMBs;
        this.defaultIntervalInSeconds = defaultIntervalInSeconds;
    }

    public int defaultSizeInMBs() {
        return defaultSizeInMBs;
    }

    public int defaultIntervalInSeconds() {
        return defaultIntervalInSeconds;
    }

    /** S3 and Extended S3 are one destination in two forms: AWS describes either as both. */
    public boolean s3() {
        return this == S3 || this == EXTENDED_S3;
    }

    /**
     * Amazon OpenSearch Service under either of its names; AWS's UpdateDestination refuses a switch between it and
     * any other service.
     */
    public boolean openSearchService() {
        return this == ELASTICSEARCH || this == AMAZON_OPENSEARCH_SERVICE;
    }

    /** Whether an update of kind {@code other} is merged into a destination of this kind (AWS: same type) rather than replacing it. */
    public boolean sameTypeAs(DestinationKind other) {
        return this == other || (s3() && other.s3());
    }
}
