package io.firehosesse.system;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.support.Clients;
import io.firehosesse.support.Outcomes;
import io.firehosesse.support.ServiceProcess;
import io.firehosesse.support.Streams;
import io.firehosesse.support.TestDatabase;
import io.firehosesse.support.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.InvalidKmsResourceException;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.firehose.model.PutRecordResponse;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Several service JVMs on one PostgreSQL, as a load balancer would spread calls over them: each instance
 * answers any call, a Describe on one reflects a call acknowledged by another, the per-stream and per-key
 * limits stay exact when the calls racing for them arrive at different instances, a key disabled through one
 * instance stops the other's data path within the 5-second bound, and when the instance that runs the event
 * processors is killed its claims move to a survivor, which finishes the work it left. The instances share
 * what docs/scale-out.md says they must: one database, one master key file (created by whichever starts first; they
 * start at the same time here) and one delivery directory.
 */
@ExtendWith(TestDatabase.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleOutIT {

    static final int MAX_STREAMS_PER_KEY = 20;
    /**
     * How long the test waits for the claims to move, not a measure of failover: on an idle machine they move after
     * the claim timeout (10 s) and at most a token claim interval (1 s) more, which the test prints; on two busy cores
     * the survivor's processor threads may take far longer to get there, so the bound only catches claims that never move.
     */
    static final Duration FAILOVER_BOUND = Duration.ofSeconds(120);
    /** AWS's own bound for a key change to reach the data path, which the data-key cache is sized to keep. */
    static final Duration DATA_PLANE_BOUND = Duration.ofSeconds(5);
    /** For a batch of calls (each with waits of its own) to be done: it only turns a hang into a failure. */
    static final Duration CALLS_DONE = Duration.ofSeconds(300);
    static final Set<DeliveryStreamEncryptionStatus> UNSETTLED = EnumSet.of(DeliveryStreamEncryptionStatus.ENABLING,
            DeliveryStreamEncryptionStatus.DISABLING);

    private String databaseUrl;
    private Path shared;
    private JdbcClient db;
    private final List<ServiceProcess> instances = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger started = new AtomicInteger();

    @BeforeAll
    void startTwoInstancesAtOnce() throws Exception {
        databaseUrl = TestDatabase.freshDatabaseUrl();
        shared = Files.createTempDirectory(Path.of("target").toAbsolutePath().normalize(), "scale-out-");
        // Both at once: the database, its migrations and the master key file are all created by whichever gets there first.
        CompletableFuture<ServiceProcess> first = CompletableFuture.supplyAsync(this::startInstance);
        CompletableFuture<ServiceProcess> second = CompletableFuture.supplyAsync(this::startInstance);
        // ServiceProcess fails a start that takes longer than its own timeout, with the log; this only backs it up.
        long startBound = ServiceProcess.START_TIMEOUT.plusSeconds(30).toSeconds();
        instances.add(first.get(startBound, TimeUnit.SECONDS));
        instances.add(second.get(startBound, TimeUnit.SECONDS));
        db = JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), databaseUrl, TestDatabase.username(),
                TestDatabase.password()));
        System.out.printf("ScaleOutIT: %s and %s started together (%d ms, %d ms)%n", instances.get(0).name(), instances.get(1).name(),
                instances.get(0).startUp().toMillis(), instances.get(1).startUp().toMillis());
    }

    @AfterAll
    void stopInstances() {
        instances.forEach(ServiceProcess::close);
    }

    private ServiceProcess startInstance() {
        return ServiceProcess.on(databaseUrl).named("scale-out-" + (char) ('a' + started.getAndIncrement()))
                .property("firehose.kms.master-key", "")
                .property("firehose.kms.master-key-file", shared.resolve("kms-master.key").toString())
                .property("firehose.delivery.directory", shared.resolve("delivered").toString())
                .property("firehose.lifecycle.creation-delay", "0ms")
                .property("firehose.lifecycle.deletion-delay", "0ms")
                .property("firehose.encryption.max-streams-per-key", Integer.toString(MAX_STREAMS_PER_KEY))
                .start();
    }

    private ServiceProcess instance(int n) {
        synchronized (instances) {
            return instances.get(Math.floorMod(n, instances.size()));
        }
    }

    @Test
    void aDescribeOnOneInstanceReflectsEveryCallAcknowledgedByTheOther() throws Exception {
        int streams = 8;
        int rounds = 3;
        String run = uniqueName("ryw");
        String keyArn;
        try (KmsClient kms = Clients.kms(instance(0).port())) {
            keyArn = kms.createKey(r -> r.description("read your writes")).keyMetadata().arn();
        }
        Map<String, Integer> checked = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            int stream = s;
            work.add(pool.submit(() -> {
                String name = run + "-" + stream;
                try (FirehoseClient one = Clients.firehose(instance(stream).port());
                     FirehoseClient other = Clients.firehose(instance(stream + 1).port())) {
                    FirehoseClient[] pair = {one, other};
                    Streams.createDirectPut(pair[0], name);
                    DeliveryStreamDescription created = Streams.describe(pair[1], name);
                    record(checked, wrong, "Create", created.deliveryStreamStatus() == DeliveryStreamStatus.CREATING
                            || created.deliveryStreamStatus() == DeliveryStreamStatus.ACTIVE, name, created.toString());
                    Streams.awaitStatus(pair[1], name, DeliveryStreamStatus.ACTIVE);
                    for (int round = 0; round < rounds; round++) {
                        // The writer alternates, so each instance in turn acts on a stream the other changed last.
                        FirehoseClient writer = pair[round % 2];
                        FirehoseClient reader = pair[(round + 1) % 2];
                        boolean customer = (stream + round) % 2 == 0;
                        writer.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name)
                                .deliveryStreamEncryptionConfigurationInput(customer
                                        ? e -> e.keyType(KeyType.CUSTOMER_MANAGED_CMK).keyARN(keyArn)
                                        : e -> e.keyType(KeyType.AWS_OWNED_CMK)));
                        var afterStart = Streams.describe(reader, name).deliveryStreamEncryptionConfiguration();
                        record(checked, wrong, "Start", (afterStart.status() == DeliveryStreamEncryptionStatus.ENABLING
                                || afterStart.status() == DeliveryStreamEncryptionStatus.ENABLED)
                                && afterStart.keyType() == (customer ? KeyType.CUSTOMER_MANAGED_CMK : KeyType.AWS_OWNED_CMK),
                                name, afterStart.toString());
                        awaitEncryption(writer, name, DeliveryStreamEncryptionStatus.ENABLED);
                        reader.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
                        var afterStop = Streams.describe(writer, name).deliveryStreamEncryptionConfiguration();
                        record(checked, wrong, "Stop", afterStop.status() == DeliveryStreamEncryptionStatus.DISABLING
                                || afterStop.status() == DeliveryStreamEncryptionStatus.DISABLED, name, afterStop.toString());
                        awaitEncryption(reader, name, DeliveryStreamEncryptionStatus.DISABLED);
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> future : work) {
                future.get(CALLS_DONE.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("ScaleOutIT: read-your-writes across instances: %s checks, %d saw an older state%n",
                new TreeMap<>(checked), wrong.size());
        assertThat(wrong).as("Describe on one instance right after a call acknowledged by the other").isEmpty();
        assertThat(checked.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(streams * (1 + 2 * rounds));
        assertThat(gapsOrForks()).as("streams whose event sequence has a gap").isEmpty();
    }

    private static void record(Map<String, Integer> checked, ConcurrentLinkedQueue<String> wrong, String after, boolean ok,
                               String stream, String seen) {
        checked.merge(after, 1, Integer::sum);
        if (!ok) {
            wrong.add(after + " on " + stream + ": the other instance showed " + seen);
        }
    }

    @Test
    void theTwentyFiveCallsADayLimitIsExactWhenTheCallsArriveAtDifferentInstances() throws Exception {
        String name = uniqueName("limit25");
        try (FirehoseClient firehose = Clients.firehose(instance(0).port())) {
            Streams.createActive(firehose, name);
        }
        Outcomes outcomes = new Outcomes();
        // Stop on a stream whose encryption is off is accepted and counts: 40 of them race for the 25 slots.
        across(40, 20, (firehose, n) -> outcomes.call(() -> firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(name))));
        long stored = db.sql("""
                        SELECT count(*) FROM domain_event_entry e JOIN delivery_stream_name n ON n.stream_id = e.aggregate_identifier
                         WHERE n.name = :name AND e.payload_type LIKE '%.EncryptionAlreadyDisabled'
                        """).param("name", name).query(Long.class).single();
        System.out.printf("ScaleOutIT: 40 concurrent Stops on one stream over 2 instances: %s; %d stored%n", outcomes, stored);
        assertThat(outcomes.counts()).containsOnlyKeys(Outcomes.OK, "LimitExceededException/400");
        assertThat(outcomes.count(Outcomes.OK)).isEqualTo(25);
        assertThat(stored).isEqualTo(25);
        assertThat(gapsOrForks()).isEmpty();
    }

    @Test
    void theStreamsPerKeyLimitIsExactWhenTheStartsArriveAtDifferentInstances() throws Exception {
        int streams = MAX_STREAMS_PER_KEY + 6;
        String run = uniqueName("perkey");
        String keyArn;
        try (KmsClient kms = Clients.kms(instance(1).port())) {
            keyArn = kms.createKey(r -> r.description("per-key limit")).keyMetadata().arn();
        }
        List<String> names = createActive(run, streams);
        Outcomes outcomes = new Outcomes();
        across(streams, streams, (firehose, n) -> outcomes.call(() -> firehose.startDeliveryStreamEncryption(r -> r
                .deliveryStreamName(names.get(n))
                .deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.CUSTOMER_MANAGED_CMK).keyARN(keyArn)))));
        long claims = db.sql("SELECT count(*) FROM customer_key_usage WHERE key_arn = :key").param("key", keyArn)
                .query(Long.class).single();
        System.out.printf("ScaleOutIT: %d concurrent Starts on one key (limit %d) over 2 instances: %s; %d slots held%n",
                streams, MAX_STREAMS_PER_KEY, outcomes, claims);
        assertThat(outcomes.counts()).containsOnlyKeys(Outcomes.OK, "LimitExceededException/400");
        assertThat(outcomes.count(Outcomes.OK)).isEqualTo(MAX_STREAMS_PER_KEY);
        assertThat(claims).isEqualTo(MAX_STREAMS_PER_KEY);
    }

    @Test
    void aKeyDisabledThroughOneInstanceIsRefusedByTheOthersDataPathWithinFiveSeconds() throws Exception {
        refusedByTheOthersDataPathWithinTheBound("key disabled", (kms, keyArn) -> kms.disableKey(r -> r.keyId(keyArn)));
    }

    /** Firehose seals through its grant, so a grant the key owner revokes through one instance stops the other's puts. */
    @Test
    void aGrantRevokedThroughOneInstanceIsRefusedByTheOthersDataPathWithinFiveSeconds() throws Exception {
        refusedByTheOthersDataPathWithinTheBound("grant revoked", (kms, keyArn) -> kms.revokeGrant(r -> r.keyId(keyArn)
                .grantId(kms.listGrants(g -> g.keyId(keyArn)).grants().get(0).grantId())));
    }

    /**
     * A stream encrypted under a new key through A, a data key cached on B, then {@code change} made to the key through A:
     * B must refuse puts sent {@link #DATA_PLANE_BOUND} or more after it, and A at once.
     */
    private void refusedByTheOthersDataPathWithinTheBound(String what, BiConsumer<KmsClient, String> change) throws Exception {
        String name = uniqueName("datakey");
        ServiceProcess a = instance(0);
        ServiceProcess b = instance(1);
        try (KmsClient kmsOnA = Clients.kms(a.port());
             FirehoseClient firehoseOnA = Clients.firehose(a.port());
             FirehoseClient firehoseOnB = Clients.firehose(b.port())) {
            String keyArn = kmsOnA.createKey(r -> r.description("disabled elsewhere")).keyMetadata().arn();
            Streams.createActive(firehoseOnA, name);
            firehoseOnA.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name)
                    .deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.CUSTOMER_MANAGED_CMK).keyARN(keyArn)));
            awaitEncryption(firehoseOnB, name, DeliveryStreamEncryptionStatus.ENABLED);
            // B now holds a data key under the key in its cache: the thing that must not outlive the bound.
            assertThat(put(firehoseOnB, name, "before").encrypted()).isTrue();

            change.accept(kmsOnA, keyArn);
            long disabledAt = System.nanoTime();
            // Each put is placed in time by when it was sent, not when its answer came: B decides after the put was
            // sent, so a put sent past the bound is decided past it, however slowly the machine answers. Puts go on
            // until one sent a second past the bound has been answered.
            Duration refusedAfter = null;
            int acceptedAfterDisable = 0;
            List<Duration> acceptedPastTheBound = new ArrayList<>();
            Duration sentAt;
            do {
                sentAt = Duration.ofNanos(System.nanoTime() - disabledAt);
                try {
                    put(firehoseOnB, name, "after");
                    assertThat(refusedAfter).as("a put accepted on B after one was refused").isNull();
                    acceptedAfterDisable++;
                    if (sentAt.compareTo(DATA_PLANE_BOUND) >= 0) {
                        acceptedPastTheBound.add(sentAt);
                    }
                } catch (InvalidKmsResourceException refused) {
                    if (refusedAfter == null) {
                        refusedAfter = sentAt;
                    }
                }
                Thread.sleep(50);
            } while (sentAt.compareTo(DATA_PLANE_BOUND.plusSeconds(1)) < 0);
            System.out.printf("ScaleOutIT: %s through A; the first put on B refused was sent %d ms later"
                    + " (%d accepted before it)%n", what, refusedAfter == null ? -1 : refusedAfter.toMillis(), acceptedAfterDisable);
            assertThat(refusedAfter).as("puts on B refused after the %s through A", what).isNotNull();
            assertThat(acceptedPastTheBound).as("puts on B sent %s or more after the %s, and accepted", DATA_PLANE_BOUND, what)
                    .isEmpty();
            assertThat(catchRefusal(() -> put(firehoseOnA, name, "on A"))).as("a put on A after the %s", what).isTrue();
        }
    }

    @Test
    void killingTheInstanceThatRunsTheProcessorsMovesItsClaimsAndItsWorkIsFinishedOnceBySurvivors() throws Exception {
        int streams = 24;
        int threads = 8;
        int callsBeforeKill = 240;
        int calls = 480;
        String run = uniqueName("kill");
        List<String> keys = new ArrayList<>();
        try (KmsClient kms = Clients.kms(instance(0).port())) {
            for (int k = 0; k < 3; k++) {
                keys.add(kms.createKey(r -> r.description("scale-out load")).keyMetadata().arn());
            }
        }
        List<String> names = createActive(run, streams);
        ServiceProcess victim = claimHolder();
        String victimOwner = ownerOf(victim);
        List<ServiceProcess> targets = List.copyOf(instances);

        Map<String, Outcomes> byInstance = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> records = new ConcurrentLinkedQueue<>();
        AtomicInteger issued = new AtomicInteger();
        CountDownLatch killPoint = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            clients.add(pool.submit(() -> {
                Map<ServiceProcess, FirehoseClient> mine = new ConcurrentHashMap<>();
                try {
                    for (int n = issued.getAndIncrement(); n < calls; n = issued.getAndIncrement()) {
                        if (n == callsBeforeKill) {
                            killPoint.countDown();
                        }
                        ServiceProcess target = targets.get(ThreadLocalRandom.current().nextInt(targets.size()));
                        FirehoseClient firehose = mine.computeIfAbsent(target, p -> Clients.firehose(p.port()));
                        Outcomes outcomes = byInstance.computeIfAbsent(target.name(), k -> new Outcomes());
                        String stream = names.get(ThreadLocalRandom.current().nextInt(streams));
                        int kind = n % 6;
                        String operation = switch (kind) {
                            case 0 -> "Create";
                            case 1, 2 -> "Start";
                            case 3 -> "Stop";
                            case 4 -> "Describe";
                            default -> "PutRecord";
                        };
                        int call = n;
                        String created = run + "-new-" + thread + "-" + n;
                        Supplier<AwsResponse> request = switch (kind) {
                            case 0 -> () -> firehose.createDeliveryStream(r -> r.deliveryStreamName(created)
                                    .extendedS3DestinationConfiguration(Streams.s3("scale-out")));
                            case 1 -> () -> firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(stream)
                                    .deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.AWS_OWNED_CMK)));
                            case 2 -> () -> firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(stream)
                                    .deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.CUSTOMER_MANAGED_CMK)
                                            .keyARN(keys.get(names.indexOf(stream) % keys.size()))));
                            case 3 -> () -> firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(stream));
                            case 4 -> () -> firehose.describeDeliveryStream(r -> r.deliveryStreamName(stream));
                            default -> () -> put(firehose, stream, "load " + call);
                        };
                        outcomes.call(request).ifPresent(response -> {
                            if (response instanceof PutRecordResponse put) {
                                records.add(put.recordId());
                            } else if (kind <= 3) {
                                acknowledged.add(new Acknowledged(operation, kind == 0 ? created : stream,
                                        response.responseMetadata().requestId()));
                            }
                        });
                    }
                } finally {
                    mine.values().forEach(FirehoseClient::close);
                }
                return null;
            }));
        }
        killPoint.await(60, TimeUnit.SECONDS);
        victim.kill();
        long killedAt = System.nanoTime();
        instances.remove(victim);
        try {
            for (Future<?> client : clients) {
                client.get(CALLS_DONE.toSeconds(), TimeUnit.SECONDS);
            }
            pool.shutdown();

            Duration failover = awaitClaimsMovedFrom(victimOwner, killedAt);
            Duration settled = awaitSettled(run, killedAt);
            Map<String, Set<String>> requestIds = requestIdsInTheEventStore();
            List<Acknowledged> lost = acknowledged.stream()
                    .filter(call -> !requestIds.getOrDefault(call.requestId(), Set.of()).contains(call.operation())).toList();
            // A Stop flushes the stream's buffer before its grant goes, so some records have been delivered meanwhile.
            Set<String> kept = Set.copyOf(db.sql("SELECT record_id FROM record_buffer UNION ALL SELECT record_id FROM delivered_record")
                    .query(String.class).list());
            List<String> recordsLost = records.stream().filter(id -> !kept.contains(id)).toList();
            Map<String, Long> fiveHundreds = new TreeMap<>();
            Map<String, Long> unanswered = new TreeMap<>();
            byInstance.forEach((instance, outcomes) -> outcomes.counts().forEach((outcome, count) -> {
                if (Outcomes.status(outcome) >= 500) {
                    fiveHundreds.merge(instance + " " + outcome, count, Long::sum);
                } else if (Outcomes.status(outcome) == 0) {
                    unanswered.merge(instance + " " + outcome, count, Long::sum);
                }
            }));
            System.out.printf("ScaleOutIT: %d calls over %d instances, %s killed after %d; outcomes by instance: %s%n",
                    calls, targets.size(), victim.name(), callsBeforeKill, new TreeMap<>(byInstance));
            System.out.printf("ScaleOutIT: %d Create/Start/Stop acknowledged, %d of them with their events; %d records"
                            + " acknowledged, %d of them buffered or delivered; 5xx: %s; unanswered: %s%n", acknowledged.size(),
                    acknowledged.size() - lost.size(), records.size(), records.size() - recordsLost.size(), fiveHundreds,
                    unanswered);
            System.out.printf("ScaleOutIT: processor claims moved off the killed instance %d ms after the kill;"
                    + " every stream settled %d ms after it%n", failover.toMillis(), settled.toMillis());

            assertThat(acknowledged).isNotEmpty();
            assertThat(lost).as("calls acknowledged whose events are not in the store").isEmpty();
            assertThat(recordsLost).as("records acknowledged that are neither buffered nor delivered").isEmpty();
            assertThat(fiveHundreds).as("answers with a 5xx status").isEmpty();
            assertThat(unanswered.keySet()).as("calls nobody answered came only from the killed instance")
                    .allMatch(key -> key.startsWith(victim.name() + " "));
            assertThat(gapsOrForks()).as("streams whose event sequence has a gap").isEmpty();
            assertThat(ControlPlaneCrashIT.grantsCreatedTwice(databaseUrl)).as("attempts granted twice").isEmpty();
            assertThat(attemptsNotFinishedOnce()).as("encryption attempts not ended exactly once").isEmpty();
        } finally {
            pool.shutdownNow();
            // The others in this class may run after this one: they get their second instance back.
            instances.add(startInstance());
        }
    }

    @Test
    void throughputWithOneAndWithTwoInstances() throws Exception {
        int streams = 16;
        int threads = 8;
        int calls = 400;
        List<String> names = createActive(uniqueName("tput"), streams);
        List<ServiceProcess> both = List.copyOf(instances).subList(0, 2);
        Map<Integer, String> figures = new TreeMap<>();
        // The first pass warms both JVMs up and is not counted; then 1 and 2 instances take turns, twice.
        int[] passes = {2, 1, 2, 1, 2};
        for (int pass = 0; pass < passes.length; pass++) {
            int count = passes[pass];
            List<ServiceProcess> targets = both.subList(0, count);
            Outcomes outcomes = new Outcomes();
            long began = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    List<FirehoseClient> mine = targets.stream().map(p -> Clients.firehose(p.port())).toList();
                    try {
                        for (int n = next.getAndIncrement(); n < calls; n = next.getAndIncrement()) {
                            FirehoseClient firehose = mine.get(n % mine.size());
                            String stream = names.get(ThreadLocalRandom.current().nextInt(streams));
                            int call = n;
                            Supplier<AwsResponse> request = switch (call % 5) {
                                case 0, 1 -> () -> firehose.describeDeliveryStream(r -> r.deliveryStreamName(stream));
                                case 2, 3 -> () -> put(firehose, stream, "throughput " + call);
                                default -> call % 10 == 4
                                        ? () -> firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(stream))
                                        : () -> firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(stream));
                            };
                            outcomes.call(request);
                        }
                    } finally {
                        mine.forEach(FirehoseClient::close);
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get(CALLS_DONE.toSeconds(), TimeUnit.SECONDS);
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - began) / 1e9;
            if (pass > 0) {
                figures.merge(count, String.format("%.0f", calls / seconds), (x, y) -> x + ", " + y);
            }
            assertThat(outcomes.counts().keySet()).as("outcomes with %d instances", count)
                    .allMatch(outcome -> Outcomes.status(outcome) > 0 && Outcomes.status(outcome) < 500);
        }
        System.out.printf("ScaleOutIT: throughput, %d calls by %d clients (40%% Describe, 40%% PutRecord, 20%% Start/Stop),"
                + " calls/s: 1 instance %s; 2 instances %s%n", calls, threads, figures.get(1), figures.get(2));
    }

    record Acknowledged(String operation, String stream, String requestId) {
    }

    /** Runs {@code calls} calls released at once, alternating the instance they go to. */
    private void across(int calls, int threads, BiConsumer<FirehoseClient, Integer> call) throws Exception {
        List<ServiceProcess> targets = List.copyOf(instances);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < calls; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    try (FirehoseClient firehose = Clients.firehose(targets.get(n % targets.size()).port())) {
                        go.await();
                        call.accept(firehose, n);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : futures) {
                future.get(CALLS_DONE.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private List<String> createActive(String run, int count) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(run + "-" + i);
        }
        across(count, 4, (firehose, n) -> Streams.createDirectPut(firehose, names.get(n)));
        try (FirehoseClient firehose = Clients.firehose(instance(0).port())) {
            names.forEach(name -> Streams.awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE));
        }
        return names;
    }

    private static PutRecordResponse put(FirehoseClient firehose, String stream, String data) {
        return firehose.putRecord(r -> r.deliveryStreamName(stream).record(x -> x.data(SdkBytes.fromUtf8String(data))));
    }

    /** The instance holding the most processor claims: Axon names a claim's owner pid@host. */
    private ServiceProcess claimHolder() {
        Map<String, Long> owners = db.sql("SELECT owner, count(*) FROM token_entry WHERE owner IS NOT NULL GROUP BY owner")
                .query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        String owner = owners.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        System.out.printf("ScaleOutIT: processor claims by owner before the kill: %s%n", owners);
        synchronized (instances) {
            return instances.stream().filter(p -> owner.startsWith(p.pid() + "@")).findFirst()
                    .orElseThrow(() -> new AssertionError("No instance owns the claims of " + owner));
        }
    }

    private String ownerOf(ServiceProcess process) {
        return db.sql("SELECT DISTINCT owner FROM token_entry WHERE owner LIKE :pid").param("pid", process.pid() + "@%")
                .query(String.class).single();
    }

    private Duration awaitClaimsMovedFrom(String owner, long killedAt) {
        Waits.background().atMost(FAILOVER_BOUND).pollInterval(Duration.ofMillis(100)).until(() -> db.sql("""
                        SELECT count(*) FROM token_entry WHERE owner IS NULL OR owner = :dead
                        """).param("dead", owner).query(Long.class).single() == 0);
        Duration moved = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("ScaleOutIT: claims after the failover: %s%n", db.sql(
                "SELECT processor_name || '/' || segment || '=' || owner FROM token_entry ORDER BY 1").query(String.class).list());
        return moved;
    }

    private Duration awaitSettled(String run, long killedAt) {
        try (FirehoseClient firehose = Clients.firehose(instance(0).port())) {
            List<String> all = firehose.listDeliveryStreams(r -> r.limit(10000)).deliveryStreamNames().stream()
                    .filter(name -> name.startsWith(run)).toList();
            // Every stream the load touched, on the survivor alone: long even on an idle machine.
            Waits.longWork().pollInterval(Duration.ofMillis(200)).until(() -> all.stream().allMatch(name -> {
                DeliveryStreamDescription d = Streams.describe(firehose, name);
                return d.deliveryStreamStatus() != DeliveryStreamStatus.CREATING
                        && !UNSETTLED.contains(d.deliveryStreamEncryptionConfiguration().status());
            }));
        }
        return Duration.ofNanos(System.nanoTime() - killedAt);
    }

    /** Request id → the operations whose events carry it (Create, Start, Stop), read from the store itself. */
    private Map<String, Set<String>> requestIdsInTheEventStore() {
        Map<String, Set<String>> ids = new ConcurrentHashMap<>();
        db.sql("""
                        SELECT convert_from(meta_data, 'UTF8')::jsonb ->> 'requestId', payload_type,
                               convert_from(payload, 'UTF8')::jsonb ->> 'reason'
                          FROM domain_event_entry
                        """)
                .query((rs, row) -> {
                    String type = rs.getString(2);
                    String operation = type.endsWith(".DeliveryStreamCreated") ? "Create"
                            : type.endsWith(".EncryptionRequested") ? "Start"
                            : type.endsWith(".EncryptionDisableRequested") || type.endsWith(".EncryptionAlreadyDisabled")
                            ? "Stop" : null;
                    if (operation != null && rs.getString(1) != null) {
                        ids.computeIfAbsent(rs.getString(1), k -> ConcurrentHashMap.newKeySet()).add(operation);
                    }
                    return null;
                }).list();
        return ids;
    }

    /** Aggregates whose sequence numbers are not exactly 0..n-1 (the unique index rules out duplicates). */
    private List<String> gapsOrForks() {
        return db.sql("""
                        SELECT aggregate_identifier FROM domain_event_entry GROUP BY aggregate_identifier
                        HAVING min(sequence_number) <> 0 OR max(sequence_number) <> count(*) - 1
                        """).query(String.class).list();
    }

    /** Each EncryptionRequested attempt must end in exactly one EncryptionEnabled or EncryptionFailed, or be superseded. */
    private List<String> attemptsNotFinishedOnce() {
        return db.sql("""
                        SELECT convert_from(payload, 'UTF8')::jsonb ->> 'attemptId' AS attempt, count(*)
                          FROM domain_event_entry
                         WHERE payload_type LIKE '%.EncryptionEnabled' OR payload_type LIKE '%.EncryptionFailed'
                         GROUP BY 1 HAVING count(*) > 1
                        """).query((rs, row) -> rs.getString(1) + " x" + rs.getLong(2)).list();
    }

    private static boolean catchRefusal(Runnable call) {
        try {
            call.run();
            return false;
        } catch (InvalidKmsResourceException refused) {
            return true;
        }
    }
}
