package io.firehosesse.api.deliverystream;

import java.time.Instant;

/** An accepted Stop on a stream whose SSE was already off: nothing changes, but the call counts. */
public record EncryptionAlreadyDisabled(String streamId, Instant requestedAt) {
}
