package io.firehosesse.dataplane;

import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.DestinationKind;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A destination that takes records over the network rather than as S3 objects: one implementation per protocol.
 * {@link RecordDelivery} chooses one by the destination's kind and keeps everything around the call (buffering,
 * claiming, decryption, the retry window, the S3 backup); an implementation only sends one batch and says whether
 * the endpoint took it.
 */
interface DestinationEndpoint {

    /** The destination kinds this protocol delivers to. */
    Set<DestinationKind> kinds();

    /** Sends the batch; returns only once the endpoint has acknowledged all of it, as the protocol defines that. */
    void send(Batch batch) throws Refused;

    /** Where delivered records are said to have gone (the records listing's {@code deliveredObject}). */
    String location(Destination destination);

    /**
     * The folder of the S3 backup records go under once the retry duration has passed without delivery, when the S3
     * configuration names no {@code ErrorOutputPrefix}.
     */
    String failedFolder();

    /**
     * One request's worth of records, decrypted, in arrival order.
     *
     * @param requestId the same on every attempt of the batch (AWS: "kept the same between multiple attempts")
     * @param sentAt    when this attempt is made
     * @param arrivedAt when each record arrived, in the order of {@code records} (OpenSearch names its index by it)
     */
    record Batch(DeliveryStreamView stream, Destination destination, String requestId, Instant sentAt,
                 List<byte[]> records, List<Instant> arrivedAt) {
    }

    /** The endpoint did not take the batch: no connection, a timeout, or an answer the protocol counts as failure. */
    final class Refused extends Exception {

        private final boolean retryable;

        Refused(String reason) {
            this(reason, null, true);
        }

        Refused(String reason, Throwable cause) {
            this(reason, cause, true);
        }

        private Refused(String reason, Throwable cause, boolean retryable) {
            super(reason, cause);
            this.retryable = retryable;
        }

        /**
         * The destination cannot be reached from here whatever the attempt (an OpenSearch domain named only by its
         * ARN): waiting out the retry duration would only hold the records back, so they go to the S3 backup at once.
         */
        static Refused unreachable(String reason) {
            return new Refused(reason, null, false);
        }

        boolean retryable() {
            return retryable;
        }
    }
}
