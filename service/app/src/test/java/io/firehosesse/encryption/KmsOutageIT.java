package io.firehosesse.encryption;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.EncryptionFixtures.encryption;
import static io.firehosesse.support.Streams.awaitStatus;
import static io.firehosesse.support.Streams.createDirectPut;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.Clients;
import io.firehosesse.support.Parallel;
import io.firehosesse.support.Outcomes;
import io.firehosesse.support.ServiceProcess;
import io.firehosesse.support.TestDatabase;
import io.firehosesse.support.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionConfiguration;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamFailureType;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.KeyType;

/**
 * The service, a child process, uses an external KMS that is down: its endpoint is a port nobody
 * listens on. A Start with a customer managed key is still answered at once and fails with
 * UNKNOWN_ERROR once the KMS deadline has passed; many of them together take neither the request
 * threads nor the connection pool from other callers; and a record for a stream encrypted under the
 * AWS-owned key is refused with a retryable 503, never stored in plain. One test then makes the port
 * accept connections that are never answered, a KMS that hangs: every call is still answered within
 * the adapter's bound, and no pooled connection waits on KMS.
 */
@ExtendWith(TestDatabase.class)
class KmsOutageIT {

    private static final Duration KMS_DEADLINE = Duration.ofSeconds(3);
    private static final String AWS_OWNED_KEY = "arn:aws:kms:us-east-1:123456789012:key/0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
    private static final String CUSTOMER_KEY = "arn:aws:kms:us-east-1:123456789012:key/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    private static final int PARALLEL_STARTS = 40;
    private static final int LIST_PROBES = 60;
    private static final Duration PROBE_PAUSE = Duration.ofMillis(50);
    /*
     * The bounds below tell calls that wait on KMS from calls that do not; none of them measures how fast the
     * machine is. On two busy cores a call that takes milliseconds on an idle machine can take a second or two.
     */
    /**
     * "At once" for one Start: before the KMS deadline could have passed, so it did not wait for the retries that run
     * until then (the process does that, after the answer).
     */
    private static final Duration AT_ONCE = KMS_DEADLINE;
    /**
     * The slowest ListDeliveryStreams while others' calls wait on KMS. A probe held up by them would wait for a pooled
     * connection, which the pool figures show directly (and after the pool's 5 s connection timeout it is a 503), or
     * for a request thread (there are 200, for 40 calls); this only has to catch a probe held up for seconds on end.
     */
    private static final Duration FAST = Duration.ofSeconds(10);
    /**
     * Bound for the last of many Starts that take turns on their key's lock. One that waited for a command slot longer
     * than the service allows (10 s) is answered 503, which the outcomes catch; this catches a Start that hangs.
     */
    private static final Duration QUEUED = Waits.BACKGROUND;
    private static final int HUNG_STARTS = 8;
    private static final int HUNG_PUTS = 24;
    /**
     * What a call may take when KMS hangs: less than three times the adapter's bound on one KMS call, so it waited on
     * one KMS call, not on several in turn (nor on the SDK's own retries, some 40 s a call), with a busy machine's delays.
     */
    private static final Duration BOUNDED = SdkKmsKeys.CALL_TIMEOUT.multipliedBy(3);

