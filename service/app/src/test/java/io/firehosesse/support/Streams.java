package io.firehosesse.support;

import java.time.Duration;
import java.util.UUID;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.CreateDeliveryStreamRequest;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;

/** Small steps the integration tests repeat: unique names, a minimal valid stream, waiting for a status. */
public final class Streams {

    private Streams() {
    }

    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static ExtendedS3DestinationConfiguration s3(String bucket) {
        return ExtendedS3DestinationConfiguration.builder()
                .roleARN("arn:aws:iam::123456789012:role/firehose-delivery")
                .bucketARN("arn:aws:s3:::" + bucket)
                .build();
    }

    public static String createDirectPut(FirehoseClient firehose, String name) {
        return firehose.createDeliveryStream(CreateDeliveryStreamRequest.builder()
                .deliveryStreamName(name)
                .extendedS3DestinationConfiguration(s3("bucket-" + name))
                .build()).deliveryStreamARN();
    }

    public static DeliveryStreamDescription describe(FirehoseClient firehose, String name) {
        return firehose.describeDeliveryStream(r -> r.deliveryStreamName(name)).deliveryStreamDescription();
    }

    public static DeliveryStreamDescription awaitStatus(FirehoseClient firehose, String name, DeliveryStreamStatus status) {
        return Waits.background().pollInterval(Duration.ofMillis(50))
                .until(() -> describe(firehose, name), d -> d.deliveryStreamStatus() == status);
    }

    public static void awaitGone(FirehoseClient firehose, String name) {
        Waits.background().pollInterval(Duration.ofMillis(50)).until(() -> {
            try {
                describe(firehose, name);
                return false;
            } catch (ResourceNotFoundException gone) {
                return true;
            }
        });
    }

    public static String createActive(FirehoseClient firehose, String name) {
        String arn = createDirectPut(firehose, name);
        awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);
        return arn;
    }
}
