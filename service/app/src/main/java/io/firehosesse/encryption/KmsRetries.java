package io.firehosesse.encryption;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Calls KMS again while it cannot be reached, backing off from 200 ms to 5 s, until a deadline; any
 * answer from KMS, refusal included, ends the retries at once.
 */
final class KmsRetries {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private KmsRetries() {
    }

    static <T> KmsResult<T> untilAnswered(Clock clock, Instant deadline, Supplier<KmsResult<T>> call) {
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            KmsResult<T> result = call.get();
            Instant now = clock.instant();
            if (result.isOk() || !KmsResult.KmsError.UNREACHABLE.equals(result.error().name()) || !now.isBefore(deadline)) {
                return result;
            }
            sleep(min(backoff, Duration.between(now, deadline)));
            backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
        }
    }

    static void sleep(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // Shutting down: fail this handling so the event is processed again after the restart.
            throw new IllegalStateException("Interrupted while waiting for KMS", e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
