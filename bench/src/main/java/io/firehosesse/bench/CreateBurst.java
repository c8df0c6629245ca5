package io.firehosesse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A burst of CreateDeliveryStream calls from the clients at once (issue #20: 5,000 from 16 clients), then how long
 * the streams took to become ACTIVE. The times come from each stream's own events (GET
 * /api/delivery-streams/{name}/events: the Created and Activated events' timestamps, stamped by the service's clock),
 * read once every stream is ACTIVE, so polling Describe only decides when to read them and adds nothing to them. The
 * service keeps its own creation delay (500 ms by default): the harness does not set it to 0 for this run.
 */
final class CreateBurst {

    private static final Duration GIVE_UP = Duration.ofMinutes(10);

    private CreateBurst() {
    }

    record Result(int accepted, double acceptedPerSecond, Map<String, Integer> errors, double lastCreateToLastActiveMs,
                  List<Double> createToActiveMs) {
    }

    static Result run(ServiceUnderTest service, int creates, int clients, String run) throws Exception {
        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long began = System.nanoTime();
        List<Future<Long>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                WireClient client = service.client();
                long lastAccepted = 0;
                for (int i = next.getAndIncrement(); i < creates; i = next.getAndIncrement()) {
                    String name = "burst-" + run + "-" + i;
                    WireClient.Answer answer = client.firehose("CreateDeliveryStream", Calls.create(name));
                    if (answer.ok()) {
                        accepted.add(name);
                        lastAccepted = System.nanoTime();
                    } else {
                        errors.merge(answer.errorType(), 1, Integer::sum);
                    }
                }
                client.close();
                return lastAccepted;
            }));
        }
        long lastAccepted = 0;
        for (Future<Long> worker : workers) {
            lastAccepted = Math.max(lastAccepted, worker.get());
        }
        double seconds = (lastAccepted - began) / 1e9;
        Bench.log(String.format("%d Creates accepted in %.1f s; waiting for every stream to be ACTIVE", accepted.size(), seconds));
        awaitActive(service, accepted, clients, pool);

        // Each stream's Created and Activated times, from its events.
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Instant[]> times = new ConcurrentHashMap<>();
        List<Future<?>> reads = new ArrayList<>();
        List<List<String>> shares = shares(accepted, clients);
        for (List<String> share : shares) {
            reads.add(pool.submit(() -> {
                for (String name : share) {
                    times.put(name, createdAndActivated(http, service.endpoint(), name));
                }
                return null;
            }));
        }
        for (Future<?> read : reads) {
            read.get();
        }
        pool.shutdown();
        List<Double> lags = new ArrayList<>();
        Instant lastCreated = Instant.MIN;
        Instant lastActive = Instant.MIN;
        for (Instant[] pair : times.values()) {
            lags.add(Duration.between(pair[0], pair[1]).toNanos() / 1e6);
            lastCreated = pair[0].isAfter(lastCreated) ? pair[0] : lastCreated;
            lastActive = pair[1].isAfter(lastActive) ? pair[1] : lastActive;
        }
        return new Result(accepted.size(), accepted.size() / seconds, new TreeMap<>(errors),
                Duration.between(lastCreated, lastActive).toNanos() / 1e6, lags);
    }

    private static void awaitActive(ServiceUnderTest service, List<String> names, int clients, ExecutorService pool)
            throws Exception {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        List<String> waiting = new ArrayList<>(names);
        while (!waiting.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(waiting.size() + " streams still not ACTIVE after " + GIVE_UP);
            }
            List<String> still = Collections.synchronizedList(new ArrayList<>());
            List<Future<?>> checks = new ArrayList<>();
            for (List<String> share : shares(waiting, Math.max(1, clients / 4))) {
                checks.add(pool.submit(() -> {
                    WireClient client = service.client();
                    for (String name : share) {
                        if (!"ACTIVE".equals(Calls.status(Calls.description(client, name)))) {
                            still.add(name);
                        }
                    }
                    client.close();
                    return null;
                }));
            }
            for (Future<?> check : checks) {
                check.get();
            }
            waiting = new ArrayList<>(still);
            if (!waiting.isEmpty()) {
                Fixture.pause(200);
            }
        }
    }

    private static Instant[] createdAndActivated(HttpClient http, URI endpoint, String name) throws Exception {
        HttpResponse<byte[]> answer = http.send(Probes.api(endpoint, "GET", "/api/delivery-streams/" + name
                + "/events?limit=100", null), HttpResponse.BodyHandlers.ofByteArray());
        Instant created = null;
        Instant activated = null;
        for (JsonNode event : Json.tree(answer.body()).path("events")) {
            String type = event.path("type").asText();
            Instant at = Instant.parse(event.path("timestamp").asText());
            if (type.endsWith("DeliveryStreamCreated") && created == null) {
                created = at;
            } else if (type.endsWith("DeliveryStreamActivated") && activated == null) {
                activated = at;
            }
        }
        if (created == null || activated == null) {
            throw new IllegalStateException("No Created and Activated events for " + name + ": " + new String(answer.body()));
        }
        return new Instant[] {created, activated};
    }

    private static List<List<String>> shares(List<String> names, int count) {
        List<List<String>> shares = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < names.size(); i++) {
            shares.get(i % count).add(names.get(i));
        }
        return shares;
    }
}
