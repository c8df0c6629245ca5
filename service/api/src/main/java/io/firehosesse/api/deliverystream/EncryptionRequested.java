package io.firehosesse.api.deliverystream;

import java.time.Instant;

/**
 * An accepted Start (or Create with SSE): the stream is ENABLING toward {@code requested}.
 * {@code operation} is the call that asked ({@link #START} counts toward the daily limit, a Create does not).
 * {@code reusableGrant} is the grant the stream already holds on that same key, if any: no new one is needed.
 */
public record EncryptionRequested(String streamId, StreamKey key, String operation, String attemptId, KeyChoice requested, GrantRef reusableGrant, String callerPrincipal, Instant credentialsIssuedAt, Instant requestedAt) {

    public static final String START = "StartDeliveryStreamEncryption";
    public static final String CREATE = "CreateDeliveryStream";

    public boolean isStart() {
        return START.equals(operation);
    }
}
