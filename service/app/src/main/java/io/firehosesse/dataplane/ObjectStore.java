package io.firehosesse.dataplane;

/** Where delivered objects go: an S3-compatible endpoint, or a local directory laid out like one. */
interface ObjectStore {

    /** Writes the whole object, or throws and leaves no object a reader could mistake for a complete one. */
    void put(String bucket, String key, byte[] content);

    /** How a person finds the object again, e.g. {@code s3://bucket/key} or {@code file:///…}. */
    String url(String bucket, String key);
}
