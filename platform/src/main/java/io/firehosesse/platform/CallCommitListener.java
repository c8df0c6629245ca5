package io.firehosesse.platform;

/**
 * Background work that should look for something to do when a call has committed, on this instance or on another
 * one on the same database ({@link ProcessorWakeUp}, {@link ClusterWakeUp}): a bean of this type is told, so it can
 * sleep without polling the database while nothing happens. Called on the committing thread or the listener's
 * thread: it must only take note (set a flag), never work there.
 */
public interface CallCommitListener {

    void callCommitted();
}
