package io.firehosesse.deliverystream;

import static io.firehosesse.support.Streams.awaitGone;
import static io.firehosesse.support.Streams.awaitStatus;
import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.createDirectPut;
import static io.firehosesse.support.Streams.describe;
import static io.firehosesse.support.Streams.s3;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.firehosesse.support.Clients;
import io.firehosesse.support.AwsClientsIT;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.CreateDeliveryStreamResponse;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.DestinationDescription;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.firehose.model.ListDeliveryStreamsResponse;
import software.amazon.awssdk.services.firehose.model.ResourceInUseException;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;

class DeliveryStreamLifecycleIT extends AwsClientsIT {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EventProcessingConfiguration processing;

    <T> T whileTheLifecycleWaits(Supplier<T> step) {
        return LifecyclePause.whileTheLifecycleWaits(processing, step);
    }

    @Test
    void aNewStreamIsCreatingAtOnceThenActiveWithEverythingDescribeReports() {
        String name = uniqueName("orders");
        Instant before = Instant.now().minusSeconds(1);

        record JustCreated(CreateDeliveryStreamResponse response, DeliveryStreamDescription described) {
        }
        JustCreated justCreated = whileTheLifecycleWaits(() -> new JustCreated(firehose.createDeliveryStream(r -> r
                .deliveryStreamName(name)
                .extendedS3DestinationConfiguration(s3("orders-bucket").toBuilder().prefix("raw/")
                        .bufferingHints(b -> b.sizeInMBs(64)).build())), describe(firehose, name)));
        CreateDeliveryStreamResponse created = justCreated.response();
        DeliveryStreamDescription creating = justCreated.described();
        DeliveryStreamDescription active = awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);

