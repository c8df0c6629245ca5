package io.firehosesse.admin;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * {@code POST /api/admin/reset} in open mode, on a database of its own: everything a test suite made is gone, the
 * audit trail starts again with the reset as its first record, and the service works as on a new database.
 */
@TestPropertySource(properties = TestDatabase.OWN_DATABASE + "=true")
@DirtiesContext
class ResetIT extends AwsClientsIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aResetLeavesNoStreamsKeysRecordsOrViewsAndStartsANewAuditChainWithItself() throws Exception {
        String name = uniqueName("before-reset");
        KeyMetadata key = activeStreamEncryptedWithNewKey(name, "made before the reset");
        kms.createAlias(r -> r.aliasName("alias/before-reset").targetKeyId(key.keyId()));
        firehose.putRecord(r -> r.deliveryStreamName(name).record(x -> x.data(SdkBytes.fromUtf8String("buffered"))));

        HttpResponse<String> answer = post("/api/admin/reset");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json.readTree(answer.body()).path("resetAt").asText()).isNotEmpty();
        assertThat(firehose.listDeliveryStreams(r -> r.limit(100)).deliveryStreamNames()).isEmpty();
        assertThatThrownBy(() -> firehose.describeDeliveryStream(r -> r.deliveryStreamName(name)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(kms.listKeys().keys()).extracting(KeyListEntry::keyId).doesNotContain(key.keyId());
        assertThat(kms.listAliases().aliases()).extracting(AliasListEntry::aliasName).doesNotContain("alias/before-reset");
        assertThat(get("/api/delivery-streams").path("streams")).isEmpty();
        assertThat(get("/api/keys/" + key.arn().replace("/", "%2F") + "/delivery-streams").path("count").asInt()).isZero();

        JsonNode trail = get("/api/audit/events?limit=100").path("Records");
        List<String> names = new ArrayList<>();
        trail.forEach(record -> names.add(record.path("eventName").asText()));
        assertThat(names).first().isEqualTo(ResetCommands.EVENT_NAME);
        assertThat(names).doesNotContain("CreateDeliveryStream", "CreateKey", "PutRecord");
        JsonNode verified = await().atMost(Duration.ofSeconds(120)).until(() -> get("/api/audit/verify"),
                result -> result.path("unsealed").asLong() == 0);
        assertThat(verified.path("intact").asBoolean()).isTrue();

        // The same name again, and the AWS owned key made anew: the service is as on a new database.
        createActive(firehose, name);
        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name)
                .deliveryStreamEncryptionConfigurationInput(c -> c.keyType(KeyType.AWS_OWNED_CMK)));
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        assertThat(firehose.putRecord(r -> r.deliveryStreamName(name).record(x -> x.data(SdkBytes.fromUtf8String("after"))))
                .encrypted()).isTrue();
    }

    /**
     * Resets while streams are being created and encrypted, so the processors' transactions hold some of the tables
     * the reset locks one after another: a reset that PostgreSQL picks as a deadlock's victim is tried again, never
     * answered 500.
     */
    @Test
    void resetsDuringCallsAndBackgroundWorkAllSucceed() throws Exception {
        AtomicBoolean busy = new AtomicBoolean(true);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        List<Future<Integer>> work = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            work.add(callers.submit(() -> {
                int made = 0;
                while (busy.get()) {
                    String name = uniqueName("amid-resets");
                    try {
                        firehose.createDeliveryStream(r -> r.deliveryStreamName(name).deliveryStreamEncryptionConfigurationInput(
                                e -> e.keyType(KeyType.AWS_OWNED_CMK)).extendedS3DestinationConfiguration(d -> d
                                .roleARN("arn:aws:iam::123456789012:role/firehose").bucketARN("arn:aws:s3:::amid-resets")));
                        kms.createKey(r -> r.description("amid resets"));
                        made++;
                    } catch (ResourceNotFoundException | software.amazon.awssdk.services.firehose.model.ResourceInUseException
                             gone) {
                        // a reset between this thread's calls: what it referred to is gone
                    }
                }
                return made;
            }));
        }
        List<Integer> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                HttpResponse<String> answer = post("/api/admin/reset");
                statuses.add(answer.statusCode());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            }
        } finally {
            busy.set(false);
            callers.shutdown();
        }
        for (Future<Integer> caller : work) {
            assertThat(caller.get(120, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(0);
        }
        assertThat(statuses).containsOnly(200);
        assertThat(post("/api/admin/reset").statusCode()).isEqualTo(200);
        assertThat(firehose.listDeliveryStreams(r -> r.limit(100)).deliveryStreamNames()).isEmpty();
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }
}
