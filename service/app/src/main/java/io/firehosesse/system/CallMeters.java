package io.firehosesse.system;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The meters of the AWS calls: one timer {@value #CALLS} (a count, a sum and a latency histogram) per service,
 * operation and error code ({@code none} for a call that succeeded), and the call log: with the logger
 * {@value #CALL_LOG} at DEBUG, one line per call, which the MDC ties to its request id and caller.
 *
 * <p>Every call passes here, so the meters are looked up once: an edge asks for its {@link Operation}s at start-up
 * (only operations it serves, so no request can make a new time series), and an operation keeps a timer per error
 * code it has answered. A call then costs a map lookup, a clock read and a histogram update.
 */
@Component
public class CallMeters {

    public static final String CALLS = "firehose.calls";
    public static final String CALL_LOG = "io.firehosesse.calls";
    static final String NO_ERROR = "none";

    private static final Logger log = LoggerFactory.getLogger(CALL_LOG);

    private final MeterRegistry registry;

    CallMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The meters of one operation of {@code service} ({@code firehose}, {@code kms}, {@code sts}). */
    public Operation operation(String service, String operation) {
        return new Operation(service, operation);
    }

    /** One operation's meters. */
    public final class Operation {

        private final String service;
        private final String name;
        private final Timer succeeded;
        private final ConcurrentMap<String, Timer> failed = new ConcurrentHashMap<>();

        private Operation(String service, String name) {
            this.service = service;
            this.name = name;
            this.succeeded = timer(NO_ERROR);
        }

        public String name() {
            return name;
        }

        /**
         * Records a call that began at {@code startNanos} ({@link System#nanoTime()}) and ended now, answered with
         * {@code errorCode} (the {@code __type}, or {@code null} for success).
         */
        public void record(long startNanos, String errorCode) {
            long nanos = System.nanoTime() - startNanos;
            Timer timer = errorCode == null ? succeeded : failed.get(errorCode);
            if (timer == null) {
                timer = failed.computeIfAbsent(errorCode, this::timer);
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
            if (log.isDebugEnabled()) {
                log.debug("{} {} in {} ms", name, errorCode == null ? "OK" : errorCode, nanos / 1_000_000);
            }
        }

        private Timer timer(String error) {
            return Timer.builder(CALLS)
                    .description("AWS calls answered, by service, operation and error code (none: succeeded)")
                    .tags("service", service, "operation", name, "error", error)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry);
        }
    }
}
