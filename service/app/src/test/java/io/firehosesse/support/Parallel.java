package io.firehosesse.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/** Concurrent calls on the service: each thread with its own SDK client, all released at once. */
public final class Parallel {

    private Parallel() {
    }

    /** Runs {@code calls} calls (numbered from 0) on {@code threads} threads and waits for all of them. */
    public static void calls(int port, int threads, int calls, BiFunction<FirehoseClient, Integer, ?> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<FirehoseClient> clients = Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<FirehoseClient> client = ThreadLocal.withInitial(() -> {
            FirehoseClient c = Clients.firehose(port);
            clients.add(c);
            return c;
        });
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    FirehoseClient mine = client.get();
                    go.await();
                    return call.apply(mine, n);
                }));
            }
            go.countDown();
            for (Future<Object> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
            clients.forEach(FirehoseClient::close);
        }
    }
}
