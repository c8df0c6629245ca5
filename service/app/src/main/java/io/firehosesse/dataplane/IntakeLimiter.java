package io.firehosesse.dataplane;

import io.firehosesse.platform.InProgressLimit;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Bounds the puts in progress ({@code firehose.data-plane.max-concurrent-puts}); past it a put waits 200 ms, then 503. */
@Component
public class IntakeLimiter extends InProgressLimit {

    public IntakeLimiter(@Value("${firehose.data-plane.max-concurrent-puts:32}") int maxConcurrentPuts) {
        super(maxConcurrentPuts, Duration.ofMillis(200), false,
                "Slow down: the service is handling as many records as it can. Retry the request.");
    }
}
