package io.firehosesse.api.deliverystream;

/** The destination types this service keeps. */
public enum DestinationKind {
    S3,
    EXTENDED_S3
}
