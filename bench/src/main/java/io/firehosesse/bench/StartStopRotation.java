package io.firehosesse.bench;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Start and Stop across many streams, alternating on each, within AWS's 25 calls per stream per 24 hours: a stream
 * goes to the back of the queue after each call, so by the time it comes round again its last change has settled
 * (a stream still ENABLING or DISABLING refuses both, as AWS does), and it leaves the queue when its 25 are used.
 */
final class StartStopRotation {

    static final int CALLS_PER_STREAM = 25;

    private static final class Slot {
        final byte[] start;
        final byte[] stop;
        final String keyType;
        int used;
        boolean encrypted;

        Slot(String stream, String keyArn) {
            this.start = Calls.start(stream, keyArn);
            this.stop = Calls.stop(stream);
            this.keyType = keyArn == null ? Calls.AWS_OWNED : Calls.CUSTOMER;
        }
    }

    private final ConcurrentLinkedQueue<Slot> queue = new ConcurrentLinkedQueue<>();
    private final int callsPerStream;

    StartStopRotation(List<String> streams, List<String> keys) {
        this(streams, keys, CALLS_PER_STREAM);
    }

    /** With another budget a stream: moto keeps no daily count, so its streams are used for as long as a mix runs. */
    StartStopRotation(List<String> streams, List<String> keys, int callsPerStream) {
        this.callsPerStream = callsPerStream;
        for (int i = 0; i < streams.size(); i++) {
            queue.add(new Slot(streams.get(i), keys.get(i)));
        }
    }

    /** Calls left before every stream has used its 25. */
    long callsLeft() {
        return queue.stream().mapToLong(slot -> (long) callsPerStream - slot.used).sum();
    }

    boolean next(WireClient client, LoadRun.Measured measured) {
        Slot slot = queue.poll();
        if (slot == null) {
            return false;
        }
        WireClient.Answer answer = slot.encrypted
                ? LoadRun.timed(measured, "StopDeliveryStreamEncryption", () -> client.firehose("StopDeliveryStreamEncryption", slot.stop))
                : LoadRun.timed(measured, "StartDeliveryStreamEncryption (" + slot.keyType + ")",
                        () -> client.firehose("StartDeliveryStreamEncryption", slot.start));
        if (answer.ok()) {
            slot.encrypted = !slot.encrypted;
            slot.used++;
        } else if ("LimitExceededException".equals(answer.errorType())) {
            slot.used = callsPerStream;
        }
        if (slot.used < callsPerStream) {
            queue.add(slot);
        }
        return true;
    }
}
