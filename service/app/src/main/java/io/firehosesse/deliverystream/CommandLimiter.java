package io.firehosesse.deliverystream;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Bounds the callers' commands in progress, so they can never take the whole connection pool. A command
 * may hold a pooled connection while it waits for a lock in PostgreSQL: Starts naming one customer managed
 * key queue on that key's lock (the 500-streams rule), and 40 of them at once held all 20 connections
 * with 9 more requests waiting for one. Past the bound a command waits here, holding nothing, and after
 * {@link #WAIT} is answered ServiceUnavailableException (retryable, 503). The default, 8 of the pool's 20,
 * leaves room for the event processors (five threads), reads and puts.
 */
@Component
class CommandLimiter {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final Semaphore permits;
    private final Duration wait;

    @Autowired
    CommandLimiter(@Value("${firehose.control-plane.max-concurrent-commands:8}") int maxConcurrentCommands) {
        this(maxConcurrentCommands, WAIT);
    }

    CommandLimiter(int maxConcurrentCommands, Duration wait) {
        this.permits = new Semaphore(maxConcurrentCommands, true);
        this.wait = wait;
    }

    <T> T call(Supplier<T> command) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new FirehoseException(FirehoseErrorCode.ServiceUnavailableException,
                    "Slow down: the service is handling as many changes as it can. Retry the request.");
        }
        try {
            return command.get();
        } finally {
            permits.release();
        }
    }
}
