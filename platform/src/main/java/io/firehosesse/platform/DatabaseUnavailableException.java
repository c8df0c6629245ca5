package io.firehosesse.platform;

/** PostgreSQL could not be reached, or the database could not be created, at start-up. */
public class DatabaseUnavailableException extends RuntimeException {

    private final String url;

    DatabaseUnavailableException(String message, String url, Throwable cause) {
        super(message, cause);
        this.url = url;
    }

    public String url() {
        return url;
    }
}
