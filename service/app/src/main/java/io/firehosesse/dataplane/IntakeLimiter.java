package io.firehosesse.dataplane;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Bounds the puts in progress: past the bound a request waits briefly, then is answered
 * ServiceUnavailableException (retryable, 503) instead of queueing without end behind the database.
 */
@Component
public class IntakeLimiter {

    private static final long WAIT_MILLIS = 200;

    private final Semaphore permits;

    public IntakeLimiter(@Value("${firehose.data-plane.max-concurrent-puts:32}") int maxConcurrentPuts) {
        this.permits = new Semaphore(maxConcurrentPuts);
    }

    public <T> T call(Supplier<T> put) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new FirehoseException(FirehoseErrorCode.ServiceUnavailableException,
                    "Slow down: the service is handling as many records as it can. Retry the request.");
        }
        try {
            return put.get();
        } finally {
            permits.release();
        }
    }
}
