package io.firehosesse.deliverystream;

import static io.firehosesse.support.FirehoseErrors.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.MatcherAssert.assertThat;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CommandLimiterTest {

    @Test
    void aCommandBeyondTheBoundWaitsForAFreedSlot() throws Exception {
        // Long enough that the waiter never gives up before the release, however busy the machine.
        CommandLimiter limiter = new CommandLimiter(1, Duration.ofSeconds(120));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService others = Executors.newFixedThreadPool(2);
        try {
            Future<String> holder = others.submit(() -> limiter.call(() -> {
                inside.countDown();
                await(release);
                return "first";
            }));
            inside.await();
            Future<String> waiter = others.submit(() -> limiter.call(() -> "second"));
            Thread.sleep(200);

            assertThat(waiter.isDone()).as("the second command waits while the first holds the only slot").isFalse();
            release.countDown();
            assertThat(holder.get()).isEqualTo("first");
            assertThat(waiter.get(60, TimeUnit.SECONDS)).isEqualTo("second");
        } finally {
            others.shutdownNow();
        }
    }

    @Test
    void aCommandThatCannotGetASlotInTimeIsServiceUnavailable() throws Exception {
        CommandLimiter limiter = new CommandLimiter(0, Duration.ofMillis(50));

        assertThatThrownBy(() -> limiter.call(() -> "never"))
                .isInstanceOfSatisfying(FirehoseException.class,
                        e -> assertThat(e, error(FirehoseErrorCode.ServiceUnavailableException, "Retry the request")));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
