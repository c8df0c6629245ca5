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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * PutRecordBatch throughput (500 × 1 KiB batches, concurrent clients) with SSE off and on, and the
 * status→data-plane lag: how long after Describe first shows ENABLED (or DISABLED) puts still report
 * the old state. Prints figures; asserts nothing.
 * Run: {@code java -cp <test classpath> io.firehosesse.bench.PutRecordBatchBench [port] [clients] [seconds]}.
 */
public final class PutRecordBatchBench {

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        String name = "bench-put-" + UUID.randomUUID().toString().substring(0, 8);
        List<Record> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(Record.builder().data(SdkBytes.fromByteArray(new byte[1024])).build());
        }
        try (FirehoseClient firehose = Clients.firehose(port)) {
            // A large interval: delivery stays out of the measurement.
            firehose.createDeliveryStream(r -> r.deliveryStreamName(name).extendedS3DestinationConfiguration(d -> d
                    .roleARN("arn:aws:iam::123456789012:role/r").bucketARN("arn:aws:s3:::bench")
                    .bufferingHints(b -> b.intervalInSeconds(900).sizeInMBs(128))));
            Streams.awaitStatus(firehose, name, software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus.ACTIVE);
            run("SSE off", port, clients, seconds, name, batch);
            lag(firehose, name, true);
            run("SSE on (AWS-owned key)", port, clients, seconds, name, batch);
            lag(firehose, name, false);
        }
    }

    private static void run(String label, int port, int clients, int seconds, String name, List<Record> batch)
            throws InterruptedException {
        ConcurrentLinkedQueue<Double> millis = new ConcurrentLinkedQueue<>();
        AtomicLong records = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                try (FirehoseClient client = Clients.firehose(port)) {
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        try {
                            client.putRecordBatch(r -> r.deliveryStreamName(name).records(batch));
                            if (start >= warmupEnd) {
                                millis.add((System.nanoTime() - start) / 1e6);
                                records.addAndGet(batch.size());
                            }
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                        }
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
        System.out.printf("PutRecordBatch %s, %d clients: %.0f records/s, %.1f MB/s, %d errors%n", label, clients,
                records.get() / (double) seconds, records.get() * 1024 / (double) seconds / 1e6, errors.get());
        Percentiles.print("PutRecordBatch call, " + label, new ArrayList<>(millis));
    }

    /** Puts single records in a loop while encryption is switched, and reports how late they changed. */
    private static void lag(FirehoseClient firehose, String name, boolean enabling) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> observations = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread putter = new Thread(() -> {
            try (FirehoseClient client = Clients.firehose(firehose.serviceClientConfiguration().endpointOverride().get().getPort())) {
                while (!stop.get()) {
                    boolean encrypted = client.putRecord(r -> r.deliveryStreamName(name)
                            .record(x -> x.data(SdkBytes.fromUtf8String("lag")))).encrypted();
                    observations.add(new long[] {System.nanoTime(), encrypted ? 1 : 0});
                }
            }
        });
        putter.start();
        Thread.sleep(300);
        DeliveryStreamEncryptionStatus target = enabling ? DeliveryStreamEncryptionStatus.ENABLED : DeliveryStreamEncryptionStatus.DISABLED;
        if (enabling) {
            firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        } else {
            firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        }
        while (Streams.describe(firehose, name).deliveryStreamEncryptionConfiguration().status() != target) {
            Thread.onSpinWait();
        }
        long shown = System.nanoTime();
        Thread.sleep(1000);
        stop.set(true);
        putter.join();
        long lastStale = observations.stream().filter(o -> o[1] == (enabling ? 0 : 1)).mapToLong(o -> o[0]).max().orElse(shown);
        System.out.printf("Status -> data plane lag after %s is shown: %.1f ms (last put answered with the old state)%n",
                target, Math.max(0, lastStale - shown) / 1e6);
    }
}
