package io.firehosesse.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The call mixes the harness drives: what one call of each looks like. */
final class Mixes {

    private final List<byte[]> describes = new ArrayList<>();
    private final List<byte[]> plainBatches = new ArrayList<>();
    private final List<byte[]> encryptedBatches = new ArrayList<>();
    private final List<byte[]> smallBatches = new ArrayList<>();
    private final StartStopRotation rotation;
    private final int recordBytes;

    Mixes(Fixture fixture, BenchOptions options) {
        this(fixture, options, new StartStopRotation(fixture.streams, fixture.streamKeys));
    }

    /** With a rotation of its own: the service warm-up must not use up the measured mixes' Start/Stop budget. */
    Mixes(Fixture fixture, BenchOptions options, StartStopRotation rotation) {
        fixture.streams.forEach(stream -> describes.add(Calls.describe(stream)));
        long seed = 1;
        for (String stream : fixture.putStreamsPlain) {
            plainBatches.add(Calls.putRecordBatch(stream, options.recordsPerBatch(), options.recordBytes(), seed++));
        }
        for (String stream : fixture.putStreamsEncrypted) {
            encryptedBatches.add(Calls.putRecordBatch(stream, options.recordsPerBatch(), options.recordBytes(), seed++));
            smallBatches.add(Calls.putRecordBatch(stream, Math.min(10, options.recordsPerBatch()), options.recordBytes(), seed++));
        }
        this.rotation = rotation;
        this.recordBytes = options.recordBytes();
    }

    StartStopRotation rotation() {
        return rotation;
    }

    boolean describe(WireClient client, LoadRun.Measured measured) {
        byte[] body = describes.get(ThreadLocalRandom.current().nextInt(describes.size()));
        LoadRun.timed(measured, "DescribeDeliveryStream", () -> client.firehose("DescribeDeliveryStream", body));
        return true;
    }

    boolean startStop(WireClient client, LoadRun.Measured measured) {
        return rotation.next(client, measured);
    }

    boolean putPlain(WireClient client, LoadRun.Measured measured) {
        return put(client, measured, plainBatches, "PutRecordBatch (SSE off)");
    }

    boolean putEncrypted(WireClient client, LoadRun.Measured measured) {
        return put(client, measured, encryptedBatches, "PutRecordBatch (SSE on)");
    }

    /** 80 % Describe, 15 % PutRecordBatch to encrypted streams, 5 % Start/Stop (Describe once the rotation is used up). */
    boolean mixed(WireClient client, LoadRun.Measured measured) {
        int dice = ThreadLocalRandom.current().nextInt(100);
        if (dice < 80) {
            return describe(client, measured);
        }
        if (dice < 95) {
            return putEncrypted(client, measured);
        }
        return startStop(client, measured) || describe(client, measured);
    }

    /**
     * The service warm-up's mix: as {@link #mixed} but with batches of 10 records, so that the put path is compiled
     * without leaving the minutes of delivery backlog that full batches would, which the probes after it would feel.
     */
    boolean warmup(WireClient client, LoadRun.Measured measured) {
        int dice = ThreadLocalRandom.current().nextInt(100);
        if (dice < 80) {
            return describe(client, measured);
        }
        if (dice < 95) {
            return put(client, measured, smallBatches, "PutRecordBatch (warm-up)");
        }
        return startStop(client, measured) || describe(client, measured);
    }

    private boolean put(WireClient client, LoadRun.Measured measured, List<byte[]> batches, String operation) {
        byte[] body = batches.get(ThreadLocalRandom.current().nextInt(batches.size()));
        WireClient.Answer answer = LoadRun.timed(measured, operation, () -> client.firehose("PutRecordBatch", body));
        if (answer.ok()) {
            var tree = Json.tree(answer.body());
            long records = tree.path("RequestResponses").size() - tree.path("FailedPutCount").asLong();
            measured.of(operation).acknowledged(records, records * recordBytes);
        }
        return true;
    }
}
