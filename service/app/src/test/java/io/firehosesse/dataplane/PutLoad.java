package io.firehosesse.dataplane;

import io.firehosesse.support.Clients;
import io.firehosesse.support.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * Client threads putting records (a PutRecordBatch, then a PutRecord, round the streams) as fast as
 * the service answers, each with its own SDK client. It keeps exactly what the service acknowledged: a
 * record counts only once its call came back 200 and its own entry carries a RecordId and no ErrorCode.
 * Every record's content names its call, so a stored record nobody acknowledged can be traced to how
 * its call ended.
 */
final class PutLoad {

    /** What the client sent for an acknowledged record, and what the service said it did with it. */
    record Sent(String stream, byte[] data, boolean encrypted) {
    }

    /** How a call that acknowledged nothing ended. */
    enum Unacknowledged {
        /** The service answered with an error: it said the records were not taken. */
        REFUSED,
        /** No answer came (the kill cut the call off): the records may or may not have been taken. */
        UNANSWERED
    }

    private final List<String> streams;
    private final int batchSize;
    private final int recordBytes;
    private final ExecutorService threads;
    private final Instant started = Instant.now();
    private final Map<String, Sent> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, Unacknowledged> unacknowledgedCalls = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong duplicateIds = new AtomicLong();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final Map<String, String> firstFailures = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    private PutLoad(List<String> streams, int threads, int batchSize, int recordBytes) {
        this.streams = List.copyOf(streams);
        this.batchSize = batchSize;
        this.recordBytes = recordBytes;
        this.threads = Executors.newFixedThreadPool(threads);
    }

    static PutLoad start(int port, List<String> streams, int threads, int batchSize, int recordBytes) {
        PutLoad load = new PutLoad(streams, threads, batchSize, recordBytes);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            load.threads.execute(() -> {
                try (FirehoseClient firehose = Clients.firehose(port)) {
                    load.run(firehose, thread);
                }
            });
        }
        return load;
    }

    /** No thread starts another call; the calls in progress go on until answered or cut off. */
    void stopStarting() {
        stopping = true;
        threads.shutdown();
    }

    void awaitStopped() throws InterruptedException {
        if (!threads.awaitTermination(Waits.BACKGROUND.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("Put threads still running " + Waits.BACKGROUND.toSeconds()
                    + " s after the load stopped");
        }
    }

    Map<String, Sent> acknowledged() {
        return Map.copyOf(acknowledged);
    }

    long calls() {
        return calls.get();
    }

    /** A RecordId the service gave to two records: one of them could not be stored, so this must stay 0. */
    long duplicateIds() {
        return duplicateIds.get();
    }

    /** How the call that sent this record content ended, or null if it was acknowledged. */
    Unacknowledged outcomeOf(byte[] content) {
        String text = new String(content, StandardCharsets.US_ASCII);
        return unacknowledgedCalls.get(text.substring(0, text.indexOf(" record=")));
    }

    /** Calls that got no 200, by the exception the SDK raised (and the error code, when the service answered). */
    Map<String, Long> failures() {
        Map<String, Long> counts = new TreeMap<>();
        failures.forEach((type, count) -> counts.put(type, count.get()));
        return counts;
    }

    /** The first failure of each kind: when it came, its message and the service's answer. */
    Map<String, String> firstFailures() {
        return new TreeMap<>(firstFailures);
    }

    private void run(FirehoseClient firehose, int thread) {
        for (long call = 0; !stopping; call += 2) {
            String stream = streams.get((int) ((thread + call / 2) % streams.size()));
            putBatch(firehose, stream, thread, call);
            if (!stopping) {
                putOne(firehose, stream, thread, call + 1);
            }
        }
    }

    private void putBatch(FirehoseClient firehose, String stream, int thread, long call) {
        List<byte[]> data = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            data.add(content(thread, call, i));
        }
        attempt(thread, call, () -> firehose.putRecordBatch(r -> r.deliveryStreamName(stream)
                .records(data.stream().map(d -> Record.builder().data(SdkBytes.fromByteArray(d)).build()).toList())))
                .ifPresent(response -> {
                    List<PutRecordBatchResponseEntry> entries = response.requestResponses();
                    for (int i = 0; i < Math.min(entries.size(), data.size()); i++) {
                        PutRecordBatchResponseEntry entry = entries.get(i);
                        if (entry.errorCode() == null && entry.recordId() != null) {
                            acknowledge(entry.recordId(), new Sent(stream, data.get(i), Boolean.TRUE.equals(response.encrypted())));
                        }
                    }
                });
    }

    private void putOne(FirehoseClient firehose, String stream, int thread, long call) {
        byte[] data = content(thread, call, 0);
        attempt(thread, call, () -> firehose.putRecord(r -> r.deliveryStreamName(stream)
                .record(x -> x.data(SdkBytes.fromByteArray(data)))))
                .filter(response -> response.recordId() != null)
                .ifPresent(response -> acknowledge(response.recordId(),
                        new Sent(stream, data, Boolean.TRUE.equals(response.encrypted()))));
    }

    private <T> Optional<T> attempt(int thread, long call, Supplier<T> put) {
        calls.incrementAndGet();
        try {
            return Optional.of(put.get());
        } catch (SdkException e) {
            failed(callId(thread, call), e);
            return Optional.empty();
        }
    }

    private void acknowledge(String recordId, Sent sent) {
        if (acknowledged.putIfAbsent(recordId, sent) != null) {
            duplicateIds.incrementAndGet();
        }
    }

    private void failed(String call, SdkException e) {
        String type = e.getClass().getSimpleName();
        String answer = "";
        if (e instanceof AwsServiceException refused) {
            unacknowledgedCalls.put(call, Unacknowledged.REFUSED);
            type += "(" + refused.awsErrorDetails().errorCode() + ")";
            answer = refused.awsErrorDetails().rawResponse() == null ? "" : " " + refused.awsErrorDetails().rawResponse().asUtf8String();
        } else {
            unacknowledgedCalls.put(call, Unacknowledged.UNANSWERED);
        }
        failures.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
        firstFailures.putIfAbsent(type, Duration.between(started, Instant.now()).toMillis() + " ms into the load: "
                + e.getMessage() + answer);
    }

    private static String callId(int thread, long call) {
        return "thread=" + thread + " call=" + call;
    }

    /** Unique per record, so a record found in the buffer can be told from every other. */
    private byte[] content(int thread, long call, int index) {
        StringBuilder text = new StringBuilder(callId(thread, call) + " record=" + index + " ");
        while (text.length() < recordBytes) {
            text.append((char) ('a' + text.length() % 26));
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
