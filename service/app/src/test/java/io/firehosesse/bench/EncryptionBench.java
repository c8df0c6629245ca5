package io.firehosesse.bench;

import io.firehosesse.support.Clients;
import io.firehosesse.support.Streams;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Measures StartDeliveryStreamEncryption through the wire against a running service (best started with
 * {@code --firehose.lifecycle.creation-delay=0ms}): Start→ENABLED latency over sequential starts, and
 * Start calls/s with concurrent clients. Prints figures; asserts nothing.
 * Run: {@code java -cp <test classpath> io.firehosesse.bench.EncryptionBench [port] [starts] [clients]}.
 */
public final class EncryptionBench {

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        int starts = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        String run = UUID.randomUUID().toString().substring(0, 6);
        // 400 streams a key at most, well inside the 500-per-key limit.
        List<String> keys = keys(port, starts);
        List<String> throughputKeys = keys(port, starts);
        List<String> latencyStreams = create(port, clients, "lat-" + run, starts);
        List<String> throughputStreams = create(port, clients, "tput-" + run, starts);

        for (KeyType type : List.of(KeyType.AWS_OWNED_CMK, KeyType.CUSTOMER_MANAGED_CMK)) {
            List<String> streams = type == KeyType.AWS_OWNED_CMK
                    ? latencyStreams.subList(0, starts / 2) : latencyStreams.subList(starts / 2, starts);
            List<Double> toEnabled = new ArrayList<>();
            try (FirehoseClient firehose = Clients.firehose(port)) {
                for (int i = 0; i < streams.size(); i++) {
                    String name = streams.get(i);
                    String key = keys.get(i / 400);
                    long begin = System.nanoTime();
                    start(firehose, name, type, key);
                    while (Streams.describe(firehose, name).deliveryStreamEncryptionConfiguration().status()
                            != DeliveryStreamEncryptionStatus.ENABLED) {
                        Thread.onSpinWait();
                    }
                    toEnabled.add((System.nanoTime() - begin) / 1e6);
                }
            }
            Percentiles.print("Start -> ENABLED (" + type + ", sequential)", toEnabled);
        }

        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(throughputStreams);
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<String> errorTypes = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Double> callMillis = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long begin = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                try (FirehoseClient firehose = Clients.firehose(port)) {
                    for (String name = queue.poll(); name != null; name = queue.poll()) {
                        long t = System.nanoTime();
                        try {
                            start(firehose, name, KeyType.CUSTOMER_MANAGED_CMK, throughputKeys.get(next.getAndIncrement() / 400));
                            callMillis.add((System.nanoTime() - t) / 1e6);
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                            errorTypes.add(e.getClass().getSimpleName());
                        }
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - begin) / 1e9;
        System.out.printf("StartDeliveryStreamEncryption, %d clients: %d calls in %.2f s = %.0f calls/s, %d errors%n",
                clients, callMillis.size(), seconds, callMillis.size() / seconds, errors.get());
        Percentiles.print("StartDeliveryStreamEncryption call (" + clients + " clients)", new ArrayList<>(callMillis));
        if (!errorTypes.isEmpty()) {
            System.out.println("Errors: " + errorTypes.stream().distinct().toList());
            return;
        }
        try (FirehoseClient firehose = Clients.firehose(port)) {
            for (String name : throughputStreams) {
                while (Streams.describe(firehose, name).deliveryStreamEncryptionConfiguration().status()
                        != DeliveryStreamEncryptionStatus.ENABLED) {
                    Thread.sleep(5);
                }
            }
        }
        double all = (System.nanoTime() - begin) / 1e9;
        System.out.printf("All %d concurrent Starts ENABLED after %.2f s (%.0f enables/s)%n", throughputStreams.size(), all,
                throughputStreams.size() / all);
    }

    private static List<String> keys(int port, int streams) {
        List<String> keys = new ArrayList<>();
        try (KmsClient kms = Clients.kms(port)) {
            for (int i = 0; i < (streams + 399) / 400; i++) {
                keys.add(kms.createKey(r -> r.description("bench")).keyMetadata().arn());
            }
        }
        return keys;
    }

    private static void start(FirehoseClient firehose, String name, KeyType type, String key) {
        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name).deliveryStreamEncryptionConfigurationInput(e -> {
            e.keyType(type);
            if (type == KeyType.CUSTOMER_MANAGED_CMK) {
                e.keyARN(key);
            }
        }));
    }

    private static List<String> create(int port, int clients, String prefix, int count) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(prefix + "-" + i);
        }
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(names);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                try (FirehoseClient firehose = Clients.firehose(port)) {
                    for (String name = queue.poll(); name != null; name = queue.poll()) {
                        Streams.createDirectPut(firehose, name);
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        try (FirehoseClient firehose = Clients.firehose(port)) {
            for (String name : names) {
                Streams.awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);
            }
        }
        return names;
    }

}
