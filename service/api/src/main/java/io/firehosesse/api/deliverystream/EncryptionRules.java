package io.firehosesse.api.deliverystream;

import java.time.Duration;

/**
 * The limits AWS documents for server-side encryption, stated once: the aggregate enforces them, the
 * application's key registry defaults to them, and the read model reports them.
 */
public final class EncryptionRules {

    /** Start and Stop calls together that one stream accepts within any {@link #START_STOP_WINDOW}. */
    public static final int START_STOP_CALLS_PER_WINDOW = 25;

    /** The sliding window {@link #START_STOP_CALLS_PER_WINDOW} is counted over. */
    public static final Duration START_STOP_WINDOW = Duration.ofHours(24);

    /**
     * Streams one customer managed key may serve. The default of {@code firehose.encryption.max-streams-per-key};
     * a compile-time constant so that setting's {@code @DefaultValue} can be written from it.
     */
    public static final int STREAMS_PER_CUSTOMER_KEY = 500;

    private EncryptionRules() {
    }
}
