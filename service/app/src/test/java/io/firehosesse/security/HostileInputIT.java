package io.firehosesse.security;

import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.SecretsInLog;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Hostile values in every filter of the REST API are only ever values (4xx or an empty answer, never a
 * 5xx, every table intact), and neither record data nor key material nor secrets reach the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileInputIT extends AwsClientsIT {

    static final List<String> HOSTILE = List.of("'; DROP TABLE domain_event_entry; --", "\" OR 1=1 --", "%", "_", "\\",
            "x' UNION SELECT secret_access_key FROM sts_credential --", "$1", ":name", "?", "\u0000", "ü\u202e", "a".repeat(5000));

    static final Map<String, List<String>> FILTERS = Map.of(
            "/api/delivery-streams", List.of("encryptionStatus", "keyArn", "cursor", "region", "limit"),
            "/api/delivery-streams/%s", List.of("at", "region"),
            "/api/delivery-streams/%s/events", List.of("from", "to", "type", "cursor", "limit"),
            "/api/delivery-streams/%s/records", List.of("cursor", "limit"),
            "/api/audit/events", List.of("eventName", "principal", "accessKeyId", "deliveryStream", "errorCode", "requestId",
                    "from", "to", "cursor", "limit"),
            "/api/audit/verify", List.of("from", "to"));

    @Autowired
    JdbcClient jdbc;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void hostileFilterValuesAreOnlyValues() throws Exception {
        String name = uniqueName("hostile");
        createActive(firehose, name);
        long eventsBefore = jdbc.sql("SELECT count(*) FROM domain_event_entry").query(Long.class).single();
        List<String> fivexx = new ArrayList<>();
        int requests = 0;
        for (Map.Entry<String, List<String>> endpoint : FILTERS.entrySet()) {
            for (String parameter : endpoint.getValue()) {
                for (String value : HOSTILE) {
                    String path = endpoint.getKey().formatted(name);
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path
                            + "?" + parameter + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    requests++;
                    if (response.statusCode() >= 500) {
                        fivexx.add(path + "?" + parameter + "=" + value.substring(0, Math.min(40, value.length())) + " → "
                                + response.statusCode() + " " + response.body());
                    }
                }
            }
            // A hostile stream name in the path, too.
            for (String value : HOSTILE) {
                if (endpoint.getKey().contains("%s")) {
                    String path = endpoint.getKey().formatted(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    requests++;
                    if (response.statusCode() >= 500) {
                        fivexx.add(path + " → " + response.statusCode());
                    }
                }
            }
        }
        System.out.println("HostileInputIT: " + requests + " hostile REST requests, " + fivexx.size() + " answered 5xx");
        assertThat(fivexx).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM domain_event_entry").query(Long.class).single()).isGreaterThanOrEqualTo(eventsBefore);
        assertThat(jdbc.sql("SELECT count(*) FROM sts_credential").query(Long.class).single()).isNotNegative();
    }

    @Test
    void recordDataKeyMaterialAndSecretsNeverReachTheLog(CapturedOutput output) {
        new SecretsInLog().exercise(firehose, kms).assertAbsentFrom(output.getAll());
    }
}
