package io.firehosesse.support;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * How long a test waits for work the service does on its own: event processors catching up, a scheduler's next
 * run, a child JVM starting. CI runs the suite on two busy cores, where work that takes milliseconds on an idle
 * machine can take seconds, so these bounds are generous: they only turn a hang into a failure, they never
 * measure speed. A test that can run the work itself (the method a scheduler calls) does that instead of waiting
 * for the timer, and then waits, if at all, only for what another thread may still be finishing.
 */
public final class Waits {

    /** For work that normally takes well under a second. */
    public static final Duration BACKGROUND = Duration.ofSeconds(60);

    /** For work that is long even on an idle machine: hundreds of streams through a processor, a replay of the store. */
    public static final Duration LONG = Duration.ofSeconds(180);

    private Waits() {
    }

    /** Awaitility, bounded by {@link #BACKGROUND}. */
    public static ConditionFactory background() {
        return Awaitility.await().atMost(BACKGROUND);
    }

    /** Awaitility, bounded by {@link #LONG}. */
    public static ConditionFactory longWork() {
        return Awaitility.await().atMost(LONG);
    }
}
