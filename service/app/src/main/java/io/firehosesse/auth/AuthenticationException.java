package io.firehosesse.auth;

/**
 * A request whose signature or credentials were refused, named as AWS's JSON services name the error
 * ({@code InvalidSignatureException}, {@code UnrecognizedClientException}, …). The Query protocol (STS)
 * maps these to its own names.
 */
public class AuthenticationException extends RuntimeException {

    public enum Reason {
        MISSING("MissingAuthenticationTokenException", "MissingAuthenticationToken", 403),
        INCOMPLETE("IncompleteSignatureException", "IncompleteSignature", 400),
        UNRECOGNIZED("UnrecognizedClientException", "InvalidClientTokenId", 403),
        EXPIRED_TOKEN("ExpiredTokenException", "ExpiredToken", 400),
        INVALID_SIGNATURE("InvalidSignatureException", "SignatureDoesNotMatch", 403);

        private final String jsonCode;
        private final String queryCode;
        private final int queryStatus;

        Reason(String jsonCode, String queryCode, int queryStatus) {
            this.jsonCode = jsonCode;
            this.queryCode = queryCode;
            this.queryStatus = queryStatus;
        }

        public String jsonCode() {
            return jsonCode;
        }

        public String queryCode() {
            return queryCode;
        }

        public int queryStatus() {
            return queryStatus;
        }
    }

    private final Reason reason;

    public AuthenticationException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
