package io.firehosesse.dataplane;

import static io.firehosesse.support.FirehoseErrors.error;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.MatcherAssert.assertThat;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IntakeLimiterTest {

    @Test
    void aPutBeyondTheBoundIsServiceUnavailableAndAFreedSlotServesAgain() throws Exception {
        IntakeLimiter limiter = new IntakeLimiter(1);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<String> holder = other.submit(() -> limiter.call(() -> {
                inside.countDown();
                await(release);
                return "first";
            }));
            inside.await();

            assertThatThrownBy(() -> limiter.call(() -> "second"))
                    .isInstanceOfSatisfying(FirehoseException.class,
                            e -> assertThat(e, error(FirehoseErrorCode.ServiceUnavailableException, "Retry the request")));
            release.countDown();
            assertThat(holder.get()).isEqualTo("first");
            assertThat(limiter.call(() -> "third")).isEqualTo("third");
        } finally {
            other.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
