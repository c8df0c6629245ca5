package io.firehosesse.readmodel;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.EncryptionFixtures.startWithCustomerKey;
import static io.firehosesse.support.Streams.awaitGone;
import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.Waits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** A replay of every projection gives back exactly the rows the live projections wrote. */
class ReplayIT extends AwsClientsIT {

    @Autowired
    JdbcClient jdbc;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/admin/replays"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String path) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    Map<String, List<Map<String, Object>>> projections() {
        return Map.of(
                "delivery_stream_view", jdbc.sql("SELECT * FROM delivery_stream_view ORDER BY stream_id").query().listOfRows(),
                "encryption_call_view", jdbc.sql("SELECT * FROM encryption_call_view ORDER BY stream_id, sequence_number")
                        .query().listOfRows(),
                "stream_grant_view", jdbc.sql("SELECT * FROM stream_grant_view ORDER BY grant_id").query().listOfRows());
    }

    @Test
    void replayingEveryProjectionRebuildsExactlyTheLiveRows() throws Exception {
        String kept = uniqueName("replayed");
        String gone = uniqueName("replayed-gone");
        createActive(firehose, kept);
        createActive(firehose, gone);
        KeyMetadata first = newKey("replay one");
        KeyMetadata second = newKey("replay two");
        startWithCustomerKey(firehose, kept, first.arn());
        awaitEncryption(firehose, kept, DeliveryStreamEncryptionStatus.ENABLED);
        startWithCustomerKey(firehose, kept, second.arn());
        awaitEncryption(firehose, kept, DeliveryStreamEncryptionStatus.ENABLED);
        firehose.tagDeliveryStream(r -> r.deliveryStreamName(kept).tags(t -> t.key("replay").value("yes")));
        firehose.deleteDeliveryStream(r -> r.deliveryStreamName(gone));
        awaitGone(firehose, gone);
        Waits.background().until(() -> jdbc.sql("SELECT count(*) FROM stream_grant_view WHERE state = 'RETIREMENT_SCHEDULED'")
                .query(Long.class).single() == 0);
        Map<String, List<Map<String, Object>>> before = projections();

        HttpResponse<String> accepted = post("{\"projection\": \"all\"}");
        String id = json.readTree(accepted.body()).path("id").asText();
        // Every event of the store every test class shares so far, so this is long even on an idle machine.
        JsonNode done = Waits.longWork().until(() -> get("/api/admin/replays/" + id),
                p -> !p.path("state").asText().matches("QUEUED|REBUILDING|SWITCHING"));

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("Location")).hasValue("/api/admin/replays/" + id);
        assertThat(done.path("state").asText()).isEqualTo("DONE");
        assertThat(done.path("eventsDone").asLong()).isEqualTo(done.path("eventsTotal").asLong());
        assertThat(done.path("eventsTotal").asLong()).isPositive();
        assertThat(projections()).isEqualTo(before);
        assertThat(jdbc.sql("SELECT count(*) FROM pg_tables WHERE tablename LIKE '%_rebuild'").query(Long.class).single()).isZero();
    }

    @Test
    void anUnknownProjectionOrReplayIsAProblem() throws Exception {
        HttpResponse<String> unknown = post("{\"projection\": \"no-such-view\"}");

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json.readTree(unknown.body()).path("parameter").asText()).isEqualTo("projection");
        assertThat(get("/api/admin/replays/does-not-exist").path("status").asInt()).isEqualTo(404);
    }
}
