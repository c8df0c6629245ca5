package io.firehosesse.api;

/**
 * The Firehose error shapes the domain may raise. Each constant is the exact {@code __type} a client
 * sees, so the wire edge maps an error by name and never by parsing a message.
 */
public enum FirehoseErrorCode {
    ResourceNotFoundException,
    ResourceInUseException,
    InvalidArgumentException,
    LimitExceededException,
    InvalidKMSResourceException,
    InvalidSourceException,
    ConcurrentModificationException,
    ServiceUnavailableException
}
