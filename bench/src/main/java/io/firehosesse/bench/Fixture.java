package io.firehosesse.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The streams and keys a run works on, made through the wire before anything is measured. */
final class Fixture {

    /** Streams Describe and Start/Stop work across; every other one names a customer key, the rest the AWS-owned key. */
    final List<String> streams;
    final List<String> streamKeys;
    final List<String> putStreamsPlain;
    final List<String> putStreamsEncrypted;
    final List<String> probeStreams;
    final List<String> probeKeys;
    /** Streams only the service warm-up starts and stops, so the measured mixes find their budgets whole. */
    final List<String> warmupStreams;
    final List<String> warmupKeys;
    /** The fixture's CreateDeliveryStream calls per second, from --clients clients, all of them accepted. */
    final double createsPerSecond;

    private Fixture(List<String> streams, List<String> streamKeys, List<String> putStreamsPlain,
                    List<String> putStreamsEncrypted, List<String> probeStreams, List<String> probeKeys,
                    List<String> warmupStreams, List<String> warmupKeys, double createsPerSecond) {
        this.streams = streams;
        this.streamKeys = streamKeys;
        this.putStreamsPlain = putStreamsPlain;
        this.putStreamsEncrypted = putStreamsEncrypted;
        this.probeStreams = probeStreams;
        this.probeKeys = probeKeys;
        this.warmupStreams = warmupStreams;
        this.warmupKeys = warmupKeys;
        this.createsPerSecond = createsPerSecond;
    }

    static Fixture make(ServiceUnderTest service, BenchOptions options, String run) throws Exception {
        int customerStreams = options.streams() / 2;
        List<String> keys = new ArrayList<>();
        WireClient setup = service.client();
        for (int i = 0; i < Math.max(1, (customerStreams + options.streamsPerKey() - 1) / options.streamsPerKey()); i++) {
            keys.add(Calls.createKey(setup));
        }
        List<String> streams = names(run + "-s", options.streams());
        List<String> streamKeys = new ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            streamKeys.add(i % 2 == 0 ? null : keys.get((i / 2) / options.streamsPerKey() % keys.size()));
        }
        List<String> plain = names(run + "-plain", options.putStreams());
        List<String> encrypted = names(run + "-sse", options.putStreams());
        List<String> probes = names(run + "-probe", Math.max(8, options.probes() / 2));
        List<String> probeKeys = List.of(Calls.createKey(setup));
        List<String> warmup = options.serviceWarmup().isZero() ? List.of() : names(run + "-warm", Math.min(200, options.streams()));
        String warmupKey = Calls.createKey(setup);
        List<String> warmupKeys = new ArrayList<>();
        for (int i = 0; i < warmup.size(); i++) {
            warmupKeys.add(i % 2 == 0 ? null : warmupKey);
        }

        List<String> all = new ArrayList<>(streams);
        all.addAll(plain);
        all.addAll(encrypted);
        all.addAll(probes);
        all.addAll(warmup);
        long creating = System.nanoTime();
        parallel(options.clients(), service, all, (client, name) -> Calls.require(
                client.firehose("CreateDeliveryStream", Calls.create(name)), "CreateDeliveryStream " + name));
        // The run's only Create load outside --create-burst: what the SQL bound's Create is set against in a full run.
        double createsPerSecond = all.size() / ((System.nanoTime() - creating) / 1e9);
        parallel(options.clients(), service, all, (client, name) -> await(client, name, "ACTIVE", false));
        parallel(options.clients(), service, encrypted, (client, name) -> Calls.require(
                client.firehose("StartDeliveryStreamEncryption", Calls.start(name, null)), "Start " + name));
        parallel(options.clients(), service, encrypted, (client, name) -> await(client, name, "ENABLED", true));
        return new Fixture(streams, streamKeys, plain, encrypted, probes, probeKeys, warmup, warmupKeys, createsPerSecond);
    }

    static List<String> names(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(prefix + "-" + i);
        }
        return names;
    }

    static void await(WireClient client, String name, String status, boolean encryption) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            var description = Calls.description(client, name);
            if (status.equals(encryption ? Calls.encryptionStatus(description) : Calls.status(description))) {
                return;
            }
            pause(5);
        }
        throw new IllegalStateException(name + " did not reach " + status + " within 60 s");
    }

    interface Work {
        void on(WireClient client, String name);
    }

    static void parallel(int threads, ServiceUnderTest service, List<String> names, Work work) throws Exception {
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(names);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    WireClient client = service.client();
                    for (String name = queue.poll(); name != null; name = queue.poll()) {
                        work.on(client, name);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
