package io.firehosesse.api.deliverystream;

import java.time.Instant;

/** SSE is off. */
public record EncryptionDisabled(String streamId, Instant disabledAt) {
}
