package io.firehosesse.api;

/** A rule of the service refused a request; the edge answers it with {@link #code()} as the AWS error. */
public class FirehoseException extends RuntimeException {

    private final FirehoseErrorCode code;

    public FirehoseException(FirehoseErrorCode code, String message) {
        // No stack trace: these are answers to clients, thrown often, never bugs.
        super(message, null, false, false);
        this.code = code;
    }

    public FirehoseErrorCode code() {
        return code;
    }
}
