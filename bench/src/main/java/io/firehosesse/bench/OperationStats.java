package io.firehosesse.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What one operation did during a measured run: latencies (HdrHistogram, microseconds), errors by type, payload. */
final class OperationStats {

    private final String name;
    private final Recorder latencies = new Recorder(3);
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final LongAdder calls = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final LongAdder records = new LongAdder();
    private final LongAdder payloadBytes = new LongAdder();
    private Histogram histogram;

    OperationStats(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    void record(long nanos, WireClient.Answer answer) {
        calls.increment();
        latencies.recordValue(Math.max(1, nanos / 1_000));
        if (answer.status() >= 500) {
            serverErrors.increment();
        }
        if (!answer.ok()) {
            errors.computeIfAbsent(answer.errorType() + (answer.status() >= 500 ? " (" + answer.status() + ")" : ""),
                    type -> new LongAdder()).increment();
        }
    }

    /** One call that did not go through the wire (the SQL bound's): its error's name, or null when it succeeded. */
    void record(long nanos, String error) {
        calls.increment();
        latencies.recordValue(Math.max(1, nanos / 1_000));
        if (error != null) {
            errors.computeIfAbsent(error, type -> new LongAdder()).increment();
        }
    }

    /** Calls that succeeded. */
    long succeeded() {
        return calls() - errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Records acknowledged (not failed) and their payload bytes, for the record operations. */
    void acknowledged(long recordCount, long bytes) {
        records.add(recordCount);
        payloadBytes.add(bytes);
    }

    synchronized Histogram histogram() {
        if (histogram == null) {
            histogram = latencies.getIntervalHistogram();
        }
        return histogram;
    }

    long calls() {
        return calls.sum();
    }

    long records() {
        return records.sum();
    }

    long payloadBytes() {
        return payloadBytes.sum();
    }

    Map<String, Long> errors() {
        Map<String, Long> sorted = new TreeMap<>();
        errors.forEach((type, count) -> sorted.put(type, count.sum()));
        return sorted;
    }

    long serverErrors() {
        return serverErrors.sum();
    }

    double millis(double percentile) {
        Histogram h = histogram();
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMillis() {
        Histogram h = histogram();
        return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
    }
}
