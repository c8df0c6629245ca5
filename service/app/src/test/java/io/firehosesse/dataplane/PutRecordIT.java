package io.firehosesse.dataplane;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.EncryptionFixtures.startWithCustomerKey;
import static io.firehosesse.support.Streams.awaitStatus;
import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.describe;
import static io.firehosesse.support.Streams.s3;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.Waits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionConfiguration;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamFailureType;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.InvalidKmsResourceException;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordResponse;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** PutRecord and PutRecordBatch through the wire: Encrypted tells the truth about the stored bytes. */
class PutRecordIT extends AwsClientsIT {

    @Autowired
    JdbcClient jdbc;

    record Stored(boolean encrypted, String keyArn, byte[] wrappedDataKey, byte[] iv, byte[] data, int size) {
    }

    Stored stored(String recordId) {
        return jdbc.sql("SELECT * FROM record_buffer WHERE record_id = :id").param("id", recordId)
                .query((rs, row) -> new Stored(rs.getBoolean("encrypted"), rs.getString("key_arn"), rs.getBytes("wrapped_data_key"),
                        rs.getBytes("iv"), rs.getBytes("data"), rs.getInt("size_bytes")))
                .single();
    }

    /** Opens a stored record the way a reader holding KMS Decrypt rights would. */
    byte[] open(String streamArn, String recordId, Stored stored) throws Exception {
        byte[] dataKey = kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(stored.wrappedDataKey()))
                .encryptionContext(Map.of("aws:firehose:arn", streamArn))).plaintext().asByteArray();
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, stored.iv()));
        cipher.updateAAD((streamArn + "|" + recordId).getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(stored.data());
    }

    JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }

    PutRecordResponse put(String name, String data) {
        return firehose.putRecord(r -> r.deliveryStreamName(name).record(x -> x.data(SdkBytes.fromUtf8String(data))));
    }

    @Test
    void encryptedIsFalseBeforeTrueWhileEnabledAndFalseAfterStop() throws Exception {
        String name = uniqueName("put");
        String arn = createActive(firehose, name);

        PutRecordResponse plain = put(name, "before");
        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        PutRecordResponse sealed = put(name, "while enabled");
        firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.DISABLED);
        PutRecordResponse after = put(name, "after");

        assertThat(plain.encrypted()).isFalse();
        assertThat(new String(stored(plain.recordId()).data(), StandardCharsets.UTF_8)).isEqualTo("before");
        assertThat(sealed.encrypted()).isTrue();
        Stored ciphertext = stored(sealed.recordId());
        assertThat(ciphertext.encrypted()).isTrue();
        assertThat(new String(ciphertext.data(), StandardCharsets.ISO_8859_1)).doesNotContain("while enabled");
        assertThat(new String(open(arn, sealed.recordId(), ciphertext), StandardCharsets.UTF_8)).isEqualTo("while enabled");
        assertThat(after.encrypted()).isFalse();
    }

    @Test
    void aCustomerKeyWrapsTheDataKeyOfEveryRecordInABatch() throws Exception {
        String name = uniqueName("batch");
        String arn = createActive(firehose, name);
        KeyMetadata key = newKey("records");
        startWithCustomerKey(firehose, name, key.arn());
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);

        PutRecordBatchResponse batch = firehose.putRecordBatch(r -> r.deliveryStreamName(name).records(
                record("one"), record("two"), record("three")));

        assertThat(batch.failedPutCount()).isZero();
        assertThat(batch.encrypted()).isTrue();
        assertThat(batch.requestResponses()).hasSize(3).allSatisfy(entry -> assertThat(entry.recordId()).isNotBlank());
        List<String> opened = new ArrayList<>();
        for (var entry : batch.requestResponses()) {
            Stored stored = stored(entry.recordId());
            assertThat(stored.keyArn()).isEqualTo(key.arn());
            opened.add(new String(open(arn, entry.recordId(), stored), StandardCharsets.UTF_8));
        }
        assertThat(opened).containsExactly("one", "two", "three");
    }

    @Test
    void aKeyDisabledAfterEnablingRefusesRecordsInsteadOfStoringThemInPlain() {
        String name = uniqueName("refused");
        KeyMetadata key = activeStreamEncryptedWithNewKey(name, "soon disabled");
        kms.disableKey(r -> r.keyId(key.keyId()));

        assertThatThrownBy(() -> put(name, "secret"))
                .isInstanceOfSatisfying(InvalidKmsResourceException.class, e -> {
                    assertThat(e.code()).isEqualTo("DisabledException");
                    assertThat(e.getMessage()).contains("The grant for the CMK to this delivery stream might have been revoked");
                });
        assertThat(jdbc.sql("SELECT count(*) FROM record_buffer b JOIN data_plane_stream s ON s.stream_id = b.stream_id"
                + " WHERE s.name = :name").param("name", name).query(Long.class).single()).isZero();
    }

    @Test
    void aKeyDisabledWhileRecordsFlowShowsOnTheStreamAndClearsWhenItWorksAgain() {
        String name = uniqueName("faulted");
        KeyMetadata key = activeStreamEncryptedWithNewKey(name, "disabled while in use");
        assertThat(put(name, "cached data key").encrypted()).isTrue();

        kms.disableKey(r -> r.keyId(key.keyId()));
        // The data key cached by the first put must not outlive the key: KMS's refusal applies at once.
        assertThatThrownBy(() -> put(name, "refused")).isInstanceOf(InvalidKmsResourceException.class);
        DeliveryStreamEncryptionConfiguration faulted = Waits.background().until(
                () -> describe(firehose, name).deliveryStreamEncryptionConfiguration(), shown -> shown.failureDescription() != null);
        assertThat(faulted.status()).isEqualTo(DeliveryStreamEncryptionStatus.ENABLED);
        assertThat(faulted.keyARN()).isEqualTo(key.arn());
        assertThat(faulted.failureDescription().type()).isEqualTo(DeliveryStreamFailureType.DISABLED_KMS_KEY);
        assertThat(faulted.failureDescription().details()).contains("DisabledException");

        kms.enableKey(r -> r.keyId(key.keyId()));
        assertThat(put(name, "accepted again").encrypted()).isTrue();
        Waits.background().until(
                () -> describe(firehose, name).deliveryStreamEncryptionConfiguration().failureDescription() == null);
    }

    @Test
    void bufferedRecordsAreListedWithoutTheirContents() throws Exception {
        String name = uniqueName("listed");
        createActive(firehose, name);
        PutRecordResponse first = put(name, "first");
        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        PutRecordResponse second = put(name, "second");

        JsonNode page = getJson("/api/delivery-streams/" + name + "/records?limit=1");
        JsonNode rest = getJson("/api/delivery-streams/" + name + "/records?cursor=" + page.path("nextCursor").asLong());

        assertThat(page.path("records").get(0).path("recordId").asText()).isEqualTo(first.recordId());
        assertThat(page.path("records").get(0).path("encrypted").asBoolean()).isFalse();
        assertThat(page.path("records").get(0).path("sizeBytes").asInt()).isEqualTo(5);
        assertThat(page.path("records").get(0).has("data")).isFalse();
        assertThat(rest.path("records").get(0).path("recordId").asText()).isEqualTo(second.recordId());
        assertThat(rest.path("records").get(0).path("encrypted").asBoolean()).isTrue();
        assertThat(rest.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void limitsAndStreamChecksAreAnsweredAsAwsDoes() {
        String name = uniqueName("limits");
        createActive(firehose, name);
        String kinesis = uniqueName("kinesis");
        firehose.createDeliveryStream(r -> r.deliveryStreamName(kinesis).deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN("arn:aws:kinesis:us-east-1:123456789012:stream/s")
                        .roleARN("arn:aws:iam::123456789012:role/r"))
                .extendedS3DestinationConfiguration(s3("b")));
        awaitStatus(firehose, kinesis, DeliveryStreamStatus.ACTIVE);
        byte[] big = new byte[1_000 * 1024];
        List<Record> fiveHundredAndOne = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            fiveHundredAndOne.add(record("r"));
        }
        List<Record> fiveMegabytes = List.of(bytes(big), bytes(big), bytes(big), bytes(big), bytes(big));

        assertThat(firehose.putRecord(r -> r.deliveryStreamName(name).record(x -> x.data(SdkBytes.fromByteArray(big))))
                .recordId()).isNotBlank();
        assertThatThrownBy(() -> firehose.putRecord(r -> r.deliveryStreamName(name)
                .record(x -> x.data(SdkBytes.fromByteArray(new byte[1_000 * 1024 + 1])))))
                .isInstanceOfSatisfying(FirehoseException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> firehose.putRecordBatch(r -> r.deliveryStreamName(name).records(fiveHundredAndOne)))
                .isInstanceOfSatisfying(FirehoseException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> firehose.putRecordBatch(r -> r.deliveryStreamName(name).records(fiveMegabytes)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("4 MiB");
        assertThatThrownBy(() -> put(kinesis, "x"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("This operation is not permitted on KinesisStreamAsSource delivery stream type.");
        assertThatThrownBy(() -> put("no-such-" + name, "x")).isInstanceOf(ResourceNotFoundException.class);
    }

    private static Record record(String data) {
        return Record.builder().data(SdkBytes.fromUtf8String(data)).build();
    }

    private static Record bytes(byte[] data) {
        return Record.builder().data(SdkBytes.fromByteArray(data)).build();
    }
}
