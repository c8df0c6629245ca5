package io.firehosesse.api;

/** KMS refused the key synchronously; {@link #kmsErrorCode()} is KMS's own error name, sent as {@code code}. */
public class InvalidKmsResourceException extends FirehoseException {

    private final String kmsErrorCode;

    public InvalidKmsResourceException(String kmsErrorCode, String message) {
        super(FirehoseErrorCode.InvalidKMSResourceException, message);
        this.kmsErrorCode = kmsErrorCode;
    }

    public String kmsErrorCode() {
        return kmsErrorCode;
    }
}
