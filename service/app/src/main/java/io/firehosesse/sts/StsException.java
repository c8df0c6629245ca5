package io.firehosesse.sts;

/** An STS error as the Query protocol names it ({@code <Code>}), with its HTTP status. */
class StsException extends RuntimeException {

    private final String code;
    private final int status;

    StsException(String code, int status, String message) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }
}