    private static int kmsPort;
    private static String databaseUrl;
    private static ServiceProcess service;
    private static SingleConnectionDataSource database;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void startWithAnUnreachableKms() {
        kmsPort = closedPort();
        databaseUrl = TestDatabase.freshDatabaseUrl();
        service = ServiceProcess.on(databaseUrl).named("kms-outage")
                .property("firehose.kms.endpoint", "http://127.0.0.1:" + kmsPort)
                .property("firehose.kms.aws-owned-key-arn", AWS_OWNED_KEY)
                .property("firehose.encryption.kms-deadline", KMS_DEADLINE.toSeconds() + "s")
                // All the pool's connections open from the start, so a request the sampler sees waiting for one waits
                // because none is free, not because the pool is still opening it (which takes a while on a busy machine).
                .property("spring.datasource.hikari.minimum-idle", "20")
                // The SDK's default chain finds these first and never goes looking for instance metadata.
                .jvmOption("-Daws.accessKeyId=AKIAIOSFODNN7EXAMPLE")
                .jvmOption("-Daws.secretAccessKey=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
                .start();
        database = new SingleConnectionDataSource(databaseUrl, TestDatabase.username(), TestDatabase.password(), true);
        // The service makes its KMS client on first use, which takes seconds in a JVM this cold; one Start pays for it
        // here, so the tests measure the service as it runs, whichever comes first.
        try (FirehoseClient firehose = Clients.firehose(service.port())) {
            String name = uniqueName("kms-warm-up");
            createDirectPut(firehose, name);
            awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);
            long started = System.nanoTime();
            startWithCustomerKey(firehose, name);
            System.out.printf("KmsOutageIT: service started in %d ms; first Start with a customer key (KMS client made)"
                    + " answered in %d ms%n", service.startUp().toMillis(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.destroy();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aStartWithACustomerKeyIsAnsweredAtOnceThenFailsWithUnknownErrorAfterTheDeadline() {
        try (FirehoseClient firehose = Clients.firehose(service.port())) {
            String name = uniqueName("kms-down");
            createDirectPut(firehose, name);
            awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);

            long started = System.nanoTime();
            startWithCustomerKey(firehose, name);
            Duration answeredIn = Duration.ofNanos(System.nanoTime() - started);
            DeliveryStreamEncryptionConfiguration enabling = encryption(firehose, name);
            DeliveryStreamEncryptionConfiguration failed = Waits.background()
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> encryption(firehose, name), e -> e.status() != DeliveryStreamEncryptionStatus.ENABLING);
            Duration failedIn = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("KmsOutageIT: Start with a customer key against a closed port answered 200 in %d ms;"
                            + " %s after %d ms (deadline %d ms): %s%n", answeredIn.toMillis(), failed.status(),
                    failedIn.toMillis(), KMS_DEADLINE.toMillis(), failed.failureDescription());

            assertThat(answeredIn).isLessThan(AT_ONCE);
            assertThat(enabling.status()).isEqualTo(DeliveryStreamEncryptionStatus.ENABLING);
            assertThat(failed.status()).isEqualTo(DeliveryStreamEncryptionStatus.ENABLING_FAILED);
            assertThat(failed.failureDescription().type()).isEqualTo(DeliveryStreamFailureType.UNKNOWN_ERROR);
            assertThat(failed.failureDescription().details()).contains(KmsResult.KmsError.UNREACHABLE);
            // At the configured deadline, not the default two minutes' one; the spare is a busy machine's.
            assertThat(failedIn).isGreaterThanOrEqualTo(KMS_DEADLINE).isLessThan(KMS_DEADLINE.plus(Waits.BACKGROUND));
        }
    }

    @Test
    void manyStartsAgainstTheDeadKmsTakeNeitherThreadsNorConnectionsFromOtherCallers() throws Exception {
        String prefix = uniqueName("kms-many");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < PARALLEL_STARTS; i++) {
            names.add(prefix + "-" + i);
        }
        Parallel.calls(service.port(), 8, names.size(), (client, i) -> createDirectPut(client, names.get(i)));
        try (FirehoseClient firehose = Clients.firehose(service.port())) {
            names.forEach(name -> awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE));

            Sampler sampler = Sampler.start();
            Outcomes starts = new Outcomes();
            List<Long> startMillis = Collections.synchronizedList(new ArrayList<>());
            long started = System.nanoTime();
            Parallel.calls(service.port(), PARALLEL_STARTS, names.size(), (client, i) -> {
                long at = System.nanoTime();
                starts.call(() -> {
                    startWithCustomerKey(client, names.get(i));
                    return true;
                });
                startMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - at));
                return null;
            });
            Waits.background().pollInterval(Duration.ofMillis(200)).until(() -> names.stream()
                    .noneMatch(name -> encryption(firehose, name).status() == DeliveryStreamEncryptionStatus.ENABLING));
            long allFailed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            Sampler.Result sampled = sampler.stop();
            List<DeliveryStreamEncryptionConfiguration> results = names.stream().map(name -> encryption(firehose, name)).toList();