        String arn = "arn:aws:firehose:us-east-1:123456789012:deliverystream/" + name;
        assertThat(created.deliveryStreamARN()).isEqualTo(arn);
        assertThat(creating.deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.CREATING);
        assertThat(active.deliveryStreamARN()).isEqualTo(arn);
        assertThat(active.deliveryStreamType()).isEqualTo(DeliveryStreamType.DIRECT_PUT);
        assertThat(active.versionId()).isEqualTo("1");
        assertThat(active.createTimestamp()).isBetween(before, Instant.now());
        assertThat(active.hasMoreDestinations()).isFalse();
        assertThat(active.deliveryStreamEncryptionConfiguration().status()).isEqualTo(DeliveryStreamEncryptionStatus.DISABLED);
        assertThat(active.deliveryStreamEncryptionConfiguration().keyType()).isNull();
        DestinationDescription destination = active.destinations().get(0);
        assertThat(destination.destinationId()).isEqualTo("destinationId-000000000001");
        assertThat(destination.extendedS3DestinationDescription().bucketARN()).isEqualTo("arn:aws:s3:::orders-bucket");
        assertThat(destination.extendedS3DestinationDescription().prefix()).isEqualTo("raw/");
        assertThat(destination.extendedS3DestinationDescription().bufferingHints().sizeInMBs()).isEqualTo(64);
        assertThat(destination.extendedS3DestinationDescription().bufferingHints().intervalInSeconds()).isEqualTo(300);
        assertThat(destination.extendedS3DestinationDescription().compressionFormatAsString()).isEqualTo("UNCOMPRESSED");
        assertThat(destination.s3DestinationDescription().bucketARN()).isEqualTo("arn:aws:s3:::orders-bucket");
    }

    @Test
    void aKinesisSourcedStreamReportsItsSourceAndWhenDeliveryStarted() {
        String name = uniqueName("from-kinesis");
        firehose.createDeliveryStream(r -> r.deliveryStreamName(name)
                .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                .kinesisStreamSourceConfiguration(k -> k
                        .kinesisStreamARN("arn:aws:kinesis:us-east-1:123456789012:stream/clicks")
                        .roleARN("arn:aws:iam::123456789012:role/reader"))
                .s3DestinationConfiguration(d -> d.roleARN("arn:aws:iam::123456789012:role/w").bucketARN("arn:aws:s3:::clicks")));

        DeliveryStreamDescription active = awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);

        assertThat(active.deliveryStreamType()).isEqualTo(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE);
        assertThat(active.source().kinesisStreamSourceDescription().kinesisStreamARN())
                .isEqualTo("arn:aws:kinesis:us-east-1:123456789012:stream/clicks");
        assertThat(active.source().kinesisStreamSourceDescription().deliveryStartTimestamp()).isAfterOrEqualTo(active.createTimestamp());
        assertThat(active.destinations().get(0).s3DestinationDescription().bucketARN()).isEqualTo("arn:aws:s3:::clicks");
    }

    @Test
    void aNameInUseCannotBeCreatedAgain() {
        String name = uniqueName("taken");
        createDirectPut(firehose, name);

        assertThatThrownBy(() -> createDirectPut(firehose, name))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("Firehose " + name + " under accountId 123456789012 already exists");
    }

    @Test
    void concurrentCreatorsOfOneNameHaveExactlyOneWinner() throws Exception {
        String name = uniqueName("race");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> creators = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                creators.add(() -> {
                    try (FirehoseClient client = Clients.firehose(port)) {
                        createDirectPut(client, name);
                        return true;
                    } catch (ResourceInUseException lost) {
                        return false;
                    }
                });
            }
            long winners = 0;
            for (Future<Boolean> result : pool.invokeAll(creators)) {
                winners += result.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        String streamId = jdbc.sql("SELECT stream_id FROM delivery_stream_name WHERE name = :name")
                .param("name", name).query(String.class).single();
        assertThat(jdbc.sql("SELECT count(DISTINCT aggregate_identifier) FROM domain_event_entry"
                        + " WHERE payload_type LIKE '%DeliveryStreamCreated' AND convert_from(payload, 'UTF8') LIKE :name")
                .param("name", "%\"name\":\"" + name + "\"%").query(Long.class).single()).isEqualTo(1);
        assertThat(streamId).isNotBlank();
    }

    @Test
    void anUnknownStreamIsNotFound() {
        assertThatThrownBy(() -> describe(firehose, "never-created"))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Firehose never-created under account 123456789012 not found.");
        assertThatThrownBy(() -> firehose.deleteDeliveryStream(r -> r.deliveryStreamName("never-created")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void aStreamIsDeletedThroughDeletingAndItsNameCanBeUsedAgain() {
        String name = uniqueName("short-lived");
        String firstArn = createActive(firehose, name);

        DeliveryStreamStatus right = whileTheLifecycleWaits(() -> {
            firehose.deleteDeliveryStream(r -> r.deliveryStreamName(name));
            return describeStatusOrGone(name);
        });
        awaitGone(firehose, name);
        String secondArn = createActive(firehose, name);

        assertThat(right).isEqualTo(DeliveryStreamStatus.DELETING);
        assertThat(secondArn).isEqualTo(firstArn);
        assertThat(describe(firehose, name).deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.ACTIVE);
    }

    @Test
    void aCommandByNameReachesTheStreamThatHoldsTheNameNowNotTheOneDeletedBeforeIt() {
        String name = uniqueName("reborn");
        createActive(firehose, name);
        // The service caches the name's stream id at the first command by name; the delete is that command.
        firehose.deleteDeliveryStream(r -> r.deliveryStreamName(name));
        awaitGone(firehose, name);

        assertThatThrownBy(() -> firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name)
                .deliveryStreamEncryptionConfigurationInput(c -> c.keyType(KeyType.AWS_OWNED_CMK))))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Firehose " + name + " under account 123456789012 not found.");

        createActive(firehose, name);
        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name)
                .deliveryStreamEncryptionConfigurationInput(c -> c.keyType(KeyType.AWS_OWNED_CMK)));

        assertThat(describe(firehose, name).deliveryStreamEncryptionConfiguration().status())
                .isIn(DeliveryStreamEncryptionStatus.ENABLING, DeliveryStreamEncryptionStatus.ENABLED);
    }

    @Test
    void aStreamStillCreatingCannotBeDeleted() {
        String name = uniqueName("young");
        Throwable refused = whileTheLifecycleWaits(() -> {
            createDirectPut(firehose, name);
            return catchThrowable(() -> firehose.deleteDeliveryStream(r -> r.deliveryStreamName(name)));
        });

        assertThat(refused)
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("CREATING");
    }

    @Test
    void listingPagesThroughNamesInOrderAndFiltersByType() {
        try (FirehoseClient sydney = Clients.firehose(port, Region.AP_SOUTHEAST_2)) {
            for (String name : List.of("c-stream", "a-stream", "b-stream", "e-stream", "d-stream")) {
                createDirectPut(sydney, name);
            }
            sydney.createDeliveryStream(r -> r.deliveryStreamName("k-stream")
                    .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                    .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN("arn:aws:kinesis:ap-southeast-2:123456789012:stream/s")
                            .roleARN("arn:aws:iam::123456789012:role/r"))
                    .extendedS3DestinationConfiguration(s3("k")));

            ListDeliveryStreamsResponse first = sydney.listDeliveryStreams(r -> r.limit(2));
            ListDeliveryStreamsResponse second = sydney.listDeliveryStreams(r -> r.limit(2).exclusiveStartDeliveryStreamName("b-stream"));
            ListDeliveryStreamsResponse rest = sydney.listDeliveryStreams(r -> r.exclusiveStartDeliveryStreamName("d-stream"));
            ListDeliveryStreamsResponse kinesisOnly = sydney.listDeliveryStreams(r -> r.deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE));

            assertThat(first.deliveryStreamNames()).containsExactly("a-stream", "b-stream");
            assertThat(first.hasMoreDeliveryStreams()).isTrue();
            assertThat(second.deliveryStreamNames()).containsExactly("c-stream", "d-stream");
            assertThat(rest.deliveryStreamNames()).containsExactly("e-stream", "k-stream");
            assertThat(rest.hasMoreDeliveryStreams()).isFalse();
            assertThat(kinesisOnly.deliveryStreamNames()).containsExactly("k-stream");
        }
    }

    @Test
    void regionsKeepStreamsApart() {
        String name = uniqueName("regional");
        try (FirehoseClient ireland = Clients.firehose(port, Region.EU_WEST_1)) {
            String dublin = createDirectPut(ireland, name);
            String virginia = createDirectPut(firehose, name);

            assertThat(dublin).isEqualTo("arn:aws:firehose:eu-west-1:123456789012:deliverystream/" + name);
            assertThat(virginia).isEqualTo("arn:aws:firehose:us-east-1:123456789012:deliverystream/" + name);
            assertThat(ireland.listDeliveryStreams(r -> r.limit(10000)).deliveryStreamNames()).contains(name);
        }
    }

    @Test
    void encryptionSettingsOnCreateAreCheckedAsAwsDoes() {
        String name = uniqueName("sse");

        assertThatThrownBy(() -> firehose.createDeliveryStream(r -> r.deliveryStreamName(name)
                .extendedS3DestinationConfiguration(s3("b"))
                .deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.CUSTOMER_MANAGED_CMK))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("KeyARN is required");
        assertThatThrownBy(() -> describe(firehose, name)).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void everyEventCarriesWhoAskedForIt() {
        String name = uniqueName("audited");
        CreateDeliveryStreamResponse response = firehose.createDeliveryStream(r -> r.deliveryStreamName(name)
                .extendedS3DestinationConfiguration(s3("b")));

        String metaData = jdbc.sql("""
                        SELECT convert_from(e.meta_data, 'UTF8') FROM domain_event_entry e
                          JOIN delivery_stream_name n ON n.stream_id = e.aggregate_identifier
                         WHERE n.name = :name AND n.region = 'us-east-1' AND e.sequence_number = 0
                        """)
                .param("name", name).query(String.class).single();

        assertThat(metaData)
                .contains("\"requestId\":\"" + response.responseMetadata().requestId() + "\"")
                .contains("\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\"")
                .contains("\"region\":\"us-east-1\"")
                .contains("\"userAgent\":\"aws-sdk-java/");
    }

    private DeliveryStreamStatus describeStatusOrGone(String name) {
        try {
            return describe(firehose, name).deliveryStreamStatus();
        } catch (ResourceNotFoundException gone) {
            return null;
        }
    }

}
