package io.firehosesse.dataplane;

import io.firehosesse.platform.InProgressLimit;
import java.time.Duration;
import io.firehosesse.system.FirehoseProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Bounds the puts in progress ({@code firehose.data-plane.max-concurrent-puts}); past it a put waits 200 ms, then 503. */
@Component
public class IntakeLimiter extends InProgressLimit {

    @Autowired
    public IntakeLimiter(FirehoseProperties properties) {
        this(properties.dataPlane().maxConcurrentPuts());
    }

    public IntakeLimiter(int maxConcurrentPuts) {
        super("puts", maxConcurrentPuts, Duration.ofMillis(200), false,
                "Slow down: the service is handling as many records as it can. Retry the request.");
    }
}