            System.out.printf("KmsOutageIT closed port: %d parallel Starts %s answered in max %d ms (median %d); all left"
                            + " ENABLING after %d ms; meanwhile %s%n", PARALLEL_STARTS, starts, Collections.max(startMillis),
                    median(startMillis), allFailed, sampled);

            assertThat(starts.counts()).containsOnlyKeys(Outcomes.OK);
            // Starts naming one key take turns on its lock (the 500-streams rule): the last waits for all the others.
            assertThat(Collections.max(startMillis)).isLessThan(QUEUED.toMillis());
            sampled.assertResponsive();
            assertThat(results).allSatisfy(e -> {
                assertThat(e.status()).isEqualTo(DeliveryStreamEncryptionStatus.ENABLING_FAILED);
                assertThat(e.failureDescription().type()).isEqualTo(DeliveryStreamFailureType.UNKNOWN_ERROR);
            });
        }
    }

    @Test
    void aRecordForAStreamUnderTheAwsOwnedKeyIsRefusedAndNeverStoredInPlain() {
        try (FirehoseClient firehose = Clients.firehose(service.port())) {
            String name = uniqueName("kms-down-sse");
            createDirectPut(firehose, name);
            awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);
            // The AWS-owned key needs no grant, so its encryption comes on without KMS; its records need KMS.
            firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name)
                    .deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.AWS_OWNED_CMK)));
            awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);

            Outcomes puts = new Outcomes();
            long started = System.nanoTime();
            puts.call(() -> firehose.putRecord(r -> r.deliveryStreamName(name)
                    .record(x -> x.data(SdkBytes.fromUtf8String("secret")))));
            long putMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            puts.call(() -> firehose.putRecordBatch(r -> r.deliveryStreamName(name)
                    .records(x -> x.data(SdkBytes.fromUtf8String("secret 1")), x -> x.data(SdkBytes.fromUtf8String("secret 2")))));
            long stored = storedRecords(name);
            DeliveryStreamEncryptionConfiguration after = encryption(firehose, name);
            System.out.printf("KmsOutageIT: PutRecord and PutRecordBatch on an AWS_OWNED_CMK stream with KMS down: %s"
                    + " (PutRecord answered in %d ms; %s); %d records stored; encryption afterwards %s%n",
                    puts, putMillis, puts.firstMessages(), stored, after);

            assertThat(puts.counts()).containsOnlyKeys("ServiceUnavailableException/503");
            assertThat(stored).isZero();
            assertThat(after.status()).isEqualTo(DeliveryStreamEncryptionStatus.ENABLED);
        }
    }

    @Test
    void aKmsThatAcceptsConnectionsButNeverAnswersHoldsNoPooledConnectionAndEveryCallIsAnswered() throws Exception {
        String prefix = uniqueName("kms-hung");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < HUNG_STARTS; i++) {
            names.add(prefix + "-" + i);
        }
        String sealed = prefix + "-sse";
        Parallel.calls(service.port(), 8, names.size(), (client, i) -> createDirectPut(client, names.get(i)));
        try (FirehoseClient firehose = Clients.firehose(service.port())) {
            createDirectPut(firehose, sealed);
            names.forEach(name -> awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE));
            awaitStatus(firehose, sealed, DeliveryStreamStatus.ACTIVE);
            firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(sealed)
                    .deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.AWS_OWNED_CMK)));
            awaitEncryption(firehose, sealed, DeliveryStreamEncryptionStatus.ENABLED);

            // Connections to the KMS port now succeed (the kernel completes them into the backlog), and nothing
            // is ever read or answered: a KMS that hangs.
            try (ServerSocket hung = new ServerSocket()) {
                hung.setReuseAddress(true);
                hung.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), kmsPort), 500);
                Sampler sampler = Sampler.start();
                Outcomes starts = new Outcomes();
                Outcomes puts = new Outcomes();
                List<Long> startMillis = Collections.synchronizedList(new ArrayList<>());
                List<Long> putMillis = Collections.synchronizedList(new ArrayList<>());
                long started = System.nanoTime();
                Parallel.calls(service.port(), HUNG_STARTS + HUNG_PUTS, HUNG_STARTS + HUNG_PUTS, (client, i) -> {
                    long at = System.nanoTime();
                    if (i < HUNG_STARTS) {
                        starts.call(() -> {
                            startWithCustomerKey(client, names.get(i));
                            return true;
                        });
                        startMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - at));
                    } else {
                        puts.call(() -> client.putRecord(r -> r.deliveryStreamName(sealed)
                                .record(x -> x.data(SdkBytes.fromUtf8String("secret " + i)))));
                        putMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - at));
                    }
                    return null;
                });
                long answered = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                Waits.background().pollInterval(Duration.ofMillis(200)).until(() -> names.stream()
                        .noneMatch(name -> encryption(firehose, name).status() == DeliveryStreamEncryptionStatus.ENABLING));
                long allFailed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                Sampler.Result sampled = sampler.stop();
                List<DeliveryStreamEncryptionConfiguration> results = names.stream().map(name -> encryption(firehose, name)).toList();
                long stored = storedRecords(sealed);

                System.out.printf("KmsOutageIT hung KMS: %d Starts %s in max %d ms (median %d), %d PutRecord %s in max %d ms"
                                + " (median %d), all answered after %d ms; all left ENABLING after %d ms %s; %d records stored;"
                                + " meanwhile %s%n", HUNG_STARTS, starts, Collections.max(startMillis), median(startMillis),
                        HUNG_PUTS, puts, Collections.max(putMillis), median(putMillis), answered, allFailed,
                        results.stream().map(e -> e.status() + "/" + e.failureDescription().type())
                                .collect(Collectors.groupingBy(x -> x, TreeMap::new, Collectors.counting())),
                        stored, sampled);

                assertThat(starts.counts()).containsOnlyKeys(Outcomes.OK);
                assertThat(puts.counts()).containsOnlyKeys("ServiceUnavailableException/503");
                assertThat(Collections.max(startMillis)).isLessThan(BOUNDED.toMillis());
                assertThat(Collections.max(putMillis)).isLessThan(BOUNDED.toMillis());
                assertThat(stored).isZero();
                sampled.assertResponsive();
                assertThat(results).allSatisfy(e -> {
                    assertThat(e.status()).isEqualTo(DeliveryStreamEncryptionStatus.ENABLING_FAILED);
                    assertThat(e.failureDescription().type()).isEqualTo(DeliveryStreamFailureType.UNKNOWN_ERROR);
                });
            }
        }
    }

    private static void startWithCustomerKey(FirehoseClient firehose, String name) {
        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name)
                .deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.CUSTOMER_MANAGED_CMK).keyARN(CUSTOMER_KEY)));
    }

    private static long storedRecords(String stream) {
        synchronized (database) {
            return JdbcClient.create(database).sql("""
                            SELECT count(*) FROM record_buffer b JOIN data_plane_stream s ON s.stream_id = b.stream_id
                            WHERE s.name = :name""")
                    .param("name", stream).query(Long.class).single();
        }
    }

    /**
     * What other callers see meanwhile: a fixed number of ListDeliveryStreams calls, one after another, and the
     * service's pool and thread figures from its actuator, with its idle-in-transaction connections, every 50 ms.
     */
    private static final class Sampler {

        private final Outcomes probes = new Outcomes();
        private final List<Long> probeMillis = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean sampling = new AtomicBoolean(true);
        private final Thread prober = new Thread(this::probe, "list-prober");
        private final Thread sampler = new Thread(this::sample, "metrics-sampler");
        private int maxConnections;
        private int threadsBefore;
        private int activeConnections;
        private int pendingConnections;
        private int idleInTransaction;
        private int liveThreads;
        private int samples;

        static Sampler start() {
            Sampler sampler = new Sampler();
            sampler.maxConnections = (int) gauge("hikaricp.connections.max");
            sampler.threadsBefore = (int) gauge("jvm.threads.live");
            sampler.sampler.start();
            sampler.prober.start();
            return sampler;
        }

        /** Waits for the probes to be done, then stops sampling. */
        Result stop() throws InterruptedException {
            prober.join();
            sampling.set(false);
            sampler.join();
            return new Result(this);
        }

        private void probe() {
            try (FirehoseClient lister = Clients.firehose(service.port())) {
                for (int i = 0; i < LIST_PROBES; i++) {
                    long at = System.nanoTime();
                    probes.call(() -> lister.listDeliveryStreams(r -> r.limit(10)));
                    probeMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - at));
                    sleep(PROBE_PAUSE);
                }
            }
        }

        private void sample() {
            while (sampling.get()) {
                int active = (int) gauge("hikaricp.connections.active");
                int pending = (int) gauge("hikaricp.connections.pending");
                int threads = (int) gauge("jvm.threads.live");
                int idle = idleInTransaction();
                synchronized (this) {
                    activeConnections = Math.max(activeConnections, active);
                    pendingConnections = Math.max(pendingConnections, pending);
                    liveThreads = Math.max(liveThreads, threads);
                    idleInTransaction = Math.max(idleInTransaction, idle);
                    samples++;
                }
                sleep(Duration.ofMillis(50));
            }
        }

        record Result(Outcomes probes, long probeMaxMillis, long probeMedianMillis, int maxConnections, int activeConnections,
                      int pendingConnections, int idleInTransaction, int threadsBefore, int liveThreads, int samples) {

            Result(Sampler s) {
                this(s.probes, Collections.max(s.probeMillis), median(s.probeMillis), s.maxConnections, s.activeConnections,
                        s.pendingConnections, s.idleInTransaction, s.threadsBefore, s.liveThreads, s.samples);
            }

            void assertResponsive() {
                assertThat(probes.counts()).as("ListDeliveryStreams meanwhile").containsOnlyKeys(Outcomes.OK);
                assertThat(probeMaxMillis).as("slowest ListDeliveryStreams meanwhile, ms").isLessThan(FAST.toMillis());
                assertThat(pendingConnections).as("requests waiting for a pooled connection").isZero();
                assertThat(activeConnections).as("pooled connections in use").isLessThan(maxConnections);
            }

            @Override
            public String toString() {
                return LIST_PROBES + " ListDeliveryStreams " + probes + " in max " + probeMaxMillis + " ms (median "
                        + probeMedianMillis + "); pool of " + maxConnections + ": at most " + activeConnections + " in use, "
                        + pendingConnections + " waiting, " + idleInTransaction + " idle in transaction; live threads "
                        + threadsBefore + " before, at most " + liveThreads + " (" + samples + " samples)";
            }
        }
    }

    private static double gauge(String name) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + service.port()
                + "/actuator/metrics/" + name)).timeout(Waits.BACKGROUND).build();
        try {
            JsonNode body = JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
            return body.path("measurements").path(0).path("value").asDouble(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Connections of the service that hold a transaction open while doing nothing in the database. */
    private static int idleInTransaction() {
        synchronized (database) {
            return JdbcClient.create(database).sql("SELECT count(*) FROM pg_stat_activity"
                            + " WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()")
                    .query(Integer.class).single();
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }


    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
