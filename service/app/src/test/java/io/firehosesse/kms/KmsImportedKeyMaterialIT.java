package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.MutableClock;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.AlgorithmSpec;
import software.amazon.awssdk.services.kms.model.ExpirationModelType;
import software.amazon.awssdk.services.kms.model.ExpiredImportTokenException;
import software.amazon.awssdk.services.kms.model.GetParametersForImportResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyMaterialException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidImportTokenException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;
import software.amazon.awssdk.services.kms.model.WrappingKeySpec;

/** Keys of Origin EXTERNAL: material wrapped with plain JCA, imported, deleted, imported again, and expired by the clock. */
class KmsImportedKeyMaterialIT extends AwsClientsIT {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, String> CONTEXT = Map.of("purpose", "import test");

    @Autowired
    MutableClock clock;

    @Autowired
    EmbeddedKms embeddedKms;

    @Test
    void importedMaterialEncryptsAndTheSameMaterialImportedAgainOpensWhatItSealed() throws Exception {
        KeyMetadata key = kms.createKey(r -> r.origin(OriginType.EXTERNAL).description("imported")).keyMetadata();
        assertThat(key.keyState()).isEqualTo(KeyState.PENDING_IMPORT);
        assertThat(key.origin()).isEqualTo(OriginType.EXTERNAL);
        assertThatThrownBy(() -> kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("x"))))
                .isInstanceOf(KmsInvalidStateException.class).hasMessageContaining("pending import");

        byte[] material = random(32);
        importMaterial(key.keyId(), material, AlgorithmSpec.RSAES_OAEP_SHA_256, WrappingKeySpec.RSA_2048, null);
        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyState()).isEqualTo(KeyState.ENABLED);
        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().expirationModel())
                .isEqualTo(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE);
        SdkBytes sealed = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("kept"))
                .encryptionContext(CONTEXT)).ciphertextBlob();

        kms.deleteImportedKeyMaterial(r -> r.keyId(key.keyId()));
        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyState()).isEqualTo(KeyState.PENDING_IMPORT);
        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(sealed).encryptionContext(CONTEXT)))
                .isInstanceOf(KmsInvalidStateException.class);

        assertThatThrownBy(() -> importMaterial(key.keyId(), random(32), AlgorithmSpec.RSAES_OAEP_SHA_1,
                WrappingKeySpec.RSA_3072, null))
                .isInstanceOf(IncorrectKeyMaterialException.class);
        importMaterial(key.keyId(), material, AlgorithmSpec.RSAES_OAEP_SHA_1, WrappingKeySpec.RSA_3072, null);
        assertThat(kms.decrypt(r -> r.ciphertextBlob(sealed).encryptionContext(CONTEXT)).plaintext().asUtf8String())
                .isEqualTo("kept");
    }

    @Test
    void everyWrappingAlgorithmAndKeySizeOpensAndHmacMaterialImportsToo() throws Exception {
        for (AlgorithmSpec algorithm : new AlgorithmSpec[] {AlgorithmSpec.RSAES_OAEP_SHA_1, AlgorithmSpec.RSAES_OAEP_SHA_256,
                AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_1, AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256}) {
            for (WrappingKeySpec size : new WrappingKeySpec[] {WrappingKeySpec.RSA_2048, WrappingKeySpec.RSA_4096}) {
                KeyMetadata key = kms.createKey(r -> r.origin(OriginType.EXTERNAL)).keyMetadata();
                importMaterial(key.keyId(), random(32), algorithm, size, null);
                SdkBytes sealed = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String(algorithm + "/" + size)))
                        .ciphertextBlob();
                assertThat(kms.decrypt(r -> r.ciphertextBlob(sealed)).plaintext().asUtf8String())
                        .isEqualTo(algorithm + "/" + size);
            }
        }
        KeyMetadata hmac = kms.createKey(r -> r.origin(OriginType.EXTERNAL).keySpec(KeySpec.HMAC_256)
                .keyUsage(KeyUsageType.GENERATE_VERIFY_MAC)).keyMetadata();
        byte[] macKey = random(48);
        importMaterial(hmac.keyId(), macKey, AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256, WrappingKeySpec.RSA_2048, null);
        byte[] message = "message".getBytes();
        javax.crypto.Mac jca = javax.crypto.Mac.getInstance("HmacSHA256");
        jca.init(new SecretKeySpec(macKey, "HmacSHA256"));
        assertThat(kms.generateMac(r -> r.keyId(hmac.keyId()).macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)
                .message(SdkBytes.fromByteArray(message))).mac().asByteArray()).isEqualTo(jca.doFinal(message));
    }

    @Test
    void tokensAndKeysAreCheckedAndMaterialExpiresByTheClock() throws Exception {
        KeyMetadata key = kms.createKey(r -> r.origin(OriginType.EXTERNAL)).keyMetadata();
        KeyMetadata native_ = newKey("not external");
        assertThatThrownBy(() -> kms.getParametersForImport(r -> r.keyId(native_.keyId())
                .wrappingAlgorithm(AlgorithmSpec.RSAES_OAEP_SHA_256).wrappingKeySpec(WrappingKeySpec.RSA_2048)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> kms.getParametersForImport(r -> r.keyId(key.keyId())
                .wrappingAlgorithm(AlgorithmSpec.RSAES_PKCS1_V1_5).wrappingKeySpec(WrappingKeySpec.RSA_2048)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> kms.createKey(r -> r.origin(OriginType.EXTERNAL).keySpec(KeySpec.RSA_2048)))
                .isInstanceOf(UnsupportedOperationException.class);

        GetParametersForImportResponse parameters = kms.getParametersForImport(r -> r.keyId(key.keyId())
                .wrappingAlgorithm(AlgorithmSpec.RSAES_OAEP_SHA_256).wrappingKeySpec(WrappingKeySpec.RSA_2048));
        assertThat(parameters.parametersValidTo()).isBetween(Instant.now().plus(Duration.ofHours(23)),
                Instant.now().plus(Duration.ofHours(25)));
        byte[] wrapped = oaep(parameters.publicKey().asByteArray(), "SHA-256", random(32));
        assertThatThrownBy(() -> kms.importKeyMaterial(r -> r.keyId(key.keyId())
                .importToken(SdkBytes.fromByteArray(random(64))).encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped))))
                .isInstanceOf(InvalidImportTokenException.class);
        assertThatThrownBy(() -> kms.importKeyMaterial(r -> r.keyId(key.keyId()).importToken(parameters.importToken())
                .encryptedKeyMaterial(SdkBytes.fromByteArray(random(256)))))
                .isInstanceOf(InvalidCiphertextException.class);
        byte[] shortMaterial = oaep(parameters.publicKey().asByteArray(), "SHA-256", random(16));
        assertThatThrownBy(() -> kms.importKeyMaterial(r -> r.keyId(key.keyId()).importToken(parameters.importToken())
                .encryptedKeyMaterial(SdkBytes.fromByteArray(shortMaterial))))
                .isInstanceOf(IncorrectKeyMaterialException.class);

        clock.advance(Duration.ofHours(25));
        try {
            assertThatThrownBy(() -> kms.importKeyMaterial(r -> r.keyId(key.keyId()).importToken(parameters.importToken())
                    .encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped))))
                    .isInstanceOf(ExpiredImportTokenException.class);
        } finally {
            clock.advance(Duration.ofHours(-25));
        }

        Instant validTo = clock.instant().plus(Duration.ofDays(10));
        importMaterial(key.keyId(), random(32), AlgorithmSpec.RSAES_OAEP_SHA_256, WrappingKeySpec.RSA_2048, validTo);
        KeyMetadata imported = kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata();
        assertThat(imported.expirationModel()).isEqualTo(ExpirationModelType.KEY_MATERIAL_EXPIRES);
        assertThat(imported.validTo()).isEqualTo(validTo.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        KeyMetadata unused = kms.createKey(r -> r.origin(OriginType.EXTERNAL)).keyMetadata();
        importMaterial(unused.keyId(), random(32), AlgorithmSpec.RSAES_OAEP_SHA_1, WrappingKeySpec.RSA_2048, validTo);

        clock.advance(Duration.ofDays(11));
        try {
            // Expired on use ...
            assertThatThrownBy(() -> kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("late"))))
                    .isInstanceOf(KmsInvalidStateException.class);
            assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyState())
                    .isEqualTo(KeyState.PENDING_IMPORT);
            // ... and by the sweep, for keys nobody touches.
            assertThat(embeddedKms.expireImportedMaterial()).isGreaterThanOrEqualTo(1);
            assertThat(kms.describeKey(r -> r.keyId(unused.keyId())).keyMetadata().keyState())
                    .isEqualTo(KeyState.PENDING_IMPORT);
        } finally {
            clock.advance(Duration.ofDays(-11));
        }
    }

    /** Wraps {@code material} as KMS documents for the algorithm, with plain JCA, and imports it. */
    private void importMaterial(String keyId, byte[] material, AlgorithmSpec algorithm, WrappingKeySpec size, Instant validTo)
            throws Exception {
        GetParametersForImportResponse parameters = kms.getParametersForImport(r -> r.keyId(keyId)
                .wrappingAlgorithm(algorithm).wrappingKeySpec(size));
        String hash = algorithm.toString().endsWith("SHA_1") ? "SHA-1" : "SHA-256";
        byte[] publicKey = parameters.publicKey().asByteArray();
        byte[] wrapped;
        if (algorithm.toString().startsWith("RSAES_OAEP")) {
            wrapped = oaep(publicKey, hash, material);
        } else {
            byte[] aesKey = random(32);
            Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding");
            kwp.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"));
            byte[] first = oaep(publicKey, hash, aesKey);
            byte[] second = kwp.doFinal(material);
            wrapped = new byte[first.length + second.length];
            System.arraycopy(first, 0, wrapped, 0, first.length);
            System.arraycopy(second, 0, wrapped, first.length, second.length);
        }
        byte[] encrypted = wrapped;
        kms.importKeyMaterial(r -> {
            r.keyId(keyId).importToken(parameters.importToken()).encryptedKeyMaterial(SdkBytes.fromByteArray(encrypted));
            if (validTo != null) {
                r.validTo(validTo).expirationModel(ExpirationModelType.KEY_MATERIAL_EXPIRES);
            } else {
                r.expirationModel(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE);
            }
        });
    }

    private static byte[] oaep(byte[] publicKeyDer, String hash, byte[] plaintext) throws Exception {
        PublicKey publicKey = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(publicKeyDer));
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(Cipher.ENCRYPT_MODE, publicKey, new OAEPParameterSpec(hash, "MGF1",
                hash.equals("SHA-1") ? MGF1ParameterSpec.SHA1 : MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        return rsa.doFinal(plaintext);
    }

    private static byte[] random(int bytes) {
        byte[] out = new byte[bytes];
        RANDOM.nextBytes(out);
        return out;
    }
}
