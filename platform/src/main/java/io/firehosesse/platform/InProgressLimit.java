package io.firehosesse.platform;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A bound on work in progress: past it a caller waits up to {@code wait}, holding nothing, and is then
 * answered ServiceUnavailableException (retryable, 503) instead of queueing without end behind the database.
 */
public class InProgressLimit {

    private final String name;
    private final int limit;
    private final Semaphore permits;
    private final Duration wait;
    private final String busy;

    protected InProgressLimit(String name, int maxInProgress, Duration wait, boolean fair, String busy) {
        this.name = name;
        this.limit = maxInProgress;
        this.permits = new Semaphore(maxInProgress, fair);
        this.wait = wait;
        this.busy = busy;
    }

    /** What is limited, as the meters name it. */
    public String name() {
        return name;
    }

    public int limit() {
        return limit;
    }

    /** Calls holding a permit now. */
    public int inProgress() {
        return limit - permits.availablePermits();
    }

    /** Calls waiting for a permit now (an estimate, as the semaphore gives it). */
    public int waiting() {
        return permits.getQueueLength();
    }

    public <T> T call(Supplier<T> work) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new FirehoseException(FirehoseErrorCode.ServiceUnavailableException, busy);
        }
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }
}
