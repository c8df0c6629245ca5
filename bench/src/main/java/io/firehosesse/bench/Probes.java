package io.firehosesse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Latencies that are not one call's: a status change seen through Describe, the data plane and the REST read model. */
final class Probes {

    /** Milliseconds, one value per probe, with how many probes ended otherwise than expected. */
    record Sample(String name, List<Double> millis, int failures) {
        double percentile(double p) {
            if (millis.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = millis.stream().sorted().toList();
            int rank = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
        }

        double max() {
            return millis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
    }

    private final ServiceUnderTest service;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ConcurrentLinkedQueue<Slot> slots = new ConcurrentLinkedQueue<>();

    /** A probe stream and how many of its 25 Start/Stop calls are left. */
    private static final class Slot {
        final String name;
        int left = StartStopRotation.CALLS_PER_STREAM;

        Slot(String name) {
            this.name = name;
        }
    }

    Probes(ServiceUnderTest service, Fixture fixture) {
        this.service = service;
        fixture.probeStreams.forEach(name -> slots.add(new Slot(name)));
    }

    /** Sequential Starts, each timed from the call until Describe shows ENABLED; then a Stop, untimed, to come back. */
    Sample startToEnabled(String keyArn, int count) {
        WireClient client = service.client();
        List<Double> millis = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < count; i++) {
            Slot slot = take();
            if (slot == null) {
                break;
            }
            long begin = System.nanoTime();
            if (!client.firehose("StartDeliveryStreamEncryption", Calls.start(slot.name, keyArn)).ok()) {
                failures++;
                continue;
            }
            String status = awaitSettled(client, slot.name, "ENABLING");
            if ("ENABLED".equals(status)) {
                millis.add((System.nanoTime() - begin) / 1e6);
            } else {
                failures++;
            }
            client.firehose("StopDeliveryStreamEncryption", Calls.stop(slot.name));
            awaitSettled(client, slot.name, "DISABLING");
            slots.add(slot);
        }
        return new Sample("Start -> ENABLED (" + (keyArn == null ? Calls.AWS_OWNED : Calls.CUSTOMER) + ")", millis, failures);
    }

    /**
     * How long after Describe first shows ENABLED (or DISABLED) a PutRecord still answers with the old Encrypted:
     * Describe and PutRecord are sent in turn right after the Start (Stop) until both show the new state.
     */
    Sample statusToDataPlaneLag(int count) {
        WireClient client = service.client();
        List<Double> millis = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < count; i += 2) {
            Slot slot = take();
            if (slot == null) {
                break;
            }
            for (boolean enabling : new boolean[] {true, false}) {
                Double lag = lag(client, slot.name, enabling);
                if (lag == null) {
                    failures++;
                } else {
                    millis.add(lag);
                }
            }
            slots.add(slot);
        }
        return new Sample("Status -> data plane (Encrypted on PutRecord)", millis, failures);
    }

    private static Double lag(WireClient client, String stream, boolean enabling) {
        WireClient.Answer answer = enabling
                ? client.firehose("StartDeliveryStreamEncryption", Calls.start(stream, null))
                : client.firehose("StopDeliveryStreamEncryption", Calls.stop(stream));
        if (!answer.ok()) {
            return null;
        }
        byte[] put = Calls.putRecord(stream);
        long describedAt = -1;
        long putAt = -1;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((describedAt < 0 || putAt < 0) && System.nanoTime() < deadline) {
            if (describedAt < 0 && (enabling ? "ENABLED" : "DISABLED").equals(
                    Calls.encryptionStatus(Calls.description(client, stream)))) {
                describedAt = System.nanoTime();
            }
            WireClient.Answer record = client.firehose("PutRecord", put);
            if (putAt < 0 && record.ok() && Json.tree(record.body()).path("Encrypted").asBoolean(false) == enabling) {
                putAt = System.nanoTime();
            }
        }
        return describedAt < 0 || putAt < 0 ? null : Math.max(0, putAt - describedAt) / 1e6;
    }

