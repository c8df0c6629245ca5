package io.firehosesse.system;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.Streams.awaitStatus;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.support.Clients;
import io.firehosesse.support.Outcomes;
import io.firehosesse.support.ServiceProcess;
import io.firehosesse.support.TestDatabase;
import io.firehosesse.support.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.KeyType;

/**
 * The service, a child process on a database of its own, loses every PostgreSQL connection again and
 * again for about two seconds while clients describe streams, put records into a plain and an
 * encrypted one, and tag them (a command through the aggregate and the event store). Each call in the outage is answered: 200, or 503 ServiceUnavailableException, which
 * the SDKs retry, never a 500 nor silence; the service is back by itself within seconds, its event
 * processors too; and every record it acknowledged is in the buffer.
 */
@ExtendWith(TestDatabase.class)
class DatabaseOutageIT {

    private static final int THREADS = 4;
    private static final int WARM_UP_CALLS = 40;
    private static final Duration OUTAGE = Duration.ofSeconds(2);
    private static final Duration KILL_INTERVAL = Duration.ofMillis(100);
    /** Each client thread goes on until it has this many successes after the last kill. */
    private static final int SUCCESSES_AFTER = 15;
    /** A bound for a service that never comes back, so the test fails instead of hanging. */
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(120);
    /**
     * The first success after the outage is timed when its answer arrives, so on two busy cores this includes waiting
     * for a CPU; on an idle machine it comes within a second or two. A service that does not recover by itself keeps
     * answering 503 (each call waits the pool's 5 s connection timeout) until GIVE_UP_AFTER; this bound is several of
     * those rounds, to tell the two apart without timing the machine.
     */
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);
    private static final String KILL = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            + " WHERE datname = current_database() AND pid <> pg_backend_pid()";

    /** One call as a client saw it; times in nanoseconds of this JVM's clock. */
    record Call(String operation, String stream, long startedAt, long endedAt, String outcome, String recordId,
                String message) {
    }

    @Test
    void callsDuringAnOutageAre503OrAnsweredAndTheServiceRecoversByItselfWithEveryAcknowledgedRecordKept() throws Exception {
        String databaseUrl = TestDatabase.freshDatabaseUrl();
        String plain = uniqueName("outage-plain");
        String sealed = uniqueName("outage-sse");
        try (ServiceProcess service = ServiceProcess.on(databaseUrl).named("database-outage").start();
             FirehoseClient firehose = Clients.firehose(service.port());
             // One connection for the killer, so a round costs a statement, not a login.
             SingleConnectionDataSource killer = new SingleConnectionDataSource(databaseUrl, TestDatabase.username(),
                     TestDatabase.password(), true)) {
            JdbcClient db = JdbcClient.create(killer);
            createUndelivered(firehose, plain);
            createUndelivered(firehose, sealed);
            firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(sealed)
                    .deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.AWS_OWNED_CMK)));
            awaitEncryption(firehose, sealed, DeliveryStreamEncryptionStatus.ENABLED);

            Load load = new Load(service.port(), List.of(plain, sealed));
            load.awaitCalls(WARM_UP_CALLS);
            long firstKill = System.nanoTime();
            long startedBeforeTheOutage = load.started();
            List<Integer> killed = new ArrayList<>();
            // The outage: every connection of the service's database terminated, again and again, as it reconnects;
            // for OUTAGE, and on a machine so busy that no client started a call meanwhile, until one has.
            do {
                killed.add(db.sql(KILL).query(Integer.class).single());
                Thread.sleep(KILL_INTERVAL.toMillis());
            } while (System.nanoTime() - firstKill < OUTAGE.toNanos() || (load.started() == startedBeforeTheOutage
                    && System.nanoTime() - firstKill < Waits.BACKGROUND.toNanos()));
            killed.add(db.sql(KILL).query(Integer.class).single());
            long lastKill = System.nanoTime();
            load.outageOverAt(lastKill);
            Collection<Call> calls = load.awaitDone();

            Outcomes before = outcomes(calls, c -> c.startedAt() < firstKill);
            Outcomes during = outcomes(calls, c -> c.startedAt() >= firstKill && c.startedAt() < lastKill);
            Outcomes after = outcomes(calls, c -> c.startedAt() >= lastKill);
            long recovered = calls.stream().filter(c -> c.startedAt() >= lastKill && Outcomes.OK.equals(c.outcome()))
                    .mapToLong(Call::endedAt).min().orElse(Long.MAX_VALUE);
            Map<String, Long> recoveredBy = new TreeMap<>();
            for (String operation : List.of("DescribeDeliveryStream", "PutRecord", "TagDeliveryStream")) {
                calls.stream().filter(c -> c.startedAt() >= lastKill && Outcomes.OK.equals(c.outcome())
                                && c.operation().equals(operation))
                        .mapToLong(Call::endedAt).min()
                        .ifPresent(at -> recoveredBy.put(operation, TimeUnit.NANOSECONDS.toMillis(at - lastKill)));
            }
            long slowest = calls.stream().mapToLong(c -> c.endedAt() - c.startedAt()).max().orElse(0);
            Set<String> acknowledged = calls.stream().filter(c -> c.recordId() != null).map(Call::recordId)
                    .collect(Collectors.toSet());
            Set<String> buffered = new HashSet<>(db.sql("SELECT record_id FROM record_buffer").query(String.class).list());
            List<String> lost = acknowledged.stream().filter(id -> !buffered.contains(id)).toList();

            // The tracking processors (lifecycle, encryption) must be back too, not only the request threads.
            long processorsFrom = System.nanoTime();
            String created = uniqueName("after-outage");
            Outcomes create = new Outcomes();
            create.call(() -> createUndelivered(firehose, created));
            long activeAfter = System.nanoTime() - processorsFrom;
            firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(plain));
            awaitEncryption(firehose, plain, DeliveryStreamEncryptionStatus.ENABLED);
            long enabledAfter = System.nanoTime() - processorsFrom;

            System.out.printf("DatabaseOutageIT: %d kill rounds over %d ms terminated %s connections; %d calls from %d"
                            + " threads: before %s, during %s, after %s%n", killed.size(),
                    TimeUnit.NANOSECONDS.toMillis(lastKill - firstKill), killed, calls.size(), THREADS, before, during, after);
            System.out.printf("DatabaseOutageIT: first success %d ms after the last kill (by operation %s); slowest call"
                            + " %d ms; %d PutRecord acknowledged, %d found in record_buffer, %d lost; after the outage a new"
                            + " stream was ACTIVE in %d ms and a Start ENABLED in %d ms; first failures %s%n",
                    recovered == Long.MAX_VALUE ? -1 : TimeUnit.NANOSECONDS.toMillis(recovered - lastKill), recoveredBy,
                    TimeUnit.NANOSECONDS.toMillis(slowest), acknowledged.size(), acknowledged.size() - lost.size(),
                    lost.size(), TimeUnit.NANOSECONDS.toMillis(activeAfter), TimeUnit.NANOSECONDS.toMillis(enabledAfter),
                    load.outcomes.firstMessages());

            assertThat(killed.stream().mapToInt(Integer::intValue).sum()).as("connections terminated").isPositive();
            assertThat(during.total()).as("calls made during the outage").isPositive();
            assertThat(load.outcomes.counts().keySet()).as("every call answered 200 or 503: %s", load.outcomes.firstMessages())
                    .isSubsetOf(Outcomes.OK, "ServiceUnavailableException/503");
            assertThat(recovered).as("a success after the last kill").isNotEqualTo(Long.MAX_VALUE);
            assertThat(Duration.ofNanos(recovered - lastKill)).isLessThan(RECOVERY_LIMIT);
            assertThat(lost).as("acknowledged records missing from record_buffer").isEmpty();
            assertThat(create.counts()).containsOnlyKeys(Outcomes.OK);
        }
    }

    /** Client threads alternating DescribeDeliveryStream and PutRecord round the streams, each with its own client. */
    private static final class Load {

        private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        private final Outcomes outcomes = new Outcomes();
        private final AtomicLong started = new AtomicLong();
        private volatile long outageOverAt = Long.MAX_VALUE;

        Load(int port, List<String> streams) {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                threads.execute(() -> {
                    try (FirehoseClient firehose = Clients.firehose(port)) {
                        run(firehose, thread, streams);
                    }
                });
            }
            threads.shutdown();
        }

        long started() {
            return started.get();
        }

        void awaitCalls(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Waits.BACKGROUND.toNanos();
            while (started.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        void outageOverAt(long nanos) {
            outageOverAt = nanos;
        }

        Collection<Call> awaitDone() throws InterruptedException {
            if (!threads.awaitTermination(GIVE_UP_AFTER.toSeconds() + 30, TimeUnit.SECONDS)) {
                threads.shutdownNow();
                throw new IllegalStateException("Client threads still running");
            }
            return List.copyOf(calls);
        }

        private void run(FirehoseClient firehose, int thread, List<String> streams) {
            int successesAfter = 0;
            for (long n = 0; successesAfter < SUCCESSES_AFTER; n++) {
                if (outageOverAt != Long.MAX_VALUE && System.nanoTime() - outageOverAt > GIVE_UP_AFTER.toNanos()) {
                    return;
                }
                String stream = streams.get((int) ((n / 3 + thread) % streams.size()));
                Call call = switch ((int) (n % 3)) {
                    case 0 -> describe(firehose, stream);
                    case 1 -> put(firehose, stream, "thread=" + thread + " call=" + n);
                    default -> tag(firehose, stream, "thread-" + thread, Long.toString(n));
                };
                calls.add(call);
                outcomes.record(call.outcome(), call.message());
                if (call.startedAt() >= outageOverAt && Outcomes.OK.equals(call.outcome())) {
                    successesAfter++;
                }
            }
        }

        private Call describe(FirehoseClient firehose, String stream) {
            started.incrementAndGet();
            long at = System.nanoTime();
            try {
                firehose.describeDeliveryStream(r -> r.deliveryStreamName(stream));
                return new Call("DescribeDeliveryStream", stream, at, System.nanoTime(), Outcomes.OK, null, null);
            } catch (SdkException e) {
                return new Call("DescribeDeliveryStream", stream, at, System.nanoTime(), Outcomes.of(e), null, e.getMessage());
            }
        }

        /** A command through the aggregate and the event store, where Describe and PutRecord go through neither. */
        private Call tag(FirehoseClient firehose, String stream, String key, String value) {
            started.incrementAndGet();
            long at = System.nanoTime();
            try {
                firehose.tagDeliveryStream(r -> r.deliveryStreamName(stream).tags(t -> t.key(key).value(value)));
                return new Call("TagDeliveryStream", stream, at, System.nanoTime(), Outcomes.OK, null, null);
            } catch (SdkException e) {
                return new Call("TagDeliveryStream", stream, at, System.nanoTime(), Outcomes.of(e), null, e.getMessage());
            }
        }

        private Call put(FirehoseClient firehose, String stream, String data) {
            started.incrementAndGet();
            long at = System.nanoTime();
            try {
                String id = firehose.putRecord(r -> r.deliveryStreamName(stream)
                        .record(x -> x.data(SdkBytes.fromString(data, StandardCharsets.UTF_8)))).recordId();
                return new Call("PutRecord", stream, at, System.nanoTime(), Outcomes.OK, id, null);
            } catch (SdkException e) {
                return new Call("PutRecord", stream, at, System.nanoTime(), Outcomes.of(e), null, e.getMessage());
            }
        }
    }

    private static Outcomes outcomes(Collection<Call> calls, Predicate<Call> which) {
        Outcomes outcomes = new Outcomes();
        calls.stream().filter(which).forEach(c -> outcomes.record(c.outcome()));
        return outcomes;
    }

    /** A DirectPut stream whose buffering hints hold every record for the whole test. */
    private static String createUndelivered(FirehoseClient firehose, String name) {
        String arn = firehose.createDeliveryStream(r -> r.deliveryStreamName(name).extendedS3DestinationConfiguration(d -> d
                .roleARN("arn:aws:iam::123456789012:role/firehose-delivery").bucketARN("arn:aws:s3:::bucket-" + name)
                .bufferingHints(b -> b.intervalInSeconds(900).sizeInMBs(128)))).deliveryStreamARN();
        awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);
        return arn;
    }
}
