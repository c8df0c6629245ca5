package io.firehosesse.deliverystream;

import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.api.deliverystream.DeliveryStreamActivated;
import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.DestinationKind;
import io.firehosesse.api.deliverystream.DestinationUpdated;
import io.firehosesse.api.deliverystream.DeliveryStreamTagged;
import io.firehosesse.api.deliverystream.EncryptionEnabled;
import io.firehosesse.api.deliverystream.GrantCreated;
import io.firehosesse.platform.AxonConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** A snapshot is only useful if it comes back as the same aggregate through Axon's Jackson serializer. */
class DeliveryStreamSnapshotTest {

    private final Serializer serializer = new AxonConfiguration().serializer(
            List.of(new DeliveryStreamSnapshots().deliveryStreamSnapshotModule()));

    @Test
    void aSnapshotRoundTripsThroughJackson() {
        DeliveryStream stream = activeAndTagged();

        SerializedObject<byte[]> snapshot = serializer.serialize(stream, byte[].class);
        String json = new String(snapshot.getData(), StandardCharsets.UTF_8);
        DeliveryStream restored = serializer.deserialize(snapshot);

        assertThat(json).contains("\"streamId\":\"stream-1\"", "\"status\":\"ACTIVE\"", "\"env\":\"prod\"");
        assertThat(restored).usingRecursiveComparison().isEqualTo(stream);
    }

    @Test
    void aSnapshotKeepsTheEncryptionMember() {
        DeliveryStream stream = activeAndTagged();
        // Through Axon's model of the aggregate, which hands the encryption events to the member.
        AggregateModel<DeliveryStream> model = AnnotatedAggregateMetaModelFactory.inspectAggregate(DeliveryStream.class);
        Stream.of(DeliveryStreamEncryptionTest.requested("r1", DeliveryStreamEncryptionTest.CMK_A, null, DeliveryStreamTest.NOW),
                        new GrantCreated(DeliveryStreamTest.ID, "r1", DeliveryStreamEncryptionTest.GRANT_A, "firehose-r1",
                                DeliveryStreamTest.NOW),
                        new EncryptionEnabled(DeliveryStreamTest.ID, "r1", DeliveryStreamEncryptionTest.CMK_A, DeliveryStreamTest.NOW))
                .forEach(event -> model.publish(GenericEventMessage.asEventMessage(event), stream));

        SerializedObject<byte[]> snapshot = serializer.serialize(stream, byte[].class);
        DeliveryStream restored = serializer.deserialize(snapshot);

        assertThat(new String(snapshot.getData(), StandardCharsets.UTF_8))
                .contains("\"encryption\":{\"status\":\"ENABLED\"", "\"calls\":[\"2026-11-27T10:00:00Z\"]");
        assertThat(restored).usingRecursiveComparison().isEqualTo(stream);
    }

    /**
     * The filter Axon's configuration builds for the aggregate, the one its Spring Boot JDBC storage engine is given
     * ({@code Configuration.snapshotFilter()}): snapshots written before the aggregate had a revision are passed over.
     */
    @Test
    void onlySnapshotsOfTheCurrentFormAreLoaded() {
        SnapshotFilter filter = DefaultConfigurer.defaultConfiguration()
                .configureAggregate(DeliveryStream.class)
                .buildConfiguration()
                .snapshotFilter();
        SerializedObject<byte[]> current = serializer.serialize(activeAndTagged(), byte[].class);

        assertThat(current.getType().getRevision()).isEqualTo("3");
        assertThat(filter.allow(snapshot(current.getType().getRevision(), current.getData()))).isTrue();
        // Revision 2 had no destinations or version: its snapshots are passed over and the stream rebuilt from events.
        assertThat(filter.allow(snapshot("2", current.getData()))).isFalse();
        assertThat(filter.allow(snapshot(null, "{\"streamId\":\"stream-1\",\"status\":\"ACTIVE\"}".getBytes(StandardCharsets.UTF_8))))
                .isFalse();
    }

    @Test
    void aSnapshotKeepsTheDestinationsAndTheVersion() {
        DeliveryStream stream = activeAndTagged();
        stream.on(new DestinationUpdated(DeliveryStreamTest.ID, new Destination("destinationId-000000000001",
                DestinationKind.EXTENDED_S3, Map.of("BucketARN", "arn:aws:s3:::b", "BufferingHints",
                        Map.of("SizeInMBs", 1, "IntervalInSeconds", 60))), 2, DeliveryStreamTest.NOW));

        SerializedObject<byte[]> snapshot = serializer.serialize(stream, byte[].class);
        DeliveryStream restored = serializer.deserialize(snapshot);

        assertThat(new String(snapshot.getData(), StandardCharsets.UTF_8)).contains("\"versionId\":2", "arn:aws:s3:::b");
        assertThat(restored).usingRecursiveComparison().isEqualTo(stream);
    }

    /** Events are stored as JSON and never rewritten: one written before MSK and Database sources reads back without one. */
    @Test
    void aCreationStoredBeforeSourcesReadsBackWithoutOne() {
        String stored = """
                {"streamId":"stream-1","key":{"accountId":"123456789012","region":"us-east-1","name":"orders"},
                 "arn":"arn:aws:firehose:us-east-1:123456789012:deliverystream/orders","type":"DirectPut",
                 "kinesisSource":null,"destinations":[{"destinationId":"destinationId-000000000001","kind":"EXTENDED_S3",
                 "settings":{"RoleARN":"arn:aws:iam::123456789012:role/firehose","BucketARN":"arn:aws:s3:::orders"}}],
                 "tags":{"team":"data"},"encryption":null,"createdAt":"2026-11-27T10:00:00Z"}""";
        DeliveryStreamCreated created = serializer.deserialize(new org.axonframework.serialization.SimpleSerializedObject<>(
                stored.getBytes(StandardCharsets.UTF_8), byte[].class, DeliveryStreamCreated.class.getName(), null));

        assertThat(created).isEqualTo(DeliveryStreamTest.created());
        assertThat(created.source()).isNull();
    }

    private static DeliveryStream activeAndTagged() {
        DeliveryStream stream = new DeliveryStream();
        stream.on(DeliveryStreamTest.created());
        stream.on(new DeliveryStreamActivated(DeliveryStreamTest.ID, DeliveryStreamTest.NOW));
        stream.on(new DeliveryStreamTagged(DeliveryStreamTest.ID, Map.of("env", "prod"), DeliveryStreamTest.NOW));
        return stream;
    }

    /** A snapshot row as the storage engine reads it: typed with the aggregate's type, as Axon's snapshotter writes it. */
    private static DomainEventData<byte[]> snapshot(String revision, byte[] payload) {
        String aggregateType = AnnotatedAggregateMetaModelFactory.inspectAggregate(DeliveryStream.class).type();
        return new GenericDomainEventEntry<>(aggregateType, DeliveryStreamTest.ID, 7, "snapshot-1",
                DeliveryStreamTest.NOW.toString(), DeliveryStream.class.getName(), revision, payload,
                "{}".getBytes(StandardCharsets.UTF_8));
    }
}
