package io.firehosesse.readmodel.deliverystream;

import io.firehosesse.api.deliverystream.DeliveryStreamStatus;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.KinesisStreamSource;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/** Everything DescribeDeliveryStream reports about one stream, as the projection last wrote it. */
public record DeliveryStreamView(
        String streamId,
        String accountId,
        String region,
        String name,
        String arn,
        DeliveryStreamStatus status,
        DeliveryStreamType type,
        long versionId,
        Instant createTimestamp,
        Instant lastUpdateTimestamp,
        Instant deliveryStartTimestamp,
        KinesisStreamSource kinesisSource,
        List<Destination> destinations,
        SortedMap<String, String> tags,
        EncryptionView encryption,
        FailureView failure) {

    /** The stream's SSE state: a status always, the key only while one is requested or in force. */
    public record EncryptionView(String status, String keyType, String keyArn, FailureView failure) {
    }

    /** An AWS {@code FailureDescription}: a {@code DeliveryStreamFailureType} and its details. */
    public record FailureView(String type, String details) {
    }
}
