package io.firehosesse.system;

import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.support.Clients;
import io.firehosesse.support.ServiceProcess;
import io.firehosesse.support.Streams;
import io.firehosesse.support.TestDatabase;
import io.firehosesse.support.Waits;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code kill -9} in the middle of Create, Start and Stop calls: every call answered 200 has its events in
 * the store after the restart, every stream left CREATING, ENABLING or DISABLING gets where it was going,
 * and no KMS grant is created twice for one attempt.
 */
@ExtendWith(TestDatabase.class)
class ControlPlaneCrashIT {

    static final int THREADS = 8;
    static final int STREAMS = 24;

    record Answered(String requestId, String operation, String stream) {
    }

    @Test
    void everyAcknowledgedCallSurvivesAKill9AndUnfinishedWorkCompletesOnceAfterTheRestart() throws Exception {
        String databaseUrl = TestDatabase.freshDatabaseUrl();
        String run = uniqueName("cp");
        Set<Answered> answered = ConcurrentHashMap.newKeySet();
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        AtomicInteger calls = new AtomicInteger();
        List<String> streams = new ArrayList<>();
        String keyArn;
        try (ServiceProcess service = ServiceProcess.on(databaseUrl).named("control-plane-first")
                .property("firehose.lifecycle.creation-delay", "200ms").property("firehose.encryption.enable-delay", "300ms")
                .property("firehose.encryption.disable-delay", "300ms").start();
             KmsClient kms = Clients.kms(service.port())) {
            keyArn = kms.createKey(r -> r.description("crash")).keyMetadata().arn();
            try (FirehoseClient firehose = Clients.firehose(service.port())) {
                for (int i = 0; i < STREAMS; i++) {
                    streams.add(run + "-" + i);
                    Streams.createActive(firehose, streams.get(i));
                }
            }
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(THREADS);
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                clients.submit(() -> {
                    try (FirehoseClient firehose = Clients.firehose(service.port())) {
                        int n = 0;
                        while (running.get()) {
                            n++;
                            String stream = streams.get(ThreadLocalRandom.current().nextInt(STREAMS));
                            String operation = switch (n % 3) {
                                case 0 -> "Create";
                                case 1 -> "Start";
                                default -> "Stop";
                            };
                            calls.incrementAndGet();
                            try {
                                String requestId = switch (operation) {
                                    case "Create" -> {
                                        String created = run + "-new-" + thread + "-" + n;
                                        String id = firehose.createDeliveryStream(r -> r.deliveryStreamName(created)
                                                .extendedS3DestinationConfiguration(Streams.s3("crash-bucket"))).responseMetadata().requestId();
                                        stream = created;
                                        yield id;
                                    }
                                    case "Start" -> firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(streams.get(
                                                    ThreadLocalRandom.current().nextInt(STREAMS)))
                                            .deliveryStreamEncryptionConfigurationInput(c -> c.keyType(KeyType.CUSTOMER_MANAGED_CMK).keyARN(keyArn)))
                                            .responseMetadata().requestId();
                                    default -> firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(streams.get(
                                            ThreadLocalRandom.current().nextInt(STREAMS)))).responseMetadata().requestId();
                                };
                                answered.add(new Answered(requestId, operation, stream));
                            } catch (software.amazon.awssdk.awscore.exception.AwsServiceException refused) {
                                failures.computeIfAbsent(refused.awsErrorDetails().errorCode(), k -> new AtomicInteger()).incrementAndGet();
                            } catch (RuntimeException cutOff) {
                                failures.computeIfAbsent(cutOff.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                            }
                        }
                    }
                });
            }
            Thread.sleep(2500);
            // On a busy machine the clients may not have had an answer yet: the kill comes once some call has one.
            Waits.background().until(() -> !answered.isEmpty());
            service.kill();
            running.set(false);
            clients.shutdown();
            clients.awaitTermination(30, TimeUnit.SECONDS);
        }

        Set<String> stored = requestIdsInTheEventStore(databaseUrl);
        List<Answered> lost = answered.stream().filter(call -> !stored.contains(call.requestId())).toList();
        System.out.printf("ControlPlaneCrashIT: %d calls, %d answered 200, %d of them with events after kill -9; refused or cut off: %s%n",
                calls.get(), answered.size(), answered.size() - lost.size(), failures);
        assertThat(answered).isNotEmpty();
        assertThat(lost).as("calls answered 200 whose events are not in the store").isEmpty();

        long restartBegan = System.nanoTime();
        try (ServiceProcess restarted = ServiceProcess.on(databaseUrl).named("control-plane-restarted").start();
             FirehoseClient firehose = Clients.firehose(restarted.port())) {
            List<String> all = firehose.listDeliveryStreams(r -> r.limit(10000)).deliveryStreamNames().stream()
                    .filter(name -> name.startsWith(run)).toList();
            // Every stream the load touched, through the restarted processors: long even on an idle machine.
            Waits.longWork().pollInterval(Duration.ofMillis(250)).until(() -> all.stream().allMatch(name -> {
                var description = Streams.describe(firehose, name);
                DeliveryStreamEncryptionStatus encryption = description.deliveryStreamEncryptionConfiguration().status();
                return description.deliveryStreamStatus() != DeliveryStreamStatus.CREATING
                        && encryption != DeliveryStreamEncryptionStatus.ENABLING && encryption != DeliveryStreamEncryptionStatus.DISABLING;
            }));
            System.out.printf("ControlPlaneCrashIT: %d streams settled %d ms after the restart began%n", all.size(),
                    (System.nanoTime() - restartBegan) / 1_000_000);
        }
        assertThat(grantsCreatedTwice(databaseUrl)).as("attempts with more than one KMS grant").isEmpty();
    }

    static Set<String> requestIdsInTheEventStore(String databaseUrl) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(databaseUrl, TestDatabase.username(), TestDatabase.password());
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT convert_from(meta_data, 'UTF8')::jsonb ->> 'requestId' FROM domain_event_entry")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    /** Grant names are derived from the attempt: two grants under one name are one attempt granted twice. */
    static List<String> grantsCreatedTwice(String databaseUrl) throws Exception {
        List<String> twice = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(databaseUrl, TestDatabase.username(), TestDatabase.password());
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT 'kms_grant ' || name, count(*) FROM kms_grant GROUP BY name HAVING count(*) > 1"
                             + " UNION ALL SELECT 'GrantCreated ' || (convert_from(payload, 'UTF8')::jsonb ->> 'attemptId'), count(*)"
                             + " FROM domain_event_entry WHERE payload_type LIKE '%.GrantCreated'"
                             + " GROUP BY 1 HAVING count(*) > 1")) {
            while (rows.next()) {
                twice.add(rows.getString(1) + " x" + rows.getLong(2));
            }
        }
        return twice;
    }
}
