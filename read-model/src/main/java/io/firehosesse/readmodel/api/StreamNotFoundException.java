package io.firehosesse.readmodel.api;

/** The REST API's 404: no stream by that name (or none yet at the asked instant). */
class StreamNotFoundException extends RuntimeException {

    StreamNotFoundException(String message) {
        super(message, null, false, false);
    }
}
