package io.firehosesse.encryption;

/**
 * Records accepted under a stream's key and not yet delivered: the encryption process retires a stream's grant only
 * once none wait under it, as AWS does. Owned here and implemented by the data plane, so the dependency points from
 * the data plane to encryption and not back.
 */
public interface PendingRecords {

    /** Delivers every record of the stream still waiting, now; returns how many were delivered. */
    int flush(String streamId);
}
