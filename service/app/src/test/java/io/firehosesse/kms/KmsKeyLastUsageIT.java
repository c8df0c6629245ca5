package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.GetKeyLastUsageResponse;
import software.amazon.awssdk.services.kms.model.KeyLastUsageTrackingOperation;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/** GetKeyLastUsage reports the latest successful cryptographic operation, and nothing before the first one. */
class KmsKeyLastUsageIT extends AwsClientsIT {

    @Autowired
    EmbeddedKms embeddedKms;

    @Test
    void theLatestSuccessfulCryptographicOperationIsReported() {
        KeyMetadata key = newKey("last usage");
        GetKeyLastUsageResponse unused = kms.getKeyLastUsage(r -> r.keyId(key.arn()));
        assertThat(unused.keyId()).isEqualTo(key.keyId());
        assertThat(unused.keyLastUsage()).isNull();
        assertThat(unused.keyCreationDate()).isEqualTo(key.creationDate());
        assertThat(unused.trackingStartDate()).isEqualTo(key.creationDate());

        SdkBytes sealed = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob();
        kms.describeKey(r -> r.keyId(key.keyId()));
        GetKeyLastUsageResponse encrypted = kms.getKeyLastUsage(r -> r.keyId(key.keyId()));
        assertThat(encrypted.keyLastUsage().operation()).isEqualTo(KeyLastUsageTrackingOperation.ENCRYPT);
        assertThat(encrypted.keyLastUsage().kmsRequestId()).isNotBlank();
        assertThat(encrypted.keyLastUsage().timestamp()).isAfterOrEqualTo(key.creationDate());

        kms.decrypt(r -> r.ciphertextBlob(sealed));
        embeddedKms.pruneUsage();
        assertThat(kms.getKeyLastUsage(r -> r.keyId(key.keyId())).keyLastUsage().operation())
                .isEqualTo(KeyLastUsageTrackingOperation.DECRYPT);
        assertThatThrownBy(() -> kms.getKeyLastUsage(r -> r.keyId("alias/anything")))
                .isInstanceOf(NotFoundException.class);
    }
}
