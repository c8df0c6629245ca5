package io.firehosesse.dataplane;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.validation.annotation.Validated;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where and how often buffered records are delivered ({@code firehose.delivery.*}).
 *
 * @param directory    without an S3 endpoint, S3 destinations are written here as {@code <directory>/<bucket>/<key>}
 * @param pollInterval how often buffers are checked against their BufferingHints
 * @param retention    records not delivered within this time are dropped, as AWS does after 24 hours
 * @param maxBackoff   the longest wait between attempts on a destination that keeps failing
 * @param s3           an S3-compatible endpoint to deliver to instead of the directory
 * @param http         how destinations reached over HTTPS (HTTP endpoint, Splunk, OpenSearch) are called
 */
@ConfigurationProperties("firehose.delivery")
@Validated
public record DeliveryProperties(
        Path directory,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration pollInterval,
        @DefaultValue("24h") @NotNull @DurationMin(millis = 1) Duration retention,
        @DefaultValue("5m") @NotNull @DurationMin(millis = 1) Duration maxBackoff,
        @DefaultValue @Valid S3 s3,
        @DefaultValue @Valid Http http) {

    /**
     * @param endpoint        empty: deliver to the directory
     * @param region          the region the client signs for
     * @param pathStyle       {@code http://host/bucket/key} addressing, which MinIO and most stand-ins need
     * @param accessKeyId     with {@code secretAccessKey}: static credentials; empty: the SDK's default chain
     * @param secretAccessKey see {@code accessKeyId}
     */
    public record S3(URI endpoint, @DefaultValue("us-east-1") String region, @DefaultValue("true") boolean pathStyle,
                     String accessKeyId, String secretAccessKey) {

        boolean configured() {
            return endpoint != null && !endpoint.toString().isBlank();
        }
    }

    /**
     * @param trustStore     a PEM file of certificates trusted, besides the JDK's own, as the issuers of endpoints'
     *                       certificates (a receiver with a self-signed certificate names that certificate here)
     * @param connectTimeout how long to wait for a connection to an endpoint
     * @param requestTimeout how long an endpoint has to answer a request, AWS's 3 minutes by default; past it the
     *                       request has failed and is tried again within the destination's retry duration
     */
    public record Http(Path trustStore, @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration connectTimeout,
                       @DefaultValue("180s") @NotNull @DurationMin(millis = 1) Duration requestTimeout) {
    }
}
