package io.firehosesse.readmodel;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.EncryptionFixtures.startWithCustomerKey;
import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.createDirectPut;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.Clients;
import io.firehosesse.support.Waits;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** The REST query API over HTTP, against streams made through the AWS endpoint. */
class RestQueriesIT extends AwsClientsIT {

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    record Answer(int status, String contentType, JsonNode body) {
    }

    Answer get(String pathAndQuery) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                json.readTree(response.body()));
    }

    static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void aStreamIsServedByNameOrArnAndAnUnknownOneIsAProblem() throws Exception {
        String name = uniqueName("rest");
        String arn = createActive(firehose, name);

        Answer byName = get("/api/delivery-streams/" + name);
        Answer byArn = get("/api/delivery-streams/" + encoded(arn));
        Answer missing = get("/api/delivery-streams/not-" + name);

        assertThat(byName.status()).isEqualTo(200);
        assertThat(byName.body().path("arn").asText()).isEqualTo(arn);
        assertThat(byName.body().path("status").asText()).isEqualTo("ACTIVE");
        assertThat(byName.body().path("encryption").path("status").asText()).isEqualTo("DISABLED");
        assertThat(byArn.body()).isEqualTo(byName.body());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.body().path("title").asText()).isEqualTo("Delivery stream not found");
    }

    @Test
    void timeTravelShowsTheStateAtEachInstantOfTheHistory() throws Exception {
        String name = uniqueName("travel");
        createActive(firehose, name);
        firehose.tagDeliveryStream(r -> r.deliveryStreamName(name).tags(t -> t.key("phase").value("one")));
        KeyMetadata key = newKey("travel");
        startWithCustomerKey(firehose, name, key.arn());
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        JsonNode events = get("/api/delivery-streams/" + name + "/events").body().path("events");
        Instant created = instant(events, "DeliveryStreamCreated");
        Instant tagged = instant(events, "DeliveryStreamTagged");
        Instant requested = instant(events, "EncryptionRequested");

        Answer before = get("/api/delivery-streams/" + name + "?at=" + created.minusSeconds(1));
        JsonNode atCreation = get("/api/delivery-streams/" + name + "?at=" + created).body();
        JsonNode atTag = get("/api/delivery-streams/" + name + "?at=" + tagged).body();
        JsonNode atRequest = get("/api/delivery-streams/" + name + "?at=" + requested).body();
        JsonNode now = get("/api/delivery-streams/" + name).body();
        JsonNode rebuiltNow = get("/api/delivery-streams/" + name + "?at=" + Instant.now().plusSeconds(1)).body();

        assertThat(before.status()).isEqualTo(404);
        assertThat(atCreation.path("status").asText()).isEqualTo("CREATING");
        assertThat(atCreation.path("tags").isEmpty()).isTrue();
        assertThat(atTag.path("tags").path("phase").asText()).isEqualTo("one");
        assertThat(atTag.path("encryption").path("status").asText()).isEqualTo("DISABLED");
        assertThat(atRequest.path("encryption").path("status").asText()).isEqualTo("ENABLING");
        assertThat(atRequest.path("encryption").path("keyArn").asText()).isEqualTo(key.arn());
        assertThat(now.path("encryption").path("status").asText()).isEqualTo("ENABLED");
        assertThat(rebuiltNow).isEqualTo(now);
    }

    @Test
    void theTimelineListsEachChangeOfStatusAndEncryptionWithTheEventAndRequestBehindIt() throws Exception {
        String name = uniqueName("timeline");
        createActive(firehose, name);
        firehose.tagDeliveryStream(r -> r.deliveryStreamName(name).tags(t -> t.key("unseen").value("tags are not on it")));
        KeyMetadata key = newKey("timeline");
        startWithCustomerKey(firehose, name, key.arn());
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);

        JsonNode timeline = get("/api/delivery-streams/" + name + "/timeline").body();
        JsonNode calls = get("/api/delivery-streams/" + name + "/encryption-calls").body();

        List<String> changes = new ArrayList<>();
        timeline.path("entries").forEach(e -> changes.add(e.path("event").asText() + " " + e.path("status").asText() + " "
                + e.path("encryption").path("status").asText()));
        assertThat(changes).containsExactly(
                "DeliveryStreamCreated CREATING DISABLED",
                "DeliveryStreamActivated ACTIVE DISABLED",
                "EncryptionRequested ACTIVE ENABLING",
                "EncryptionEnabled ACTIVE ENABLED");
        JsonNode enabled = timeline.path("entries").get(3);
        assertThat(enabled.path("encryption").path("keyArn").asText()).isEqualTo(key.arn());
        // Done by the encryption process, but on behalf of the Start call: its request id.
        assertThat(enabled.path("requestId").asText()).isEqualTo(calls.path("calls").get(0).path("requestId").asText());
        assertThat(Instant.parse(timeline.path("now").asText())).isAfterOrEqualTo(Instant.parse(enabled.path("at").asText()));
    }

    private static Instant instant(JsonNode events, String type) {
        for (JsonNode event : events) {
            if (event.path("type").asText().equals(type)) {
                return Instant.parse(event.path("timestamp").asText());
            }
        }
        throw new AssertionError("no " + type + " in " + events);
    }

    @Test
    void theHistoryListsEveryEventInOrderWithWhoAskedAndPagesAndFilters() throws Exception {
        String name = uniqueName("history");
        createActive(firehose, name);
        for (int i = 0; i < 3; i++) {
            int n = i;
            firehose.tagDeliveryStream(r -> r.deliveryStreamName(name).tags(t -> t.key("k" + n).value("v")));
        }

        JsonNode all = get("/api/delivery-streams/" + name + "/events").body();
        JsonNode firstPage = get("/api/delivery-streams/" + name + "/events?limit=2").body();
        JsonNode secondPage = get("/api/delivery-streams/" + name + "/events?limit=2&cursor="
                + firstPage.path("nextCursor").asLong()).body();
        JsonNode tagsOnly = get("/api/delivery-streams/" + name + "/events?type=DeliveryStreamTagged").body();
        Instant lastTag = Instant.parse(tagsOnly.path("events").get(2).path("timestamp").asText());
        JsonNode fromLastTag = get("/api/delivery-streams/" + name + "/events?from=" + lastTag).body();

        List<String> types = new ArrayList<>();
        all.path("events").forEach(e -> types.add(e.path("type").asText()));
        assertThat(types).containsExactly("DeliveryStreamCreated", "DeliveryStreamActivated", "DeliveryStreamTagged",
                "DeliveryStreamTagged", "DeliveryStreamTagged");
        assertThat(all.path("events").get(0).path("metadata").path("accessKeyId").asText()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
        assertThat(all.path("events").get(0).path("metadata").path("requestId").asText()).isNotBlank();
        assertThat(all.path("events").get(2).path("payload").path("tags").path("k0").asText()).isEqualTo("v");
        assertThat(firstPage.path("events")).hasSize(2);
        assertThat(secondPage.path("events").get(0).path("sequenceNumber").asLong()).isEqualTo(2);
        assertThat(all.path("nextCursor").isNull()).isTrue();
        assertThat(tagsOnly.path("events")).hasSize(3);
        assertThat(fromLastTag.path("events")).hasSize(1);
    }

    @Test
    void theListFiltersByEncryptionStatusAndKeyAndPages() throws Exception {
        try (FirehoseClient stockholm = Clients.firehose(port, Region.EU_NORTH_1)) {
            String prefix = uniqueName("l");
            for (String suffix : List.of("a", "b", "c")) {
                createDirectPut(stockholm, prefix + "-" + suffix);
            }
            String encrypted = prefix + "-b";
            io.firehosesse.support.Streams.awaitStatus(stockholm, encrypted, software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus.ACTIVE);
            stockholm.startDeliveryStreamEncryption(r -> r.deliveryStreamName(encrypted));
            awaitEncryption(stockholm, encrypted, DeliveryStreamEncryptionStatus.ENABLED);

            JsonNode first = get("/api/delivery-streams?region=eu-north-1&limit=2").body();
            JsonNode rest = get("/api/delivery-streams?region=eu-north-1&limit=2&cursor=" + first.path("nextCursor").asText()).body();
            JsonNode enabled = get("/api/delivery-streams?region=eu-north-1&encryptionStatus=ENABLED").body();

            assertThat(first.path("streams")).hasSize(2);
            assertThat(first.path("streams").get(0).path("name").asText()).isEqualTo(prefix + "-a");
            assertThat(rest.path("streams").get(0).path("name").asText()).isEqualTo(prefix + "-c");
            assertThat(rest.path("nextCursor").isNull()).isTrue();
            assertThat(enabled.path("streams")).hasSize(1);
            assertThat(enabled.path("streams").get(0).path("keyType").asText()).isEqualTo("AWS_OWNED_CMK");
        }
    }

    @Test
    void encryptionCallsGrantsAndKeyUsageAreQueryable() throws Exception {
        String name = uniqueName("calls");
        createActive(firehose, name);
        KeyMetadata first = newKey("first");
        KeyMetadata second = newKey("second");
        startWithCustomerKey(firehose, name, first.arn());
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        startWithCustomerKey(firehose, name, second.arn());
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        Waits.background().until(() -> get("/api/delivery-streams/" + name + "/grants").body().get(0)
                .path("state").asText().equals("RETIRED"));

        JsonNode calls = get("/api/delivery-streams/" + name + "/encryption-calls").body();
        JsonNode grants = get("/api/delivery-streams/" + name + "/grants").body();
        JsonNode onSecond = get("/api/keys/" + encoded(second.arn()) + "/delivery-streams").body();
        JsonNode onFirst = get("/api/keys/" + encoded(first.arn()) + "/delivery-streams").body();

        assertThat(calls.path("count").asInt()).isEqualTo(2);
        assertThat(calls.path("remaining").asInt()).isEqualTo(23);
        assertThat(calls.path("calls").get(0).path("operation").asText()).isEqualTo("StartDeliveryStreamEncryption");
        assertThat(calls.path("calls").get(0).path("requestId").asText()).isNotBlank();
        assertThat(Instant.parse(calls.path("nextSlotAt").asText()))
                .isEqualTo(Instant.parse(calls.path("calls").get(0).path("at").asText()).plusSeconds(24 * 3600));
        assertThat(grants).hasSize(2);
        assertThat(grants.get(0).path("keyArn").asText()).isEqualTo(first.arn());
        assertThat(grants.get(1).path("state").asText()).isEqualTo("ACTIVE");
        assertThat(onSecond.path("count").asInt()).isEqualTo(1);
        assertThat(onSecond.path("limit").asInt()).isEqualTo(500);
        assertThat(onSecond.path("streams").get(0).path("name").asText()).isEqualTo(name);
        assertThat(onFirst.path("count").asInt()).isZero();
    }

    @Test
    void theProcessorsSayWhereEachSegmentStandsAndWhoClaimsIt() throws Exception {
        String name = uniqueName("lag");
        createActive(firehose, name);
        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name)
                .deliveryStreamEncryptionConfigurationInput(c -> c.keyType(software.amazon.awssdk.services.firehose.model.KeyType.AWS_OWNED_CMK)));
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);

        JsonNode processors = Waits.background().ignoreExceptions()
                .until(() -> get("/api/admin/processors").body(), body -> {
                    for (JsonNode segment : body.path("segments")) {
                        if (segment.path("behindEvents").asLong() != 0) {
                            return false;
                        }
                    }
                    return body.path("segments").size() > 0;
                });

        long head = processors.path("head").asLong();
        assertThat(head).isPositive();
        List<String> names = new ArrayList<>();
        for (JsonNode segment : processors.path("segments")) {
            names.add(segment.path("processor").asText() + "/" + segment.path("segment").asInt());
            assertThat(segment.path("position").asLong()).isEqualTo(head);
            assertThat(segment.path("behindMillis").asLong()).isZero();
            assertThat(segment.path("owner").asText()).isNotBlank();
        }
        assertThat(names).contains("encryption-process/0", "encryption-process/3", "delivery-stream-lifecycle/0");
    }

    @Test
    void badParametersAreProblemsThatNameTheParameter() throws Exception {
        String name = uniqueName("params");
        createActive(firehose, name);

        Answer at = get("/api/delivery-streams/" + name + "?at=yesterday");
        Answer limit = get("/api/delivery-streams?limit=0");
        Answer status = get("/api/delivery-streams?encryptionStatus=SOMETIMES");
        Answer cursor = get("/api/delivery-streams/" + name + "/events?cursor=abc");
        Answer key = get("/api/keys/not-a-key/delivery-streams");

        assertThat(List.of(at, limit, status, cursor, key)).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        });
        assertThat(at.body().path("parameter").asText()).isEqualTo("at");
        assertThat(limit.body().path("parameter").asText()).isEqualTo("limit");
        assertThat(status.body().path("parameter").asText()).isEqualTo("encryptionStatus");
        assertThat(cursor.body().path("parameter").asText()).isEqualTo("cursor");
        assertThat(key.body().path("parameter").asText()).isEqualTo("keyArn");
    }

    @Test
    void theApiIsDescribedByOpenApi() throws Exception {
        JsonNode document = get("/v3/api-docs").body();

        assertThat(document.path("paths").has("/api/delivery-streams/{name}")).isTrue();
        assertThat(document.path("paths").has("/api/delivery-streams/{name}/events")).isTrue();
        assertThat(document.path("paths").has("/api/keys/{keyArn}/delivery-streams")).isTrue();
    }
}
