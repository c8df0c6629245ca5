package io.firehosesse.dataplane;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.Streams.awaitStatus;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.HttpsReceiver;
import io.firehosesse.support.MutableClock;
import io.firehosesse.support.TestDatabase;
import io.firehosesse.support.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.AmazonopensearchserviceDestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.SplunkDestinationConfiguration;

/**
 * Splunk destinations get their records POSTed to the HEC endpoint, OpenSearch destinations to the cluster's
 * {@code _bulk} API, on an HTTPS receiver on the loopback the service trusts (as in {@link HttpDeliveryIT}); what
 * fails goes to the S3 backup after the retry duration. Each test runs the delivery sweep itself; the context (and
 * its clock, moved past retry windows) is this class's own.
 */
@TestPropertySource(properties = TestDatabase.OWN_DATABASE + "=true")
class SplunkAndOpenSearchDeliveryIT extends AwsClientsIT {

    static final HttpsReceiver RECEIVER = new HttpsReceiver();
    static final String ROLE = "arn:aws:iam::123456789012:role/firehose";
    static final HttpsReceiver.Answer HEC_SUCCESS = new HttpsReceiver.Answer(200, "{\"text\":\"Success\",\"code\":0}");
    static final HttpsReceiver.Answer BULK_SUCCESS = new HttpsReceiver.Answer(200,
            "{\"took\":3,\"errors\":false,\"items\":[]}");

    @DynamicPropertySource
    static void trustTheReceiver(DynamicPropertyRegistry registry) {
        registry.add("firehose.delivery.http.trust-store", () -> RECEIVER.certificate().toString());
        registry.add("firehose.delivery.max-backoff", () -> "1s");
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Value("${firehose.delivery.directory}")
    Path directory;

    @Autowired
    RecordDelivery delivery;

    @Autowired
    MutableClock clock;

    final ObjectMapper json = new ObjectMapper();

    void splunk(String name, String base, String bucket, Consumer<SplunkDestinationConfiguration.Builder> more) {
        firehose.createDeliveryStream(r -> r.deliveryStreamName(name).splunkDestinationConfiguration(d -> {
            d.hecEndpoint(RECEIVER.url(base)).hecEndpointType("Event").hecToken("the-hec-token")
                    .bufferingHints(b -> b.intervalInSeconds(0).sizeInMBs(1))
                    .retryOptions(o -> o.durationInSeconds(60))
                    .s3Configuration(s -> s.roleARN(ROLE).bucketARN("arn:aws:s3:::" + bucket).prefix("backup/"));
            more.accept(d);
        }));
        awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);
    }

