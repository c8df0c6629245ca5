package io.firehosesse.readmodel.api;

/** A query parameter the REST API cannot use; {@link #parameter()} names it in the problem details. */
public class BadParameterException extends RuntimeException {

    private final String parameter;

    public BadParameterException(String parameter, String message) {
        super(message, null, false, false);
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }
}
