package io.firehosesse.dataplane;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.Streams.awaitStatus;
import static io.firehosesse.support.Streams.describe;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.support.Clients;
import io.firehosesse.support.ServiceProcess;
import io.firehosesse.support.TestDatabase;
import io.firehosesse.support.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.firehose.model.PutRecordResponse;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * An acknowledged record survives {@code kill -9}: the service, a child process, is killed while eight
 * clients put records into a plain and an SSE stream, and every RecordId it answered 200 for is then in
 * the buffer, byte for byte (the encrypted ones opened through KMS after a restart). Nothing is
 * delivered meanwhile, so the buffer holds everything ever accepted; a record nobody acknowledged may
 * be there only if its call was cut off unanswered.
 */
@ExtendWith(TestDatabase.class)
class CrashSafetyIT {

    private static final int THREADS = 8;
    private static final int BATCH_SIZE = 50;
    private static final int RECORD_BYTES = 200;
    private static final Duration LOAD = Duration.ofMillis(2500);

    @Test
    void everyAcknowledgedRecordIsInTheBufferAfterAKill9AndTheStreamsComeBackAsTheyWere() throws Exception {
        String databaseUrl = TestDatabase.freshDatabaseUrl();
        String plain = uniqueName("crash-plain");
        String sealed = uniqueName("crash-sse");
        PutLoad load;
        Duration firstStartUp;
        try (ServiceProcess service = ServiceProcess.on(databaseUrl).named("crash-first").start();
             FirehoseClient firehose = Clients.firehose(service.port())) {
            firstStartUp = service.startUp();
            createUndelivered(firehose, plain);
            createUndelivered(firehose, sealed);
            firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(sealed)
                    .deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.AWS_OWNED_CMK)));
            awaitEncryption(firehose, sealed, DeliveryStreamEncryptionStatus.ENABLED);

            load = PutLoad.start(service.port(), List.of(plain, sealed), THREADS, BATCH_SIZE, RECORD_BYTES);
            Thread.sleep(LOAD.toMillis());
            // On a busy machine the threads may not have had an answer yet: the kill comes once some record is acknowledged.
            Waits.background().until(() -> !load.acknowledged().isEmpty());
            // Every thread is in the middle of a call now: those calls are cut off unanswered by the kill.
            load.stopStarting();
            service.kill();
            load.awaitStopped();
        }

        Map<String, PutLoad.Sent> acknowledged = load.acknowledged();
        Map<String, BufferedRecord> buffered = BufferedRecord.readAll(databaseUrl);
        List<String> missing = acknowledged.keySet().stream().filter(id -> !buffered.containsKey(id)).toList();
        long found = acknowledged.size() - missing.size();
        System.out.printf("CrashSafetyIT: %d calls, %d failed %s; %d records acknowledged, %d of them found after kill -9,"
                        + " %d extra rows in the buffer; first start-up %d ms%n",
                load.calls(), load.failures().values().stream().mapToLong(Long::longValue).sum(), load.failures(),
                acknowledged.size(), found, buffered.size() - found, firstStartUp.toMillis());
        load.firstFailures().forEach((type, failure) -> System.out.printf("CrashSafetyIT: first %s: %s%n", type, failure));

        assertThat(acknowledged).as("records acknowledged before the kill").isNotEmpty();
        assertThat(load.duplicateIds()).as("RecordIds given to two records").isZero();
        assertThat(missing).as("acknowledged records not in record_buffer after kill -9, e.g. %s",
                missing.stream().limit(5).map(id -> id + " " + acknowledged.get(id)).toList()).isEmpty();
        acknowledged.forEach((id, sent) -> {
            BufferedRecord row = buffered.get(id);
            assertThat(row.stream()).as("stream of %s", id).isEqualTo(sent.stream());
            assertThat(row.sizeBytes()).as("size of %s", id).isEqualTo(sent.data().length);
            assertThat(row.encrypted()).as("Encrypted answered for %s", id).isEqualTo(sent.encrypted())
                    .isEqualTo(sent.stream().equals(sealed));
        });

        try (ServiceProcess restarted = ServiceProcess.on(databaseUrl).named("crash-restarted").start();
             FirehoseClient firehose = Clients.firehose(restarted.port());
             KmsClient kms = Clients.kms(restarted.port())) {
            DeliveryStreamDescription sealedAfter = describe(firehose, sealed);
            SealedRecords opener = new SealedRecords(kms, sealedAfter.deliveryStreamARN());
            Function<BufferedRecord, byte[]> content = row -> row.encrypted() ? opener.open(row) : row.data();
            acknowledged.forEach((id, sent) ->
                    assertThat(content.apply(buffered.get(id))).as("content of %s", id).isEqualTo(sent.data()));
            Map<String, Long> extra = buffered.values().stream().filter(row -> !acknowledged.containsKey(row.recordId()))
                    .collect(Collectors.groupingBy(row -> String.valueOf(load.outcomeOf(content.apply(row))), TreeMap::new,
                            Collectors.counting()));
            PutRecordResponse plainPut = put(firehose, plain, "after the restart");
            PutRecordResponse sealedPut = put(firehose, sealed, "after the restart, sealed");
            System.out.printf("CrashSafetyIT: rows nobody acknowledged, by how their call ended: %s; restart answered after"
                    + " %d ms; encrypted records opened with %d data keys%n", extra, restarted.startUp().toMillis(),
                    opener.dataKeysUsed());

            assertThat(extra.keySet()).as("a stored record nobody acknowledged must come from a call cut off unanswered")
                    .isSubsetOf(PutLoad.Unacknowledged.UNANSWERED.name());
            assertThat(describe(firehose, plain).deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.ACTIVE);
            assertThat(sealedAfter.deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.ACTIVE);
            assertThat(sealedAfter.deliveryStreamEncryptionConfiguration().status())
                    .isEqualTo(DeliveryStreamEncryptionStatus.ENABLED);
            assertThat(sealedAfter.deliveryStreamEncryptionConfiguration().keyType()).isEqualTo(KeyType.AWS_OWNED_CMK);
            assertThat(plainPut.encrypted()).isFalse();
            assertThat(sealedPut.encrypted()).isTrue();
            assertThat(BufferedRecord.readAll(databaseUrl)).containsKeys(plainPut.recordId(), sealedPut.recordId());
        }
    }

    /** A DirectPut stream whose buffering hints hold every record for the whole test. */
    private static void createUndelivered(FirehoseClient firehose, String name) {
        firehose.createDeliveryStream(r -> r.deliveryStreamName(name).extendedS3DestinationConfiguration(d -> d
                .roleARN("arn:aws:iam::123456789012:role/firehose-delivery").bucketARN("arn:aws:s3:::bucket-" + name)
                .bufferingHints(b -> b.intervalInSeconds(900).sizeInMBs(128))));
        awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);
    }

    private static PutRecordResponse put(FirehoseClient firehose, String stream, String data) {
        return firehose.putRecord(r -> r.deliveryStreamName(stream).record(x -> x.data(SdkBytes.fromUtf8String(data))));
    }
}
