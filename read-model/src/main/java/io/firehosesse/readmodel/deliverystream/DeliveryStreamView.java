package io.firehosesse.readmodel.deliverystream;

import io.firehosesse.api.deliverystream.DeliveryStreamStatus;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.KinesisStreamSource;
import io.firehosesse.api.deliverystream.SourceConfiguration;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * Everything DescribeDeliveryStream reports about one stream, as of the event numbered
 * {@code lastSequence} in its history.
 */
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
        SourceConfiguration source,
        List<Destination> destinations,
        SortedMap<String, String> tags,
        EncryptionView encryption,
        FailureView failure,
        long lastSequence) {

    /** The stream's SSE state: a status always, the key only while one is requested or in force. */
    public record EncryptionView(String status, String keyType, String keyArn, FailureView failure) {

        static final EncryptionView DISABLED = new EncryptionView("DISABLED", null, null, null);
    }

    /** An AWS {@code FailureDescription}: a {@code DeliveryStreamFailureType} and its details. */
    public record FailureView(String type, String details) {
    }

    DeliveryStreamView with(DeliveryStreamStatus newStatus, FailureView newFailure) {
        return new DeliveryStreamView(streamId, accountId, region, name, arn, newStatus, type, versionId, createTimestamp,
                lastUpdateTimestamp, deliveryStartTimestamp, kinesisSource, source, destinations, tags, encryption, newFailure,
                lastSequence);
    }

    DeliveryStreamView withDeliveryStart(Instant at) {
        return new DeliveryStreamView(streamId, accountId, region, name, arn, status, type, versionId, createTimestamp,
                lastUpdateTimestamp, at, kinesisSource, source, destinations, tags, encryption, failure, lastSequence);
    }

    DeliveryStreamView withTags(SortedMap<String, String> newTags) {
        return new DeliveryStreamView(streamId, accountId, region, name, arn, status, type, versionId, createTimestamp,
                lastUpdateTimestamp, deliveryStartTimestamp, kinesisSource, source, destinations, newTags, encryption, failure,
                lastSequence);
    }

    DeliveryStreamView withEncryption(EncryptionView newEncryption) {
        return new DeliveryStreamView(streamId, accountId, region, name, arn, status, type, versionId, createTimestamp,
                lastUpdateTimestamp, deliveryStartTimestamp, kinesisSource, source, destinations, tags, newEncryption, failure,
                lastSequence);
    }

    DeliveryStreamView withLastUpdate(Instant at) {
        return new DeliveryStreamView(streamId, accountId, region, name, arn, status, type, versionId, createTimestamp,
                at, deliveryStartTimestamp, kinesisSource, source, destinations, tags, encryption, failure, lastSequence);
    }

    DeliveryStreamView withDestination(Destination updated, long newVersionId, Instant at) {
        List<Destination> newDestinations = destinations.stream()
                .map(d -> d.destinationId().equals(updated.destinationId()) ? updated : d)
                .toList();
        return new DeliveryStreamView(streamId, accountId, region, name, arn, status, type, newVersionId, createTimestamp,
                at, deliveryStartTimestamp, kinesisSource, source, newDestinations, tags, encryption, failure, lastSequence);
    }

    /** The view as the REST API shows it: destinations without their secrets (Redshift's Password, ...). */
    public DeliveryStreamView withoutSecrets() {
        return new DeliveryStreamView(streamId, accountId, region, name, arn, status, type, versionId, createTimestamp,
                lastUpdateTimestamp, deliveryStartTimestamp, kinesisSource, source,
                destinations.stream().map(Destination::withoutSecrets).toList(), tags, encryption, failure, lastSequence);
    }

    DeliveryStreamView atSequence(long sequence) {
        return new DeliveryStreamView(streamId, accountId, region, name, arn, status, type, versionId, createTimestamp,
                lastUpdateTimestamp, deliveryStartTimestamp, kinesisSource, source, destinations, tags, encryption, failure, sequence);
    }
}
