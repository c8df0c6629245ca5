package io.firehosesse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.Clients;
import io.firehosesse.support.Streams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/**
 * Measures the REST read side of a running service: GET of a stream and of its state {@code ?at=} an
 * instant with 1,000 events in its history, then a replay of all projections over a store grown to
 * about {@code events} events (synthetic streams written straight into the event store).
 * Run: {@code java -cp <test classpath> io.firehosesse.bench.ReadModelBench <port> <jdbc url> [events]}.
 */
public final class ReadModelBench {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String jdbcUrl = args[1];
        long events = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000;
        String name = "bench-history-" + UUID.randomUUID().toString().substring(0, 8);
        try (FirehoseClient firehose = Clients.firehose(port)) {
            Streams.createActive(firehose, name);
            for (int i = 0; i < 998; i++) {
                int n = i;
                firehose.tagDeliveryStream(r -> r.deliveryStreamName(name).tags(t -> t.key("k" + (n % 40)).value("v" + n)));
            }
        }
        String base = "http://localhost:" + port + "/api/delivery-streams/" + name;
        time("GET /api/delivery-streams/{name} (1,000 events)", 500, () -> get(base));
        String at = Instant.now().toString();
        time("GET /api/delivery-streams/{name}?at= (1,000 events)", 200, () -> get(base + "?at=" + at));

        long existing;
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "");
             Statement sql = db.createStatement()) {
            var rs = sql.executeQuery("SELECT count(*) FROM domain_event_entry");
            rs.next();
            existing = rs.getLong(1);
            long streams = (events - existing) / 1000;
            if (streams > 0) {
                long start = System.nanoTime();
                sql.execute(syntheticHistory(streams).replace("synthetic-", "synthetic-" + name + "-"));
                System.out.printf("Wrote %d synthetic events in %.1f s%n", streams * 1000, (System.nanoTime() - start) / 1e9);
            }
        }
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/admin/replays"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"projection\":\"all\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String id = JSON.readTree(accepted.body()).path("id").asText();
        JsonNode progress;
        do {
            Thread.sleep(1000);
            progress = JSON.readTree(get("http://localhost:" + port + "/api/admin/replays/" + id));
        } while (progress.path("state").asText().matches("QUEUED|REBUILDING|SWITCHING"));
        System.out.println("Replay of all projections: " + progress);
    }

    /** Streams of 1,000 events each: created, activated, then 998 tag changes, as the aggregate would write them. */
    private static String syntheticHistory(long streams) {
        return """
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                    payload_type, payload_revision, payload, meta_data)
                SELECT gen_random_uuid()::text, 'synthetic-' || s, e, 'DeliveryStream',
                       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       CASE e WHEN 0 THEN 'io.firehosesse.api.deliverystream.DeliveryStreamCreated'
                              WHEN 1 THEN 'io.firehosesse.api.deliverystream.DeliveryStreamActivated'
                              ELSE 'io.firehosesse.api.deliverystream.DeliveryStreamTagged' END,
                       NULL,
                       convert_to(CASE e
                         WHEN 0 THEN format('{"streamId":"synthetic-%%s","key":{"accountId":"123456789012","region":"us-west-2","name":"synthetic-%%s"},'
                              || '"arn":"arn:aws:firehose:us-west-2:123456789012:deliverystream/synthetic-%%s","type":"DirectPut",'
                              || '"kinesisSource":null,"destinations":[{"destinationId":"destinationId-000000000001","kind":"EXTENDED_S3",'
                              || '"settings":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::b"}}],'
                              || '"tags":{},"encryption":null,"createdAt":"2026-01-01T00:00:00Z"}', s, s, s)
                         WHEN 1 THEN format('{"streamId":"synthetic-%%s","activatedAt":"2026-01-01T00:00:01Z"}', s)
                         ELSE format('{"streamId":"synthetic-%%s","tags":{"k%%s":"v%%s"},"taggedAt":"2026-01-01T00:00:02Z"}', s, e %% 40, e)
                       END, 'UTF8'),
                       convert_to('{}', 'UTF8')
                  FROM generate_series(1, %d) AS s, generate_series(0, 999) AS e
                """.formatted(streams);
    }

    private static String get(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void time(String what, int times, Runnable call) {
        for (int i = 0; i < 50; i++) {
            call.run();
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            call.run();
            millis.add((System.nanoTime() - start) / 1e6);
        }
        Percentiles.print(what, millis);
    }
}
