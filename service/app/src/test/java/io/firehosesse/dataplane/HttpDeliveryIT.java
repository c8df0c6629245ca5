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
import io.firehosesse.support.HttpsReceiver;
import io.firehosesse.support.MutableClock;
import io.firehosesse.support.Streams;
import io.firehosesse.support.TestDatabase;
import io.firehosesse.support.Waits;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.HttpEndpointDestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * HTTP endpoint destinations get their records POSTed in Firehose's documented format to an HTTPS receiver on the
 * loopback whose self-signed certificate the service trusts through {@code firehose.delivery.http.trust-store}.
 * Each test runs the delivery sweep itself rather than waiting for the timer; the scheduler's own runs may send a
 * batch first, which changes nothing asserted here. The context (and its clock) is this class's own.
 */
@TestPropertySource(properties = TestDatabase.OWN_DATABASE + "=true")
class HttpDeliveryIT extends AwsClientsIT {

    static final HttpsReceiver RECEIVER = new HttpsReceiver();

    @DynamicPropertySource
    static void trustTheReceiver(DynamicPropertyRegistry registry) {
        registry.add("firehose.delivery.http.trust-store", () -> RECEIVER.certificate().toString());
        // Short enough for the timeout test, long enough for a TLS handshake on a busy machine.
        registry.add("firehose.delivery.http.request-timeout", () -> "5s");
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

    @Autowired
    MeterRegistry meters;

    final ObjectMapper json = new ObjectMapper();

    /** A stream whose HTTP endpoint is {@code path} on the receiver, buffering nothing, backing up to {@code bucket}. */
    void create(String name, String path, String bucket, Consumer<HttpEndpointDestinationConfiguration.Builder> more) {
        firehose.createDeliveryStream(r -> r.deliveryStreamName(name).httpEndpointDestinationConfiguration(d -> {
            d.endpointConfiguration(e -> e.url(RECEIVER.url(path)).name("receiver"))
                    .roleARN("arn:aws:iam::123456789012:role/firehose")
                    .bufferingHints(b -> b.intervalInSeconds(0).sizeInMBs(1))
                    .retryOptions(o -> o.durationInSeconds(60))
                    .s3Configuration(s -> s.roleARN("arn:aws:iam::123456789012:role/firehose")
                            .bucketARN("arn:aws:s3:::" + bucket).prefix("backup/"));
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

    JsonNode body(HttpsReceiver.Received request) throws IOException {
        return json.readTree(request.body());
    }

    /** The records of a request's body, base64-decoded. */
    List<String> records(HttpsReceiver.Received request) throws IOException {
        return StreamSupport.stream(body(request).path("records").spliterator(), false)
                .map(record -> new String(Base64.getDecoder().decode(record.path("data").asText()), StandardCharsets.UTF_8))
                .toList();
    }

    /** The stream's records as the REST API lists them, once none is still buffered. */
    JsonNode deliveredRecords(String name) {
        return Waits.background().until(() -> listed(name),
                all -> !all.isEmpty() && all.findValues("deliveredObject").stream().noneMatch(JsonNode::isNull));
    }

    JsonNode listed(String name) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/delivery-streams/" + name + "/records")).build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body()).path("records");
    }

    List<Path> objects(String bucket) {
        return DeliveredObjects.in(directory, bucket);
    }

    String relative(String bucket, Path object) {
        return directory.resolve(bucket).relativize(object).toString();
    }

    @Test
    void recordsArriveDecryptedInOrderInTheDocumentedRequest() throws Exception {
        String name = uniqueName("http");
        String path = "/" + name;
        String bucket = "backup-" + name;
        create(name, path, bucket, d -> d
                .endpointConfiguration(e -> e.url(RECEIVER.url(path)).name("receiver").accessKey("the-access-key"))
                .requestConfiguration(c -> c.commonAttributes(a -> a.attributeName("env").attributeValue("test"),
                        a -> a.attributeName("team").attributeValue("data"))));
        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);

        putAll(name, "alpha,", "beta,", "gamma");
        HttpsReceiver.Received request = requests(path, 1).get(0);

        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Content-Encoding")).isNull();
        assertThat(request.header("X-Amz-Firehose-Protocol-Version")).isEqualTo("1.0");
        assertThat(request.header("X-Amz-Firehose-Source-Arn")).isEqualTo(Streams.describe(firehose, name).deliveryStreamARN());
        assertThat(request.header("X-Amz-Firehose-Access-Key")).isEqualTo("the-access-key");
        assertThat(json.readTree(request.header("X-Amz-Firehose-Common-Attributes")))
                .isEqualTo(json.readTree("{\"commonAttributes\":{\"env\":\"test\",\"team\":\"data\"}}"));
        JsonNode body = body(request);
        assertThat(body.path("requestId").asText()).isEqualTo(request.header("X-Amz-Firehose-Request-Id")).isNotBlank();
        assertThat(body.path("timestamp").isIntegralNumber()).isTrue();
        assertThat(Math.abs(body.path("timestamp").asLong() - clock.millis())).isLessThan(Waits.BACKGROUND.toMillis());
        assertThat(records(request)).containsExactly("alpha,", "beta,", "gamma");
        assertThat(deliveredRecords(name)).allSatisfy(record ->
                assertThat(record.path("deliveredObject").asText()).isEqualTo(RECEIVER.url(path)));
        assertThat(objects(bucket)).as("FailedDataOnly: nothing delivered is backed up").isEmpty();
    }

    @Test
    void aFailedRequestIsSentAgainUnderTheSameRequestIdUntilTheEndpointTakesIt() throws Exception {
        String name = uniqueName("http-retry");
        String path = "/" + name;
        create(name, path, "backup-" + name, d -> { });
        AtomicInteger answered = new AtomicInteger();
        RECEIVER.answer(path, request -> switch (answered.incrementAndGet()) {
            case 1 -> new HttpsReceiver.Answer(503, "{\"errorMessage\":\"busy\"}");
            // A 200 for another request is not an acknowledgement of this one.
            case 2 -> new HttpsReceiver.Answer(200, "{\"requestId\":\"someone-else\",\"timestamp\":1}");
            default -> HttpsReceiver.accepted(request);
        });

        putAll(name, "once,", "twice,", "thrice");
        List<HttpsReceiver.Received> requests = requests(path, 3);
        deliveredRecords(name);

        assertThat(requests).extracting(request -> request.header("X-Amz-Firehose-Request-Id")).containsOnly(
                requests.get(0).header("X-Amz-Firehose-Request-Id"));
        for (HttpsReceiver.Received request : requests) {
            assertThat(records(request)).containsExactly("once,", "twice,", "thrice");
        }
        assertThat(objects("backup-" + name)).isEmpty();
    }

    @Test
    void aRequestThatTimesOutHasFailedAndIsSentAgain() throws Exception {
        String name = uniqueName("http-timeout");
        String path = "/" + name;
        create(name, path, "backup-" + name, d -> { });
        CountDownLatch released = new CountDownLatch(1);
        AtomicInteger answered = new AtomicInteger();
        RECEIVER.answer(path, request -> {
            if (answered.incrementAndGet() == 1) {
                try {
                    // Longer than the request timeout (5 s): the service gives up on this one.
                    released.await(Waits.BACKGROUND.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return HttpsReceiver.accepted(request);
        });
        try {
            putAll(name, "slow,", "but,", "there");
            List<HttpsReceiver.Received> requests = requests(path, 2);
            deliveredRecords(name);

            assertThat(requests.get(1).header("X-Amz-Firehose-Request-Id"))
                    .isEqualTo(requests.get(0).header("X-Amz-Firehose-Request-Id"));
            assertThat(records(requests.get(1))).containsExactly("slow,", "but,", "there");
        } finally {
            released.countDown();
        }
    }

    @Test
    void afterTheRetryDurationTheRecordsGoToTheS3BackupUnderHttpEndpointFailed() throws Exception {
        String name = uniqueName("http-down");
        String path = "/" + name;
        String bucket = "backup-" + name;
        create(name, path, bucket, d -> { });
        RECEIVER.answer(path, request -> new HttpsReceiver.Answer(500, "{\"errorMessage\":\"down\"}"));
        double backedUpBefore = meters.counter("firehose.records.backed-up").count();

        putAll(name, "lost,", "and,", "found");
        // A second request: the first failure, which opens the retry window, is recorded before the clock moves (the
        // receiver sees the first request before the delivery has its answer).
        requests(path, 2);
        assertThat(objects(bucket)).as("within the retry duration the records wait").isEmpty();
        // Past the 60 s retry duration. The clock stays moved: this context is this class's alone.
        clock.advance(Duration.ofSeconds(61));
        List<Path> backedUp = Waits.background().until(() -> {
            delivery.deliverDue();
            return objects(bucket);
        }, found -> !found.isEmpty());

        assertThat(backedUp).singleElement().satisfies(object -> {
            assertThat(relative(bucket, object)).matches("backup/http-endpoint-failed/\\d{4}/\\d{2}/\\d{2}/\\d{2}/" + name
                    + "-1-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-9a-f-]{36}");
            assertThat(Files.readString(object, StandardCharsets.UTF_8)).isEqualTo("lost,and,found");
        });
        assertThat(deliveredRecords(name)).allSatisfy(record -> assertThat(
                Path.of(URI.create(record.path("deliveredObject").asText()))).isEqualTo(backedUp.get(0).toAbsolutePath()));
        assertThat(meters.counter("firehose.records.backed-up").count() - backedUpBefore).isEqualTo(3);
    }

    @Test
    void withNoRetryDurationAFailedBatchGoesToTheErrorOutputPrefixAtOnce() throws Exception {
        String name = uniqueName("http-noretry");
        String path = "/" + name;
        String bucket = "backup-" + name;
        create(name, path, bucket, d -> d.retryOptions(o -> o.durationInSeconds(0))
                .s3Configuration(s -> s.roleARN("arn:aws:iam::123456789012:role/firehose")
                        .bucketARN("arn:aws:s3:::" + bucket).prefix("backup/").errorOutputPrefix("errors/")));
        RECEIVER.answer(path, request -> new HttpsReceiver.Answer(413, "{\"errorMessage\":\"too large\"}"));

        putAll(name, "straight,", "to-s3");
        List<Path> backedUp = Waits.background().until(() -> {
            delivery.deliverDue();
            return objects(bucket);
        }, found -> !found.isEmpty());

        assertThat(RECEIVER.received(path)).hasSize(1);
        assertThat(relative(bucket, backedUp.get(0))).startsWith("errors/");
        assertThat(Files.readString(backedUp.get(0), StandardCharsets.UTF_8)).isEqualTo("straight,to-s3");
    }

    @Test
    void gzipEncodingCompressesTheBodyAndAllDataBacksUpEveryRecord() throws Exception {
        String name = uniqueName("http-gzip");
        String path = "/" + name;
        String bucket = "backup-" + name;
        create(name, path, bucket, d -> d.requestConfiguration(c -> c.contentEncoding("GZIP")).s3BackupMode("AllData"));

        putAll(name, "zipped,", "and,", "kept");
        HttpsReceiver.Received request = requests(path, 1).get(0);
        deliveredRecords(name);

        assertThat(request.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(request.rawBody()).startsWith((byte) 0x1f, (byte) 0x8b);
        assertThat(records(request)).containsExactly("zipped,", "and,", "kept");
        List<Path> backedUp = Waits.background().until(() -> objects(bucket), found -> !found.isEmpty());
        assertThat(relative(bucket, backedUp.get(0))).startsWith("backup/").doesNotContain("failed");
        assertThat(Files.readString(backedUp.get(0), StandardCharsets.UTF_8)).isEqualTo("zipped,and,kept");
    }

    @Test
    void stopSendsWhatIsBufferedUnderTheKeyToTheEndpointThenRetiresItsGrant() throws Exception {
        String name = uniqueName("http-drain");
        String path = "/" + name;
        create(name, path, "backup-" + name, d -> d.bufferingHints(b -> b.intervalInSeconds(900).sizeInMBs(1)));
        KeyMetadata key = newKey("drained to an endpoint");
        startWithCustomerKey(firehose, name, key.arn());
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        putAll(name, "first,", "second,", "third");
        assertThat(RECEIVER.received(path)).as("buffered for 900 s").isEmpty();

        firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.DISABLED);

        assertThat(RECEIVER.received(path)).singleElement()
                .satisfies(request -> assertThat(records(request)).containsExactly("first,", "second,", "third"));
        assertThat(grants(kms, key.keyId())).isEmpty();
    }
}