    /**
     * While a load runs: Start on a probe stream, then time until the REST read model (GET /api/delivery-streams/{name})
     * shows the new encryption status, and until Describe shows ENABLED.
     */
    Runnable underLoad(List<Double> toView, List<Double> toEnabled, AtomicBoolean stop) {
        return () -> {
            WireClient client = service.client();
            while (!stop.get()) {
                Slot slot = take();
                if (slot == null) {
                    return;
                }
                long begin = System.nanoTime();
                if (!client.firehose("StartDeliveryStreamEncryption", Calls.start(slot.name, null)).ok()) {
                    continue;
                }
                boolean seen = false;
                while (!seen && System.nanoTime() - begin < 30_000_000_000L) {
                    String status = restEncryptionStatus(slot.name);
                    seen = "ENABLING".equals(status) || "ENABLED".equals(status);
                }
                toView.add((System.nanoTime() - begin) / 1e6);
                if ("ENABLED".equals(awaitSettled(client, slot.name, "ENABLING"))) {
                    toEnabled.add((System.nanoTime() - begin) / 1e6);
                }
                client.firehose("StopDeliveryStreamEncryption", Calls.stop(slot.name));
                awaitSettled(client, slot.name, "DISABLING");
                slots.add(slot);
                Fixture.pause(50);
            }
        };
    }

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    /**
     * A REST API request signed as the wire calls are (SigV4 for service firehose, by the SDK's signer): a service with a
     * credentials file refuses an unsigned /api call, and its admin routes (replays, processors) take only a key the
     * file marks {@code admin: true}, as the launched service's file marks the harness's. An open service ignores it.
     */
    static HttpRequest api(URI endpoint, String method, String pathAndQuery, String body) {
        URI uri = endpoint.resolve(pathAndQuery);
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        if (body != null) {
            unsigned.putHeader("Content-Type", "application/json");
        }
        SdkHttpRequest signed = SIGNER.sign(r -> r.identity(AwsCredentialsIdentity.create(ServiceUnderTest.ACCESS_KEY_ID,
                        ServiceUnderTest.SECRET_ACCESS_KEY)).request(unsigned.build())
                .payload(body == null ? null : ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "firehose")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        signed.forEachHeader((name, values) -> {
            // The JDK client writes Host and Content-Length itself and refuses to be given them.
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                request.header(name, values.get(0));
            }
        });
        return request.build();
    }

    private String restEncryptionStatus(String stream) {
        try {
            HttpResponse<byte[]> response = http.send(api(service.endpoint(), "GET", "/api/delivery-streams/" + stream, null),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode view = Json.tree(response.body());
            return view.path("encryption").path("status").asText("");
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Replays every projection from the event store through the REST admin API, and reads its speed. */
    Replay replay() throws IOException, InterruptedException {
        long begin = System.nanoTime();
        HttpResponse<byte[]> started = http.send(api(service.endpoint(), "POST", "/api/admin/replays", "{}"),
                HttpResponse.BodyHandlers.ofByteArray());
        if (started.statusCode() != 202) {
            // Refused (an unsigned or non-admin key) or failed: there is no replay to follow, and no end to wait for.
            throw new IllegalStateException("POST /api/admin/replays answered " + started.statusCode() + ": "
                    + new String(started.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        String id = Json.tree(started.body()).path("id").asText();
        while (true) {
            JsonNode progress = Json.tree(http.send(api(service.endpoint(), "GET", "/api/admin/replays/" + id, null),
                    HttpResponse.BodyHandlers.ofByteArray()).body());
            String state = progress.path("state").asText();
            if ("DONE".equals(state) || "FAILED".equals(state)) {
                return new Replay(state, progress.path("eventsDone").asLong(), progress.path("eventsPerSecond").asDouble(),
                        Duration.ofNanos(System.nanoTime() - begin));
            }
            Thread.sleep(50);
        }
    }

    record Replay(String state, long events, double serverEventsPerSecond, Duration wall) {
    }

    /**
     * How far behind the event store the slowest asynchronous processor segment is (GET /api/admin/processors): the
     * age of the oldest event it has not handled yet, in ms; 0 when every segment is caught up, -1 when unknown.
     */
    long processorLagMillis() {
        try {
            HttpResponse<byte[]> response = http.send(api(service.endpoint(), "GET", "/api/admin/processors", null),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return -1;
            }
            long worst = 0;
            for (JsonNode segment : Json.tree(response.body()).path("segments")) {
                worst = Math.max(worst, segment.path("behindMillis").asLong());
            }
            return worst;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits (at most two minutes) until the asynchronous processors have caught up, so a probe measures itself. */
    void awaitQuiet() {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (processorLagMillis() > 0 && System.nanoTime() < deadline) {
            Fixture.pause(100);
        }
    }

    private Slot take() {
        Slot slot;
        while ((slot = slots.poll()) != null) {
            if (slot.left >= 2) {
                slot.left -= 2;
                return slot;
            }
        }
        return null;
    }

    /** Waits while the stream's encryption status is the transitional one; answers the status it settled in. */
    private static String awaitSettled(WireClient client, String stream, String transitional) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String status = transitional;
        while (System.nanoTime() < deadline) {
            status = Calls.encryptionStatus(Calls.description(client, stream));
            if (!status.equals(transitional) && !status.isEmpty()) {
                return status;
            }
        }
        return status;
    }
}
