package io.firehosesse.dataplane;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.EncryptionFixtures.grants;
import static io.firehosesse.support.EncryptionFixtures.startWithCustomerKey;
import static io.firehosesse.support.Streams.awaitStatus;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.MutableClock;
import io.firehosesse.support.Waits;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * Buffered records reach the S3 destination's folder, decrypted, named as Firehose names objects. Each test runs
 * the delivery sweep itself, as the scheduler does every poll interval, rather than waiting for the timer.
 */
class DeliveryIT extends AwsClientsIT {

    @Value("${firehose.delivery.directory}")
    Path directory;

    @Autowired
    MutableClock clock;

    @Autowired
    MeterRegistry meters;

    @Autowired
    RecordDelivery delivery;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    JsonNode records(String name) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/delivery-streams/" + name + "/records")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body()).path("records");
    }

    void create(String name, String bucket, int intervalSeconds) {
        firehose.createDeliveryStream(r -> r.deliveryStreamName(name).extendedS3DestinationConfiguration(d -> d
                .roleARN("arn:aws:iam::123456789012:role/firehose").bucketARN("arn:aws:s3:::" + bucket).prefix("raw/")
                .bufferingHints(b -> b.intervalInSeconds(intervalSeconds).sizeInMBs(1))));
        awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);
    }

    void putAll(String name, String... records) {
        firehose.putRecordBatch(r -> r.deliveryStreamName(name).records(Stream.of(records)
                .map(data -> Record.builder().data(SdkBytes.fromUtf8String(data)).build()).toList()));
    }

    /**
     * Runs the sweep, then waits for the bucket's first object: the scheduler's own run may have taken the records
     * a moment earlier and still be writing them (a run skips records another holds).
     */
    List<Path> delivered(String bucket) {
        delivery.deliverDue();
        return Waits.background().until(() -> objects(bucket), list -> !list.isEmpty());
    }

    /** Locks the stream's buffered records until the caller's transaction ends; their ids. */
    List<String> lockBuffered(String name) {
        return jdbc.sql("SELECT b.record_id FROM record_buffer b JOIN data_plane_stream s ON s.stream_id = b.stream_id"
                + " WHERE s.name = :name FOR UPDATE OF b").param("name", name).query(String.class).list();
    }

    List<Path> objects(String bucket) {
        return DeliveredObjects.in(directory, bucket);
    }

    @Test
    void encryptedRecordsAreDeliveredDecryptedInArrivalOrderUnderFirehosesObjectName() throws Exception {
        String name = uniqueName("deliver");
        String bucket = "bucket-" + name;
        create(name, bucket, 0);
        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);

        putAll(name, "alpha,", "beta,", "gamma");
        List<Path> delivered = delivered(bucket);

        assertThat(delivered).hasSize(1);
        String relative = directory.resolve(bucket).relativize(delivered.get(0)).toString();
        assertThat(relative).matches("raw/\\d{4}/\\d{2}/\\d{2}/\\d{2}/" + name
                + "-1-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-9a-f-]{36}");
        assertThat(Files.readString(delivered.get(0), StandardCharsets.UTF_8)).isEqualTo("alpha,beta,gamma");
    }

    /**
     * Destinations not called here (Snowflake, Iceberg) have their records go to their S3 configuration's bucket, by
     * their own buffering (Snowflake's default: 0 s).
     */
    @Test
    void aSnowflakeStreamsRecordsGoToItsS3ConfigurationsBucketByItsOwnBuffering() throws Exception {
        String name = uniqueName("snowflake");
        String bucket = "backup-" + name;
        firehose.createDeliveryStream(r -> r.deliveryStreamName(name).snowflakeDestinationConfiguration(d -> d
                .accountUrl("https://example-account.snowflakecomputing.com").user("firehose")
                .database("events").schema("public").table("clicks")
                .roleARN("arn:aws:iam::123456789012:role/firehose")
                .s3Configuration(s -> s.roleARN("arn:aws:iam::123456789012:role/firehose").bucketARN("arn:aws:s3:::" + bucket)
                        .prefix("snowflake/").bufferingHints(b -> b.intervalInSeconds(900).sizeInMBs(128)))));
        awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);

        putAll(name, "event-1,", "event-2");
        List<Path> delivered = delivered(bucket);

        assertThat(directory.resolve(bucket).relativize(delivered.get(0)).toString()).startsWith("snowflake/");
        assertThat(Files.readString(delivered.get(0), StandardCharsets.UTF_8)).isEqualTo("event-1,event-2");
    }

    @Test
    void aRedshiftStreamIsStagedInItsS3ConfigurationsBucketByThatBucketsBuffering() throws Exception {
        String name = uniqueName("redshift");
        String bucket = "staging-" + name;
        firehose.createDeliveryStream(r -> r.deliveryStreamName(name).redshiftDestinationConfiguration(d -> d
                .roleARN("arn:aws:iam::123456789012:role/firehose")
                .clusterJDBCURL("jdbc:redshift://orders.abc123.us-east-1.redshift.amazonaws.com:5439/dev")
                .copyCommand(c -> c.dataTableName("orders"))
                .s3Configuration(s -> s.roleARN("arn:aws:iam::123456789012:role/firehose").bucketARN("arn:aws:s3:::" + bucket)
                        .bufferingHints(b -> b.intervalInSeconds(0).sizeInMBs(1)))));
        awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);

        putAll(name, "row-1\n", "row-2\n");

        assertThat(Files.readString(delivered(bucket).get(0), StandardCharsets.UTF_8)).isEqualTo("row-1\nrow-2\n");
    }

    @Test
    void sweepsRunningAtOnceNeverSplitWhatArrivedTogether() throws Exception {
        String name = uniqueName("together");
        String bucket = "bucket-" + name;
        create(name, bucket, 0);
        int batches = 30;
        ExecutorService sweepers = Executors.newFixedThreadPool(3);
        try {
            for (int i = 0; i < batches; i++) {
                putAll(name, "a" + i + ",", "b" + i + ",", "c" + i + ";");
                // Three sweeps at once besides the scheduler's, each free to take the stream's records.
                List<Future<?>> sweeps = new ArrayList<>();
                for (int s = 0; s < 3; s++) {
                    sweeps.add(sweepers.submit(delivery::deliverDue));
                }
                for (Future<?> sweep : sweeps) {
                    sweep.get(Waits.BACKGROUND.toSeconds(), TimeUnit.SECONDS);
                }
            }
        } finally {
            sweepers.shutdownNow();
        }
        List<String> contents = Waits.background().until(() -> objects(bucket).stream().map(DeliveryIT::read).toList(),
                all -> String.join("", all).split(";").length == batches);

        assertThat(contents).allSatisfy(content -> assertThat(content).matches("(a(\\d+),b\\2,c\\2;)+"));
        assertThat(contents.stream().flatMap(content -> Stream.of(content.split(";"))).sorted())
                .containsExactlyElementsOf(IntStream.range(0, batches).mapToObj(i -> "a" + i + ",b" + i + ",c" + i)
                        .sorted().toList());
    }

    static String read(Path object) {
        try {
            return Files.readString(object, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void stopDeliversWhatIsBufferedUnderTheKeyThenRetiresItsGrant() throws Exception {
        String name = uniqueName("drain");
        String bucket = "bucket-" + name;
        create(name, bucket, 900);
        KeyMetadata key = newKey("drained");
        startWithCustomerKey(firehose, name, key.arn());
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        putAll(name, "kept ", "safe");

        firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.DISABLED);

        assertThat(objects(bucket)).singleElement()
                .satisfies(object -> assertThat(Files.readString(object, StandardCharsets.UTF_8)).isEqualTo("kept safe"));
        assertThat(grants(kms, key.keyId())).isEmpty();
    }

    @Test
    void eachDeliveredRecordNamesTheObjectItWentInto() throws Exception {
        String name = uniqueName("traced");
        String bucket = "bucket-" + name;
        create(name, bucket, 0);

        putAll(name, "first ", "second");
        Path object = delivered(bucket).get(0);
        // The object is written before the transaction that records its records commits.
        JsonNode listed = Waits.background().until(() -> records(name),
                all -> all.size() == 2 && all.findValues("deliveredObject").stream().noneMatch(JsonNode::isNull));

        assertThat(listed).allSatisfy(record -> {
            assertThat(Path.of(URI.create(record.path("deliveredObject").asText()))).isEqualTo(object.toAbsolutePath());
            assertThat(record.path("deliveredAt").asText()).isNotBlank();
        });
        assertThat(listed.get(0).path("sizeBytes").asInt()).isEqualTo("first ".length());
    }

    @Test
    void recordsNotDeliveredWithinTheRetentionPeriodAreDroppedAndCounted() throws Exception {
        String name = uniqueName("expired");
        String bucket = "bucket-" + name;
        create(name, bucket, 900);
        putAll(name, "too", "late", "now");
        assertThat(records(name)).hasSize(3);
        double droppedBefore = meters.counter("firehose.records.dropped").count();

        Duration pastRetention = Duration.ofHours(24).plusMinutes(1);
        // The sweep the scheduler runs, run here in a transaction that first locks the stream's records. The scheduler
        // keeps running meanwhile: a run of it that read the clock before the advance and came to this stream after it
        // would find the records due as well (their buffering interval is long past too) and deliver them. Locked, they
        // are skipped by its runs, and this sweep drops them before anyone else sees them.
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            assertThat(lockBuffered(name)).hasSize(3);
            clock.advance(pastRetention);
            try {
                delivery.deliverDue();
            } finally {
                // The context, and so its clock, is shared with the test classes that run after this one.
                clock.advance(pastRetention.negated());
            }
        });

        assertThat(records(name)).isEmpty();
        assertThat(meters.counter("firehose.records.dropped").count() - droppedBefore).isGreaterThanOrEqualTo(3);
        assertThat(objects(bucket)).isEmpty();
    }
}
