package io.firehosesse.api.deliverystream;

import java.time.Instant;

/**
 * An accepted Start (or Create with SSE): the stream is ENABLING toward {@code requested}.
 * {@code reusableGrant} is the grant the stream already holds on that same key, if any: no new one is needed.
 */
public record EncryptionRequested(String streamId, StreamKey key, String attemptId, KeyChoice requested, GrantRef reusableGrant, String callerPrincipal, Instant credentialsIssuedAt, Instant requestedAt) {
}
