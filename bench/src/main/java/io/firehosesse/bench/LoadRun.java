package io.firehosesse.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closed-loop load: each client sends its next call as soon as the last one is answered, first through a warm-up
 * whose figures are thrown away, then for the measured duration.
 */
final class LoadRun {

    /** One call of a mix; false when it had nothing to do (a Start/Stop rotation used up). */
    interface Action extends ClientAction<WireClient> {
    }

    /** One call made with a client of any kind: a wire connection for the mixes, a JDBC client for the SQL bound. */
    interface ClientAction<C> {
        boolean perform(C client, Measured measured);
    }

    /** Where a call's figures go: a throw-away set during warm-up, the run's set after. */
    interface Measured {
        OperationStats of(String operation);
    }

    record Result(String mix, int clients, Duration duration, Map<String, OperationStats> operations) {
        double callsPerSecond(OperationStats stats) {
            return stats.calls() / (duration.toNanos() / 1e9);
        }

        long totalCalls() {
            return operations.values().stream().mapToLong(OperationStats::calls).sum();
        }
    }

    static Result run(String mix, ServiceUnderTest service, int clients, Duration warmup, Duration duration,
                      Action action, Runnable sampler) throws Exception {
        return run(mix, service::client, clients, warmup, duration, action, sampler);
    }

    /** The same closed loop with clients made by {@code newClient}, one per client thread. */
    static <C> Result run(String mix, java.util.function.Supplier<C> newClient, int clients, Duration warmup, Duration duration,
                          ClientAction<C> action, Runnable sampler) throws Exception {
        Map<String, OperationStats> warm = new ConcurrentHashMap<>();
        Map<String, OperationStats> measured = new ConcurrentHashMap<>();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        Measured sink = operation -> (measuring.get() ? measured : warm).computeIfAbsent(operation, OperationStats::new);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                C client = newClient.get();
                while (!stop.get()) {
                    if (!action.perform(client, sink)) {
                        Fixture.pause(1); // a rotation used up: nothing to send
                    }
                }
            }));
        }
        sleep(warmup);
        measuring.set(true);
        long begin = System.nanoTime();
        long end = begin + duration.toNanos();
        while (System.nanoTime() < end) {
            sampler.run();
            Thread.sleep(Math.min(500, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
        Duration measuredFor = Duration.ofNanos(System.nanoTime() - begin);
        measuring.set(false);
        stop.set(true);
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        return new Result(mix, clients, measuredFor, new LinkedHashMap<>(new java.util.TreeMap<>(measured)));
    }

    /** Times one call and files it under its operation. */
    static WireClient.Answer timed(Measured measured, String operation, java.util.function.Supplier<WireClient.Answer> call) {
        long t = System.nanoTime();
        WireClient.Answer answer = call.get();
        measured.of(operation).record(System.nanoTime() - t, answer);
        return answer;
    }

    private static void sleep(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            Thread.sleep(duration.toMillis());
        }
    }
}
