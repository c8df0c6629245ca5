package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

class KmsCryptoIT extends AwsClientsIT {

    static final Map<String, String> CONTEXT = Map.of("aws:firehose:arn", "arn:aws:firehose:us-east-1:123456789012:deliverystream/s");
    static final SdkBytes SECRET = SdkBytes.fromString("the quarterly numbers", StandardCharsets.UTF_8);

    @Test
    void whatIsEncryptedUnderAContextDecryptsOnlyWithThatContextAndNeedsNoKeyId() {
        KeyMetadata key = newKey("crypto");

        EncryptResponse sealed = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SECRET).encryptionContext(CONTEXT));
        SdkBytes opened = kms.decrypt(r -> r.ciphertextBlob(sealed.ciphertextBlob()).encryptionContext(CONTEXT)).plaintext();

        assertThat(sealed.keyId()).isEqualTo(key.arn());
        assertThat(opened.asUtf8String()).isEqualTo("the quarterly numbers");
        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(sealed.ciphertextBlob())))
                .isInstanceOf(InvalidCiphertextException.class);
        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(sealed.ciphertextBlob())
                .encryptionContext(Map.of("aws:firehose:arn", "another"))))
                .isInstanceOf(InvalidCiphertextException.class);
        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromUtf8String("not a ciphertext blob at all, no"))))
                .isInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void aDataKeyComesPlainAndWrappedAndTheWrappedOneOpens() {
        KeyMetadata key = newKey("data keys");

        GenerateDataKeyResponse dataKey = kms.generateDataKey(r -> r.keyId(key.arn()).keySpec(DataKeySpec.AES_256)
                .encryptionContext(CONTEXT));
        SdkBytes unwrapped = kms.decrypt(r -> r.ciphertextBlob(dataKey.ciphertextBlob()).encryptionContext(CONTEXT)).plaintext();

        assertThat(dataKey.plaintext().asByteArray()).hasSize(32);
        assertThat(unwrapped.asByteArray()).isEqualTo(dataKey.plaintext().asByteArray());
        assertThat(kms.generateDataKey(r -> r.keyId(key.keyId()).numberOfBytes(16)).plaintext().asByteArray()).hasSize(16);
    }

    @Test
    void decryptNamingAnotherKeyIsIncorrectKey() {
        KeyMetadata key = newKey("right");
        KeyMetadata other = newKey("wrong");
        SdkBytes blob = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SECRET)).ciphertextBlob();

        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(blob).keyId(other.keyId())))
                .isInstanceOf(IncorrectKeyException.class);
        assertThat(kms.decrypt(r -> r.ciphertextBlob(blob).keyId(key.arn())).plaintext()).isEqualTo(SECRET);
    }

    @Test
    void aDisabledKeyNeitherEncryptsNorDecrypts() {
        KeyMetadata key = newKey("off");
        SdkBytes blob = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SECRET)).ciphertextBlob();
        kms.disableKey(r -> r.keyId(key.keyId()));

        assertThatThrownBy(() -> kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SECRET)))
                .isInstanceOf(DisabledException.class)
                .hasMessageContaining(key.arn() + " is disabled.");
        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(blob)))
                .isInstanceOf(DisabledException.class);
    }

    @Test
    void aSigningKeyCannotMakeDataKeys() {
        KeyMetadata signing = kms.createKey(r -> r.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata();

        assertThatThrownBy(() -> kms.generateDataKey(r -> r.keyId(signing.keyId()).keySpec(DataKeySpec.AES_256)))
                .isInstanceOf(InvalidKeyUsageException.class);
    }
}
