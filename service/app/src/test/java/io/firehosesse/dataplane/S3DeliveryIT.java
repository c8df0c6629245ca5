package io.firehosesse.dataplane;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.Streams.awaitStatus;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.S3Stub;
import io.firehosesse.support.Waits;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import io.firehosesse.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.Record;

/** With an S3-compatible endpoint configured, objects go there through the SDK's S3 client, signed. */
@TestPropertySource(properties = TestDatabase.OWN_DATABASE + "=true")
class S3DeliveryIT extends AwsClientsIT {

    static final S3Stub S3 = new S3Stub();

    @Autowired
    RecordDelivery delivery;

    @DynamicPropertySource
    static void deliverToTheStub(DynamicPropertyRegistry registry) {
        registry.add("firehose.delivery.s3.endpoint", () -> S3.endpoint().toString());
        registry.add("firehose.delivery.s3.access-key-id", () -> "AKIDS3STUB");
        registry.add("firehose.delivery.s3.secret-access-key", () -> "stub-secret");
        registry.add("firehose.delivery.max-backoff", () -> "1s");
    }

    @AfterAll
    static void stopStub() {
        S3.close();
    }

    void create(String name, String bucket) {
        firehose.createDeliveryStream(r -> r.deliveryStreamName(name).extendedS3DestinationConfiguration(d -> d
                .roleARN("arn:aws:iam::123456789012:role/firehose").bucketARN("arn:aws:s3:::" + bucket).prefix("s3/")
                .bufferingHints(b -> b.intervalInSeconds(0).sizeInMBs(1))));
        awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);
    }

    void putAll(String name, String... records) {
        firehose.putRecordBatch(r -> r.deliveryStreamName(name).records(Stream.of(records)
                .map(data -> Record.builder().data(SdkBytes.fromUtf8String(data)).build()).toList()));
    }

    /**
     * The bucket's first object, running the delivery sweep (what the scheduler runs every poll interval) before each
     * look rather than waiting for the timer. A failed destination is still only tried again once its backoff (at
     * most a second here) has passed.
     */
    Map.Entry<String, S3Stub.StoredObject> objectIn(String bucket) {
        return Waits.background().until(() -> {
            delivery.deliverDue();
            return S3.objects().entrySet().stream().filter(e -> e.getKey().startsWith(bucket + "/")).findFirst().orElse(null);
        }, found -> found != null);
    }

    @Test
    void encryptedRecordsArriveDecryptedAsOneSignedPlainPutObject() throws Exception {
        String name = uniqueName("s3");
        String bucket = "bucket-" + name;
        create(name, bucket);
        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);

        putAll(name, "one;", "two;", "three");
        Map.Entry<String, S3Stub.StoredObject> object = objectIn(bucket);

        assertThat(object.getKey()).matches(bucket + "/s3/\\d{4}/\\d{2}/\\d{2}/\\d{2}/" + name
                + "-1-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-9a-f-]{36}");
        assertThat(object.getValue().text()).isEqualTo("one;two;three");
        assertThat(object.getValue().contentEncoding()).isNull();
        assertThat(object.getValue().payloadHash()).isEqualTo(sha256Hex(object.getValue().content()));
        assertThat(object.getValue().authorization()).contains("Credential=AKIDS3STUB/").contains("/us-east-1/s3/aws4_request");
    }

    @Test
    void anUnreachableDestinationIsTriedAgainUntilItTakesTheRecords() {
        String name = uniqueName("s3-retry");
        String bucket = "bucket-" + name;
        create(name, bucket);
        // More failures than the SDK's own retries of one put: the delivery itself must try again later.
        S3.failNext(5);

        putAll(name, "late ", "but ", "whole");
        Map.Entry<String, S3Stub.StoredObject> object = objectIn(bucket);

        assertThat(S3.failuresServed()).isGreaterThanOrEqualTo(5);
        assertThat(object.getValue().text()).isEqualTo("late but whole");
    }

    static String sha256Hex(byte[] content) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    }
}
