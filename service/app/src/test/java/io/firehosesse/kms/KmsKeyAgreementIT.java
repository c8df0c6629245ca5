package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.DeriveSharedSecretResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeyAgreementAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;

/** DeriveSharedSecret: ECDH with an ECC key of usage KEY_AGREEMENT, checked against the JDK's ECDH from the peer's side. */
class KmsKeyAgreementIT extends AwsClientsIT {

    private static final Map<KeySpec, String> CURVES = Map.of(KeySpec.ECC_NIST_P256, "secp256r1",
            KeySpec.ECC_NIST_P384, "secp384r1", KeySpec.ECC_NIST_P521, "secp521r1");

    @Test
    void bothSidesDeriveTheSameSecretOnEveryNistCurve() throws Exception {
        for (Map.Entry<KeySpec, String> curve : CURVES.entrySet()) {
            KeyMetadata key = kms.createKey(r -> r.keySpec(curve.getKey()).keyUsage(KeyUsageType.KEY_AGREEMENT)).keyMetadata();
            assertThat(key.keyAgreementAlgorithms()).containsExactly(KeyAgreementAlgorithmSpec.ECDH);
            GetPublicKeyResponse kmsPublic = kms.getPublicKey(r -> r.keyId(key.keyId()));
            assertThat(kmsPublic.keyAgreementAlgorithms()).containsExactly(KeyAgreementAlgorithmSpec.ECDH);
            assertThat(kmsPublic.keyUsage()).isEqualTo(KeyUsageType.KEY_AGREEMENT);

            KeyPair peer = pair(curve.getValue());
            DeriveSharedSecretResponse derived = kms.deriveSharedSecret(r -> r.keyId(key.arn())
                    .keyAgreementAlgorithm(KeyAgreementAlgorithmSpec.ECDH)
                    .publicKey(SdkBytes.fromByteArray(peer.getPublic().getEncoded())));

            KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
            ecdh.init(peer.getPrivate());
            PublicKey theirs = KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(kmsPublic.publicKey().asByteArray()));
            ecdh.doPhase(theirs, true);
            assertThat(derived.sharedSecret().asByteArray()).isEqualTo(ecdh.generateSecret());
            assertThat(derived.keyId()).isEqualTo(key.arn());
            assertThat(derived.keyAgreementAlgorithm()).isEqualTo(KeyAgreementAlgorithmSpec.ECDH);
            assertThat(derived.keyOriginAsString()).isEqualTo("AWS_KMS");
        }
    }

    @Test
    void aWrongKeyAWrongCurveOrAKeyThatIsNoKeyIsRefused() throws Exception {
        KeyMetadata key = kms.createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.KEY_AGREEMENT))
                .keyMetadata();
        KeyMetadata signing = kms.createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY))
                .keyMetadata();
        SdkBytes p256 = SdkBytes.fromByteArray(pair("secp256r1").getPublic().getEncoded());
        SdkBytes p384 = SdkBytes.fromByteArray(pair("secp384r1").getPublic().getEncoded());
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        SdkBytes rsaPublic = SdkBytes.fromByteArray(rsa.generateKeyPair().getPublic().getEncoded());

        assertThatThrownBy(() -> kms.deriveSharedSecret(r -> r.keyId(signing.keyId())
                .keyAgreementAlgorithm(KeyAgreementAlgorithmSpec.ECDH).publicKey(p256)))
                .isInstanceOf(InvalidKeyUsageException.class);
        for (SdkBytes bad : new SdkBytes[] {p384, rsaPublic, SdkBytes.fromUtf8String("not a key")}) {
            assertThatThrownBy(() -> kms.deriveSharedSecret(r -> r.keyId(key.keyId())
                    .keyAgreementAlgorithm(KeyAgreementAlgorithmSpec.ECDH).publicKey(bad)))
                    .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("ValidationException"));
        }
        assertThatThrownBy(() -> kms.createKey(r -> r.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.KEY_AGREEMENT)))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("ValidationException"));
        kms.disableKey(r -> r.keyId(key.keyId()));
        assertThatThrownBy(() -> kms.deriveSharedSecret(r -> r.keyId(key.keyId())
                .keyAgreementAlgorithm(KeyAgreementAlgorithmSpec.ECDH).publicKey(p256)))
                .isInstanceOf(DisabledException.class);
    }

    private static KeyPair pair(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }
}