    void openSearch(String name, String base, String bucket,
                    Consumer<AmazonopensearchserviceDestinationConfiguration.Builder> more) {
        firehose.createDeliveryStream(r -> r.deliveryStreamName(name).amazonopensearchserviceDestinationConfiguration(d -> {
            d.roleARN(ROLE).clusterEndpoint(RECEIVER.url(base)).indexName("orders")
                    .bufferingHints(b -> b.intervalInSeconds(0).sizeInMBs(1))
                    .retryOptions(o -> o.durationInSeconds(60))
                    .s3Configuration(s -> s.roleARN(ROLE).bucketARN("arn:aws:s3:::" + bucket).prefix("backup/"));
            more.accept(d);
        }));
        awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);
    }

    void putAll(String name, String... records) {
        firehose.putRecordBatch(r -> r.deliveryStreamName(name).records(Stream.of(records)
                .map(data -> Record.builder().data(SdkBytes.fromUtf8String(data)).build()).toList()));
    }

    /** Runs the sweep until the receiver has had {@code count} requests on the path; those requests. */
    List<HttpsReceiver.Received> requests(String path, int count) {
        return Waits.background().until(() -> {
            delivery.deliverDue();
            return RECEIVER.received(path);
        }, all -> all.size() >= count);
    }

    /** Runs the sweep until the bucket holds an object; its objects. */
    List<Path> backedUp(String bucket) {
        return Waits.background().until(() -> {
            delivery.deliverDue();
            return objects(bucket);
        }, found -> !found.isEmpty());
    }

    List<Path> objects(String bucket) {
        return DeliveredObjects.in(directory, bucket);
    }

    String relative(String bucket, Path object) {
        return directory.resolve(bucket).relativize(object).toString();
    }

    /** The lines of a bulk request's NDJSON body, parsed. */
    List<JsonNode> lines(HttpsReceiver.Received request) throws IOException {
        assertThat(request.body()).endsWith("\n");
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : request.body().split("\n")) {
            lines.add(json.readTree(line));
        }
        return lines;
    }

    @Test
    void splunkEventsArriveDecryptedAtTheHecEventEndpointWithTheToken() throws Exception {
        String name = uniqueName("splunk");
        String base = "/" + name;
        String path = base + "/services/collector/event";
        splunk(name, base, "backup-" + name, d -> { });
        RECEIVER.answer(path, request -> HEC_SUCCESS);
        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);

        putAll(name, "plain text", "{\"user\":\"ann\",\"clicks\":3}",
                "{\"time\":1456405200,\"sourcetype\":\"clicks\",\"event\":\"formatted\"}");
        HttpsReceiver.Received request = requests(path, 1).get(0);

        assertThat(request.header("Authorization")).isEqualTo("Splunk the-hec-token");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("X-Splunk-Request-Channel")).matches("[0-9a-f-]{36}");
        // HEC's batch form: event objects one after another.
        List<JsonNode> events = new java.util.ArrayList<>();
        json.getFactory().createParser(request.body()).readValuesAs(JsonNode.class).forEachRemaining(events::add);
        assertThat(events).containsExactly(
                json.readTree("{\"event\":\"plain text\"}"),
                json.readTree("{\"event\":{\"user\":\"ann\",\"clicks\":3}}"),
                json.readTree("{\"time\":1456405200,\"sourcetype\":\"clicks\",\"event\":\"formatted\"}"));
        Waits.background().until(() -> {
            delivery.deliverDue();
            return listedBuffered(name);
        }, buffered -> buffered == 0);
        assertThat(objects("backup-" + name)).as("FailedEventsOnly: nothing delivered is backed up").isEmpty();
    }

    @Test
    void splunkRawRecordsAreJoinedAndAllEventsBacksEveryOneUp() throws Exception {
        String name = uniqueName("splunk-raw");
        String base = "/" + name;
        String path = base + "/services/collector/raw";
        String bucket = "backup-" + name;
        splunk(name, base, bucket, d -> d.hecEndpointType("Raw").s3BackupMode("AllEvents"));
        RECEIVER.answer(path, request -> HEC_SUCCESS);

        putAll(name, "line-1\n", "line-2\n");
        HttpsReceiver.Received request = requests(path, 1).get(0);

        assertThat(request.body()).isEqualTo("line-1\nline-2\n");
        assertThat(request.header("Authorization")).isEqualTo("Splunk the-hec-token");
        List<Path> all = Waits.background().until(() -> objects(bucket), found -> !found.isEmpty());
        assertThat(relative(bucket, all.get(0))).startsWith("backup/").doesNotContain("failed");
        assertThat(Files.readString(all.get(0), StandardCharsets.UTF_8)).isEqualTo("line-1\nline-2\n");
    }

    @Test
    void splunkAnswersOtherThanCodeZeroFailAndAfterTheRetryDurationGoToSplunkFailed() throws Exception {
        String name = uniqueName("splunk-down");
        String base = "/" + name;
        String path = base + "/services/collector/event";
        String bucket = "backup-" + name;
        splunk(name, base, bucket, d -> { });
        // HEC's answer to a bad token: a 403 with a code; a 200 whose code is not 0 is no success either.
        RECEIVER.answer(path, request -> RECEIVER.received(path).size() == 1
                ? new HttpsReceiver.Answer(403, "{\"text\":\"Invalid token\",\"code\":4}")
                : new HttpsReceiver.Answer(200, "{\"text\":\"Server is busy\",\"code\":9}"));

        putAll(name, "lost,", "found");
        // Both answers seen; the second request also means the first failure (the retry window's start) is recorded.
        requests(path, 2);
        assertThat(objects(bucket)).as("within the retry duration the events wait").isEmpty();
        // Past the 60 s retry duration. The clock stays moved: this context is this class's alone.
        clock.advance(Duration.ofSeconds(61));
        List<Path> backedUp = backedUp(bucket);

        assertThat(backedUp).singleElement().satisfies(object -> {
            assertThat(relative(bucket, object)).matches("backup/splunk-failed/\\d{4}/\\d{2}/\\d{2}/\\d{2}/" + name
                    + "-1-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-9a-f-]{36}");
            assertThat(Files.readString(object, StandardCharsets.UTF_8)).isEqualTo("lost,found");
        });
    }

    @Test
    void openSearchGetsABulkRequestIntoTheRotatedIndex() throws Exception {
        String name = uniqueName("opensearch");
        String base = "/" + name;
        String path = base + "/_bulk";
        String bucket = "backup-" + name;
        openSearch(name, base, bucket, d -> d.indexRotationPeriod("OneHour"));
        RECEIVER.answer(path, request -> BULK_SUCCESS);

        Instant before = clock.instant();
        putAll(name, "{\"order\":1}\n", "{\"order\":2}");
        Instant after = clock.instant();
        HttpsReceiver.Received request = requests(path, 1).get(0);

        assertThat(request.header("Content-Type")).isEqualTo("application/x-ndjson");
        assertThat(request.header("Authorization")).as("unsigned").isNull();
        List<JsonNode> lines = lines(request);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).isEqualTo(json.readTree("{\"order\":1}"));
        assertThat(lines.get(3)).isEqualTo(json.readTree("{\"order\":2}"));
        for (JsonNode action : List.of(lines.get(0), lines.get(2))) {
            assertThat(action.path("index").path("_index").asText()).isIn(
                    OpenSearchDelivery.indexName("orders", "OneHour", before),
                    OpenSearchDelivery.indexName("orders", "OneHour", after));
            assertThat(action.path("index").path("_index").asText()).matches("orders-\\d{4}-\\d{2}-\\d{2}-\\d{2}");
        }
        Waits.background().until(() -> {
            delivery.deliverDue();
            return listedBuffered(name);
        }, buffered -> buffered == 0);
        assertThat(objects(bucket)).as("FailedDocumentsOnly: nothing delivered is backed up").isEmpty();
    }

    @Test
    void openSearchServerlessIndexesIntoTheCollectionWithoutRotation() throws Exception {
        String name = uniqueName("serverless");
        String base = "/" + name;
        String path = base + "/_bulk";
        firehose.createDeliveryStream(r -> r.deliveryStreamName(name).amazonOpenSearchServerlessDestinationConfiguration(d -> d
                .roleARN(ROLE).collectionEndpoint(RECEIVER.url(base)).indexName("logs")
                .bufferingHints(b -> b.intervalInSeconds(0).sizeInMBs(1))
                .s3Configuration(s -> s.roleARN(ROLE).bucketARN("arn:aws:s3:::backup-" + name))));
        awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);
        RECEIVER.answer(path, request -> BULK_SUCCESS);

        putAll(name, "{\"level\":\"info\"}");
        List<JsonNode> lines = lines(requests(path, 1).get(0));

        assertThat(lines).containsExactly(json.readTree("{\"index\":{\"_index\":\"logs\"}}"),
                json.readTree("{\"level\":\"info\"}"));
    }

    @Test
    void aBulkAnswerWithErrorsFailsTheBatchWhichAfterTheRetryDurationIsBackedUp() throws Exception {
        String name = uniqueName("opensearch-errors");
        String base = "/" + name;
        String path = base + "/_bulk";
        String bucket = "backup-" + name;
        openSearch(name, base, bucket, d -> { });
        RECEIVER.answer(path, request -> new HttpsReceiver.Answer(200, "{\"took\":1,\"errors\":true,\"items\":[{\"index\":"
                + "{\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\"}}}]}"));

        putAll(name, "{\"order\":", "not json");
        // A second request: the first failure, which opens the retry window, is recorded before the clock moves.
        requests(path, 2);
        assertThat(objects(bucket)).as("within the retry duration the documents wait").isEmpty();
        clock.advance(Duration.ofSeconds(61));
        List<Path> backedUp = backedUp(bucket);

        assertThat(backedUp).singleElement().satisfies(object -> {
            assertThat(relative(bucket, object)).startsWith("backup/AmazonOpenSearchService-failed/");
            assertThat(Files.readString(object, StandardCharsets.UTF_8)).isEqualTo("{\"order\":not json");
        });
    }

    @Test
    void aDomainGivenOnlyByItsArnCannotBeReachedSoItsDocumentsAreBackedUpAtOnce() throws Exception {
        String name = uniqueName("es-domain");
        String bucket = "backup-" + name;
        firehose.createDeliveryStream(r -> r.deliveryStreamName(name).elasticsearchDestinationConfiguration(d -> d
                .roleARN(ROLE).domainARN("arn:aws:es:us-east-1:123456789012:domain/orders").indexName("orders")
                .bufferingHints(b -> b.intervalInSeconds(0).sizeInMBs(1))
                .s3Configuration(s -> s.roleARN(ROLE).bucketARN("arn:aws:s3:::" + bucket).prefix("backup/"))));
        awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);

        putAll(name, "{\"order\":1}", "{\"order\":2}");
        // No clock moved: the default retry duration (300 s) is not waited out.
        List<Path> backedUp = backedUp(bucket);

        assertThat(relative(bucket, backedUp.get(0))).startsWith("backup/AmazonOpenSearchService-failed/");
        assertThat(Files.readString(backedUp.get(0), StandardCharsets.UTF_8)).isEqualTo("{\"order\":1}{\"order\":2}");
    }

    /** How many of the stream's records are still buffered, as the REST API lists them. */
    long listedBuffered(String name) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + port + "/api/delivery-streams/" + name + "/records")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        JsonNode records = json.readTree(response.body()).path("records");
        long buffered = 0;
        for (JsonNode record : records) {
            if (record.path("deliveredObject").isNull() || record.path("deliveredObject").isMissingNode()) {
                buffered++;
            }
        }
        return records.isEmpty() ? -1 : buffered;
    }
}
