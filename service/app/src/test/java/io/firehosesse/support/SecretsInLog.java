package io.firehosesse.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Calls that handle record data, key material and secrets, and the check that none of it reached the log: used on the
 * plain text log ({@code HostileInputIT}) and on the structured JSON one ({@code CallLogIT}).
 */
public final class SecretsInLog {

    private final String marker = "SECRET-" + UUID.randomUUID();
    private String dataKey;

    /** Puts a record into an encrypted stream, encrypts, decrypts and makes a data key, and makes a refused put. */
    public SecretsInLog exercise(FirehoseClient firehose, KmsClient kms) {
        String name = Streams.uniqueName("quiet");
        Streams.createActive(firehose, name);
        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        EncryptionFixtures.awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        firehose.putRecord(r -> r.deliveryStreamName(name).record(x -> x.data(SdkBytes.fromUtf8String(marker + "-record"))));
        String keyId = kms.createKey(r -> r.description("quiet key")).keyMetadata().keyId();
        var sealed = kms.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String(marker + "-plaintext")));
        dataKey = Base64.getEncoder().encodeToString(kms.generateDataKey(r -> r.keyId(keyId).numberOfBytes(32))
                .plaintext().asByteArray());
        kms.decrypt(r -> r.ciphertextBlob(sealed.ciphertextBlob()));
        // A refused call, so that error paths are logged too.
        org.assertj.core.api.Assertions.catchThrowable(() -> firehose.putRecord(r -> r.deliveryStreamName(name + "-missing")
                .record(x -> x.data(SdkBytes.fromUtf8String(marker + "-refused")))));
        return this;
    }

    public void assertAbsentFrom(String log) {
        assertThat(log).doesNotContain(marker);
        assertThat(log).doesNotContain(Base64.getEncoder().encodeToString((marker + "-record").getBytes(StandardCharsets.UTF_8)));
        assertThat(log).doesNotContain(dataKey);
        assertThat(log).doesNotContain(FirehoseIntegrationTest.TEST_MASTER_KEY);
        assertThat(log).doesNotContain("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    }
}
