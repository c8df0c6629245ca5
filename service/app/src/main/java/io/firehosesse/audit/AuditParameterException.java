package io.firehosesse.audit;

/** A query parameter the audit API cannot use; {@link #parameter()} names it in the problem details. */
class AuditParameterException extends RuntimeException {

    private final String parameter;

    AuditParameterException(String parameter, String message) {
        super(message, null, false, false);
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }
}
