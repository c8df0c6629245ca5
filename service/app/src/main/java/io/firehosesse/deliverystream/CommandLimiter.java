package io.firehosesse.deliverystream;

import io.firehosesse.platform.InProgressLimit;
import io.firehosesse.system.FirehoseProperties;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Bounds the callers' commands in progress, so they can never take the whole connection pool. A command
 * may hold a pooled connection while it waits in PostgreSQL: for its stream's lock across instances (the
 * aggregate cache's check), or for a key slot another Start is claiming; when a per-key lock still guarded
 * the 500-streams rule, 40 Starts on one key held all 20 connections with 9 more requests waiting for one.
 * Past the bound a command waits here, holding nothing, and after
 * {@link #WAIT} is answered ServiceUnavailableException (retryable, 503). The default, 8 of the pool's 20,
 * leaves room for the event processors (five threads), reads and puts.
 */
@Component
class CommandLimiter extends InProgressLimit {

    static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    CommandLimiter(FirehoseProperties properties) {
        this(properties.controlPlane().maxConcurrentCommands(), WAIT);
    }

    CommandLimiter(int maxConcurrentCommands, Duration wait) {
        super("commands", maxConcurrentCommands, wait, true,
                "Slow down: the service is handling as many changes as it can. Retry the request.");
    }
}
