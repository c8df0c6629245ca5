package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.DataKeyPairSpec;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyPairResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyPairWithoutPlaintextResponse;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeyAgreementAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidMacException;
import software.amazon.awssdk.services.kms.model.KmsInvalidSignatureException;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Asymmetric and HMAC keys of the embedded KMS through the SDK v2 client, cross-checked with the JDK: what is signed
 * or encrypted here opens with the public key in plain JCA, and what JCA makes with it is accepted here.
 */
class KmsAsymmetricIT extends AwsClientsIT {

    private static final SdkBytes MESSAGE = SdkBytes.fromString("ship 40 crates to Rotterdam", StandardCharsets.UTF_8);

    @Test
    void everyKeySpecAndUsagePairKmsAllowsIsCreatedWithTheAlgorithmsKmsLists() {
        List<String> rsaSigning = List.of("RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384",
                "RSASSA_PKCS1_V1_5_SHA_512", "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512");
        for (KeySpec spec : List.of(KeySpec.RSA_2048, KeySpec.RSA_3072, KeySpec.RSA_4096)) {
            assertThat(create(spec, KeyUsageType.SIGN_VERIFY).signingAlgorithmsAsStrings()).containsExactlyElementsOf(rsaSigning);
            KeyMetadata encrypting = create(spec, KeyUsageType.ENCRYPT_DECRYPT);
            assertThat(encrypting.encryptionAlgorithms())
                    .containsExactly(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256);
            assertThat(encrypting.signingAlgorithms()).isEmpty();
        }
        Map<KeySpec, SigningAlgorithmSpec> curves = Map.of(KeySpec.ECC_NIST_P256, SigningAlgorithmSpec.ECDSA_SHA_256,
                KeySpec.ECC_NIST_P384, SigningAlgorithmSpec.ECDSA_SHA_384, KeySpec.ECC_NIST_P521, SigningAlgorithmSpec.ECDSA_SHA_512);
        curves.forEach((spec, algorithm) -> {
            assertThat(create(spec, KeyUsageType.SIGN_VERIFY).signingAlgorithms()).containsExactly(algorithm);
            assertThat(create(spec, KeyUsageType.KEY_AGREEMENT).keyAgreementAlgorithms())
                    .containsExactly(KeyAgreementAlgorithmSpec.ECDH);
        });
        Map<KeySpec, MacAlgorithmSpec> macs = Map.of(KeySpec.HMAC_224, MacAlgorithmSpec.HMAC_SHA_224,
                KeySpec.HMAC_256, MacAlgorithmSpec.HMAC_SHA_256, KeySpec.HMAC_384, MacAlgorithmSpec.HMAC_SHA_384,
                KeySpec.HMAC_512, MacAlgorithmSpec.HMAC_SHA_512);
        macs.forEach((spec, algorithm) -> {
            KeyMetadata key = kms.createKey(r -> r.keySpec(spec)).keyMetadata();
            assertThat(key.keyUsage()).isEqualTo(KeyUsageType.GENERATE_VERIFY_MAC);
            assertThat(key.macAlgorithms()).containsExactly(algorithm);
        });
        KeyMetadata described = kms.describeKey(r -> r.keyId(create(KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY).arn()))
                .keyMetadata();
        assertThat(described.signingAlgorithms()).containsExactly(SigningAlgorithmSpec.ECDSA_SHA_256);
        assertThat(newKey("symmetric").encryptionAlgorithms()).containsExactly(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT);
    }

    @Test
    void pairsKmsRefusesAndSpecsThisKmsCannotServeAreRefused() {
        assertThatThrownBy(() -> create(KeySpec.HMAC_256, KeyUsageType.ENCRYPT_DECRYPT)).satisfies(isError("ValidationException"));
        assertThatThrownBy(() -> create(KeySpec.ECC_NIST_P256, KeyUsageType.ENCRYPT_DECRYPT))
                .satisfies(isError("ValidationException"));
        assertThatThrownBy(() -> create(KeySpec.RSA_2048, KeyUsageType.GENERATE_VERIFY_MAC))
                .satisfies(isError("ValidationException"));
        assertThatThrownBy(() -> create(KeySpec.SM2, KeyUsageType.SIGN_VERIFY))
                .isInstanceOf(software.amazon.awssdk.services.kms.model.UnsupportedOperationException.class)
                .hasMessageContaining("China Regions");
        // secp256k1 signs only, as on AWS.
        assertThatThrownBy(() -> kms.createKey(r -> r.keySpec("ECC_SECG_P256K1").keyUsage(KeyUsageType.KEY_AGREEMENT)))
                .satisfies(isError("ValidationException"));
    }

    @Test
    void ed25519KeysSignPureAndPreHashedAndTheJdkVerifiesBoth() throws Exception {
        // Named as strings: this SDK's enums predate the spec and its algorithms.
        KeyMetadata key = kms.createKey(r -> r.keySpec("ECC_NIST_EDWARDS25519").keyUsage(KeyUsageType.SIGN_VERIFY))
                .keyMetadata();
        assertThat(key.signingAlgorithmsAsStrings()).containsExactly("ED25519_SHA_512", "ED25519_PH_SHA_512");
        PublicKey publicKey = publicKey(key.keyId(), "Ed25519");
        assertThat(publicKey.getAlgorithm()).isIn("EdDSA", "Ed25519");

        for (String algorithm : List.of("ED25519_SHA_512", "ED25519_PH_SHA_512")) {
            SdkBytes signature = kms.sign(r -> r.keyId(key.keyId()).message(MESSAGE).signingAlgorithm(algorithm)).signature();
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.setParameter(new java.security.spec.EdDSAParameterSpec(algorithm.contains("_PH_")));
            verifier.initVerify(publicKey);
            verifier.update(MESSAGE.asByteArray());
            assertThat(verifier.verify(signature.asByteArray())).as(algorithm).isTrue();
            assertThat(kms.verify(r -> r.keyId(key.keyId()).message(MESSAGE).signature(signature)
                    .signingAlgorithm(algorithm)).signatureValid()).as(algorithm).isTrue();
        }
        SdkBytes sha512 = SdkBytes.fromByteArray(MessageDigest.getInstance("SHA-512").digest(MESSAGE.asByteArray()));
        assertThatThrownBy(() -> kms.sign(r -> r.keyId(key.keyId()).message(sha512).messageType(MessageType.DIGEST)
                .signingAlgorithm("ED25519_SHA_512"))).satisfies(isError("ValidationException"));
        assertThatThrownBy(() -> kms.sign(r -> r.keyId(key.keyId()).message(MESSAGE)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256))).satisfies(isError("InvalidKeyUsageException"));
    }

    @Test
    void mlDsaKeysSignMessagesThatVerifyWithAnotherProvider() throws Exception {
        java.security.Provider other = new org.bouncycastle.jce.provider.BouncyCastleProvider();
        Map<String, Integer> signatureBytes = Map.of("ML_DSA_44", 2420, "ML_DSA_65", 3309, "ML_DSA_87", 4627);
        for (String spec : List.of("ML_DSA_44", "ML_DSA_65", "ML_DSA_87")) {
            KeyMetadata key = kms.createKey(r -> r.keySpec(spec).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata();
            assertThat(key.signingAlgorithmsAsStrings()).containsExactly("ML_DSA_SHAKE_256");
            byte[] der = kms.getPublicKey(r -> r.keyId(key.keyId())).publicKey().asByteArray();
            PublicKey publicKey = KeyFactory.getInstance("ML-DSA", other).generatePublic(new X509EncodedKeySpec(der));
            assertThat(publicKey.getAlgorithm()).isEqualTo(spec.replace('_', '-'));

            SdkBytes signature = kms.sign(r -> r.keyId(key.keyId()).message(MESSAGE).signingAlgorithm("ML_DSA_SHAKE_256"))
                    .signature();
            assertThat(signature.asByteArray()).hasSize(signatureBytes.get(spec));
            Signature verifier = Signature.getInstance("ML-DSA", other);
            verifier.initVerify(publicKey);
            verifier.update(MESSAGE.asByteArray());
            assertThat(verifier.verify(signature.asByteArray())).as(spec).isTrue();
            assertThat(kms.verify(r -> r.keyId(key.keyId()).message(MESSAGE).signature(signature)
                    .signingAlgorithm("ML_DSA_SHAKE_256")).signatureValid()).isTrue();
        }
        KeyMetadata key = kms.createKey(r -> r.keySpec("ML_DSA_44").keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata();
        SdkBytes sha256 = SdkBytes.fromByteArray(MessageDigest.getInstance("SHA-256").digest(MESSAGE.asByteArray()));
        assertThatThrownBy(() -> kms.sign(r -> r.keyId(key.keyId()).message(sha256).messageType(MessageType.DIGEST)
                .signingAlgorithm("ML_DSA_SHAKE_256"))).satisfies(isError("ValidationException"));
        assertThatThrownBy(() -> kms.sign(r -> r.keyId(key.keyId()).message(MESSAGE).messageType("EXTERNAL_MU")
                .signingAlgorithm("ML_DSA_SHAKE_256"))).satisfies(isError("UnsupportedOperationException"));
    }

    @Test
    void secp256k1KeysSignMessagesAndDigestsThatVerifyWithAnotherProvider() throws Exception {
        // Named as a string: this SDK's KeySpec enum predates the spec.
        KeyMetadata key = kms.createKey(r -> r.keySpec("ECC_SECG_P256K1").keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata();
        assertThat(key.keySpecAsString()).isEqualTo("ECC_SECG_P256K1");
        assertThat(key.signingAlgorithms()).containsExactly(SigningAlgorithmSpec.ECDSA_SHA_256);
        byte[] der = kms.getPublicKey(r -> r.keyId(key.keyId())).publicKey().asByteArray();
        // The JDK has no secp256k1 since JDK 16; Bouncy Castle's JCA provider reads the key and checks the signatures.
        java.security.Provider other = new org.bouncycastle.jce.provider.BouncyCastleProvider();
        var publicKey = (java.security.interfaces.ECPublicKey) KeyFactory.getInstance("EC", other)
                .generatePublic(new X509EncodedKeySpec(der));
        assertThat(publicKey.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(HexFormat.of().formatHex(der)).contains("2b8104000a"); // the curve's OID 1.3.132.0.10

        SdkBytes overMessage = kms.sign(r -> r.keyId(key.keyId()).message(MESSAGE)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)).signature();
        SdkBytes sha256 = SdkBytes.fromByteArray(MessageDigest.getInstance("SHA-256").digest(MESSAGE.asByteArray()));
        SdkBytes overDigest = kms.sign(r -> r.keyId(key.keyId()).message(sha256).messageType(MessageType.DIGEST)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)).signature();
        for (SdkBytes signature : List.of(overMessage, overDigest)) {
            Signature verifier = Signature.getInstance("SHA256withECDSA", other);
            verifier.initVerify(publicKey);
            verifier.update(MESSAGE.asByteArray());
            assertThat(verifier.verify(signature.asByteArray())).isTrue();
            assertThat(kms.verify(r -> r.keyId(key.keyId()).message(MESSAGE).signature(signature)
                    .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)).signatureValid()).isTrue();
        }
        assertThatThrownBy(() -> kms.verify(r -> r.keyId(key.keyId()).message(SdkBytes.fromUtf8String("other"))
                .signature(overMessage).signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)))
                .satisfies(isError("KMSInvalidSignatureException"));
    }

    @Test
    void signaturesMadeHereVerifyInTheJdkWithTheKeyFromGetPublicKey() throws Exception {
        KeyMetadata rsa = create(KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY);
        PublicKey rsaPublic = publicKey(rsa.keyId(), "RSA");
        for (SigningAlgorithmSpec algorithm : rsa.signingAlgorithms()) {
            SdkBytes signature = kms.sign(r -> r.keyId(rsa.arn()).message(MESSAGE).signingAlgorithm(algorithm)).signature();
            assertThat(jdkVerifies(rsaPublic, algorithm, signature.asByteArray())).as(algorithm.toString()).isTrue();
        }
        for (KeySpec spec : List.of(KeySpec.ECC_NIST_P256, KeySpec.ECC_NIST_P384, KeySpec.ECC_NIST_P521)) {
            KeyMetadata ec = create(spec, KeyUsageType.SIGN_VERIFY);
            SigningAlgorithmSpec algorithm = ec.signingAlgorithms().get(0);
            SdkBytes signature = kms.sign(r -> r.keyId(ec.keyId()).message(MESSAGE).signingAlgorithm(algorithm)).signature();
            assertThat(jdkVerifies(publicKey(ec.keyId(), "EC"), algorithm, signature.asByteArray())).as(spec.toString()).isTrue();
        }
    }

    @Test
    void aDigestSignedHereVerifiesAsTheRawMessageInTheJdk() throws Exception {
        KeyMetadata rsa = create(KeySpec.RSA_3072, KeyUsageType.SIGN_VERIFY);
        KeyMetadata ec = create(KeySpec.ECC_NIST_P384, KeyUsageType.SIGN_VERIFY);
        SdkBytes sha384 = SdkBytes.fromByteArray(MessageDigest.getInstance("SHA-384").digest(MESSAGE.asByteArray()));

        SdkBytes rsaSignature = kms.sign(r -> r.keyId(rsa.keyId()).message(sha384).messageType(MessageType.DIGEST)
                .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_384)).signature();
        SdkBytes ecSignature = kms.sign(r -> r.keyId(ec.keyId()).message(sha384).messageType(MessageType.DIGEST)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384)).signature();

        assertThat(jdkVerifies(publicKey(rsa.keyId(), "RSA"), SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_384,
                rsaSignature.asByteArray())).isTrue();
        assertThat(jdkVerifies(publicKey(ec.keyId(), "EC"), SigningAlgorithmSpec.ECDSA_SHA_384, ecSignature.asByteArray()))
                .isTrue();
        assertThat(kms.verify(r -> r.keyId(ec.keyId()).message(MESSAGE).signature(ecSignature)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384)).signatureValid()).isTrue();
        assertThatThrownBy(() -> kms.sign(r -> r.keyId(ec.keyId()).message(MESSAGE).messageType(MessageType.DIGEST)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384))).satisfies(isError("ValidationException"));
    }

    @Test
    void aJdkSignatureVerifiesHereAndAnAlteredOneIsAnInvalidSignature() throws Exception {
        KeyMetadata key = create(KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY);
        byte[] signed = kms.sign(r -> r.keyId(key.keyId()).message(MESSAGE)
                .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_512)).signature().asByteArray();
        KeyPair other = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Signature foreign = Signature.getInstance("SHA256withRSA");
        foreign.initSign(other.getPrivate());
        foreign.update(MESSAGE.asByteArray());
        byte[] foreignSignature = foreign.sign();
        KeyMetadata ec = create(KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY);
        byte[] ecSigned = kms.sign(r -> r.keyId(ec.keyId()).message(MESSAGE)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)).signature().asByteArray();

        assertThat(kms.verify(r -> r.keyId(key.arn()).message(MESSAGE).signature(SdkBytes.fromByteArray(signed))
                .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_512)).signatureValid()).isTrue();
        byte[] altered = signed.clone();
        altered[10] ^= 1;
        assertThatThrownBy(() -> kms.verify(r -> r.keyId(key.arn()).message(MESSAGE).signature(SdkBytes.fromByteArray(altered))
                .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_512))).isInstanceOf(KmsInvalidSignatureException.class);
        assertThatThrownBy(() -> kms.verify(r -> r.keyId(key.arn()).message(MESSAGE)
                .signature(SdkBytes.fromByteArray(foreignSignature)).signingAlgorithm(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256)))
                .isInstanceOf(KmsInvalidSignatureException.class);
        assertThatThrownBy(() -> kms.verify(r -> r.keyId(ec.keyId()).message(MESSAGE)
                .signature(SdkBytes.fromUtf8String("not DER at all")).signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)))
                .isInstanceOf(KmsInvalidSignatureException.class);
        assertThat(kms.verify(r -> r.keyId(ec.keyId()).message(MESSAGE).signature(SdkBytes.fromByteArray(ecSigned))
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)).signatureValid()).isTrue();
    }

    @Test
    void aDigestTheJdkMadeVerifiesHereAgainstTheSignatureOfTheWholeMessage() throws Exception {
        // The private key never leaves KMS, so the JDK's part in this direction is the hash: Verify with DIGEST.
        KeyMetadata key = create(KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY);
        byte[] signed = kms.sign(r -> r.keyId(key.keyId()).message(MESSAGE)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)).signature().asByteArray();
        SdkBytes digest = SdkBytes.fromByteArray(MessageDigest.getInstance("SHA-256").digest(MESSAGE.asByteArray()));

        assertThat(kms.verify(r -> r.keyId(key.keyId()).message(digest).messageType(MessageType.DIGEST)
                .signature(SdkBytes.fromByteArray(signed)).signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)).signatureValid())
                .isTrue();
    }

    @Test
    void signingAsksForTheRightUsageAlgorithmAndState() {
        KeyMetadata encrypting = create(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT);
        KeyMetadata ec = create(KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY);

        assertThatThrownBy(() -> kms.sign(r -> r.keyId(encrypting.keyId()).message(MESSAGE)
                .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_256))).isInstanceOf(InvalidKeyUsageException.class);
        assertThatThrownBy(() -> kms.sign(r -> r.keyId(ec.keyId()).message(MESSAGE)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384))).isInstanceOf(InvalidKeyUsageException.class);
        assertThatThrownBy(() -> kms.sign(r -> r.keyId(newKey("symmetric").keyId()).message(MESSAGE)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256))).isInstanceOf(InvalidKeyUsageException.class);
        assertThatThrownBy(() -> kms.encrypt(r -> r.keyId(ec.keyId()).plaintext(MESSAGE)))
                .isInstanceOf(InvalidKeyUsageException.class);
        kms.disableKey(r -> r.keyId(ec.keyId()));
        assertThatThrownBy(() -> kms.sign(r -> r.keyId(ec.keyId()).message(MESSAGE)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256))).isInstanceOf(DisabledException.class);
        assertThatThrownBy(() -> kms.getPublicKey(r -> r.keyId(ec.keyId()))).isInstanceOf(DisabledException.class);
    }

    @Test
    void aKeyPolicyThatDeniesSigningIsEnforced() {
        String policy = """
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},
                 {"Effect":"Deny","Principal":"*","Action":["kms:Sign","kms:GenerateMac"],"Resource":"*"}]}""";
        KeyMetadata signing = kms.createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY)
                .policy(policy)).keyMetadata();
        KeyMetadata mac = kms.createKey(r -> r.keySpec(KeySpec.HMAC_256).policy(policy)).keyMetadata();

        assertThatThrownBy(() -> kms.sign(r -> r.keyId(signing.keyId()).message(MESSAGE)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256))).satisfies(isError("AccessDeniedException"));
        assertThatThrownBy(() -> kms.generateMac(r -> r.keyId(mac.keyId()).message(MESSAGE)
                .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256))).satisfies(isError("AccessDeniedException"));
        assertThat(kms.getPublicKey(r -> r.keyId(signing.keyId())).publicKey().asByteArray()).isNotEmpty();
    }

    @Test
    void grantsTakeTheOperationsOfTheirKindOfKey() {
        KeyMetadata rsa = create(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT);
        KeyMetadata hmac = create(KeySpec.HMAC_256, KeyUsageType.GENERATE_VERIFY_MAC);

        assertThat(kms.createGrant(r -> r.keyId(rsa.keyId()).granteePrincipal("arn:aws:iam::123456789012:role/reader")
                .operations(GrantOperation.ENCRYPT, GrantOperation.DECRYPT, GrantOperation.GET_PUBLIC_KEY)).grantId()).isNotBlank();
        assertThat(kms.createGrant(r -> r.keyId(hmac.keyId()).granteePrincipal("arn:aws:iam::123456789012:role/reader")
                .operations(GrantOperation.GENERATE_MAC, GrantOperation.VERIFY_MAC)).grantId()).isNotBlank();
        assertThatThrownBy(() -> kms.createGrant(r -> r.keyId(rsa.keyId()).granteePrincipal("arn:aws:iam::123456789012:role/x")
                .operations(GrantOperation.SIGN, GrantOperation.GENERATE_DATA_KEY))).satisfies(isError("ValidationException"));
        assertThatThrownBy(() -> kms.createGrant(r -> r.keyId(hmac.keyId()).granteePrincipal("arn:aws:iam::123456789012:role/x")
                .operations(GrantOperation.ENCRYPT))).satisfies(isError("ValidationException"));
        assertThatThrownBy(() -> kms.createGrant(r -> r.keyId(newKey("symmetric").keyId())
                .granteePrincipal("arn:aws:iam::123456789012:role/x").operations(GrantOperation.SIGN)))
                .satisfies(isError("ValidationException"));
    }

    @Test
    void getPublicKeyGivesTheDerKeyWithItsSpecUsageAndAlgorithms() throws Exception {
        KeyMetadata key = create(KeySpec.RSA_4096, KeyUsageType.ENCRYPT_DECRYPT);

        GetPublicKeyResponse response = kms.getPublicKey(r -> r.keyId(key.arn()));

        assertThat(response.keyId()).isEqualTo(key.arn());
        assertThat(response.keySpec()).isEqualTo(KeySpec.RSA_4096);
        assertThat(response.keyUsage()).isEqualTo(KeyUsageType.ENCRYPT_DECRYPT);
        assertThat(response.encryptionAlgorithms())
                .containsExactly(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256);
        assertThat(response.signingAlgorithms()).isEmpty();
        var rsa = (java.security.interfaces.RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(response.publicKey().asByteArray()));
        assertThat(rsa.getModulus().bitLength()).isEqualTo(4096);
        assertThatThrownBy(() -> kms.getPublicKey(r -> r.keyId(newKey("symmetric").keyId())))
                .isInstanceOf(software.amazon.awssdk.services.kms.model.UnsupportedOperationException.class);
    }

    @Test
    void whatTheJdkEncryptsWithThePublicKeyDecryptsHereAndTheOtherWayRound() throws Exception {
        KeyMetadata key = create(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT);
        PublicKey publicKey = publicKey(key.keyId(), "RSA");
        for (EncryptionAlgorithmSpec algorithm : List.of(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1,
                EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256)) {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(Cipher.ENCRYPT_MODE, publicKey, oaep(algorithm));
            SdkBytes jdkCiphertext = SdkBytes.fromByteArray(cipher.doFinal(MESSAGE.asByteArray()));

            assertThat(kms.decrypt(r -> r.keyId(key.keyId()).ciphertextBlob(jdkCiphertext).encryptionAlgorithm(algorithm))
                    .plaintext()).isEqualTo(MESSAGE);
            SdkBytes sealed = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(MESSAGE).encryptionAlgorithm(algorithm))
                    .ciphertextBlob();
            assertThat(kms.decrypt(r -> r.keyId(key.arn()).ciphertextBlob(sealed).encryptionAlgorithm(algorithm))
                    .encryptionAlgorithm()).isEqualTo(algorithm);
        }
    }

    @Test
    void rsaEncryptionKeepsKmsLimitsAndNeedsItsAlgorithmAndKey() {
        KeyMetadata key = create(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT);
        SdkBytes limit = SdkBytes.fromByteArray(new byte[190]);
        SdkBytes over = SdkBytes.fromByteArray(new byte[191]);

        assertThat(kms.encrypt(r -> r.keyId(key.keyId()).plaintext(limit)
                .encryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256)).ciphertextBlob().asByteArray()).hasSize(256);
        assertThat(kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromByteArray(new byte[214]))
                .encryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1)).ciphertextBlob().asByteArray()).hasSize(256);
        assertThatThrownBy(() -> kms.encrypt(r -> r.keyId(key.keyId()).plaintext(over)
                .encryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256))).satisfies(isError("ValidationException"));
        assertThatThrownBy(() -> kms.encrypt(r -> r.keyId(key.keyId()).plaintext(MESSAGE)))
                .isInstanceOf(InvalidKeyUsageException.class);
        SdkBytes sealed = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(MESSAGE)
                .encryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256)).ciphertextBlob();
        assertThatThrownBy(() -> kms.decrypt(r -> r.keyId(key.keyId()).ciphertextBlob(sealed)
                .encryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1))).isInstanceOf(InvalidCiphertextException.class);
        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(sealed))).isInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void macsAgreeAcrossCallsVerifyAndRejectAFlippedByte() {
        KeyMetadata key = kms.createKey(r -> r.keySpec(KeySpec.HMAC_384).keyUsage(KeyUsageType.GENERATE_VERIFY_MAC)).keyMetadata();

        SdkBytes first = kms.generateMac(r -> r.keyId(key.keyId()).message(MESSAGE).macAlgorithm(MacAlgorithmSpec.HMAC_SHA_384))
                .mac();
        SdkBytes second = kms.generateMac(r -> r.keyId(key.arn()).message(MESSAGE).macAlgorithm(MacAlgorithmSpec.HMAC_SHA_384))
                .mac();
        byte[] flipped = first.asByteArray();
        flipped[0] ^= 1;

        assertThat(first.asByteArray()).hasSize(48).isEqualTo(second.asByteArray());
        assertThat(kms.verifyMac(r -> r.keyId(key.keyId()).message(MESSAGE).mac(first)
                .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_384)).macValid()).isTrue();
        assertThatThrownBy(() -> kms.verifyMac(r -> r.keyId(key.keyId()).message(MESSAGE).mac(SdkBytes.fromByteArray(flipped))
                .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_384))).isInstanceOf(KmsInvalidMacException.class);
        assertThatThrownBy(() -> kms.generateMac(r -> r.keyId(key.keyId()).message(MESSAGE)
                .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256))).isInstanceOf(InvalidKeyUsageException.class);
        assertThatThrownBy(() -> kms.generateMac(r -> r.keyId(newKey("symmetric").keyId()).message(MESSAGE)
                .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256))).isInstanceOf(InvalidKeyUsageException.class);
        KeyMetadata other = kms.createKey(r -> r.keySpec(KeySpec.HMAC_384)).keyMetadata();
        assertThatThrownBy(() -> kms.verifyMac(r -> r.keyId(other.keyId()).message(MESSAGE).mac(first)
                .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_384))).isInstanceOf(KmsInvalidMacException.class);
    }

    @Test
    void reEncryptMovesCiphertextBetweenKeysContextsAndAlgorithms() throws Exception {
        KeyMetadata from = newKey("re-encrypt source");
        KeyMetadata to = newKey("re-encrypt destination");
        KeyMetadata rsa = create(KeySpec.RSA_3072, KeyUsageType.ENCRYPT_DECRYPT);
        Map<String, String> before = Map.of("purpose", "before");
        Map<String, String> after = Map.of("purpose", "after");
        SdkBytes sealed = kms.encrypt(r -> r.keyId(from.keyId()).plaintext(MESSAGE).encryptionContext(before)).ciphertextBlob();

        ReEncryptResponse moved = kms.reEncrypt(r -> r.ciphertextBlob(sealed).sourceEncryptionContext(before)
                .destinationKeyId(to.keyId()).destinationEncryptionContext(after));

        assertThat(moved.sourceKeyId()).isEqualTo(from.arn());
        assertThat(moved.keyId()).isEqualTo(to.arn());
        assertThat(kms.decrypt(r -> r.ciphertextBlob(moved.ciphertextBlob()).encryptionContext(after)).plaintext())
                .isEqualTo(MESSAGE);
        assertThatThrownBy(() -> kms.reEncrypt(r -> r.ciphertextBlob(sealed).destinationKeyId(to.keyId())))
                .isInstanceOf(InvalidCiphertextException.class);

        ReEncryptResponse toRsa = kms.reEncrypt(r -> r.ciphertextBlob(moved.ciphertextBlob()).sourceEncryptionContext(after)
                .destinationKeyId(rsa.keyId()).destinationEncryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256));
        assertThat(toRsa.destinationEncryptionAlgorithm()).isEqualTo(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256);
        ReEncryptResponse back = kms.reEncrypt(r -> r.ciphertextBlob(toRsa.ciphertextBlob()).sourceKeyId(rsa.arn())
                .sourceEncryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256).destinationKeyId(from.keyId()));
        assertThat(back.sourceEncryptionAlgorithm()).isEqualTo(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256);
        assertThat(kms.decrypt(r -> r.ciphertextBlob(back.ciphertextBlob())).plaintext()).isEqualTo(MESSAGE);
        assertThatThrownBy(() -> kms.reEncrypt(r -> r.ciphertextBlob(sealed).sourceEncryptionContext(before)
                .destinationKeyId(create(KeySpec.HMAC_256, KeyUsageType.GENERATE_VERIFY_MAC).keyId())))
                .isInstanceOf(InvalidKeyUsageException.class);
    }

    @Test
    void aDataKeyWithoutPlaintextOpensThroughDecrypt() {
        KeyMetadata key = newKey("data key without plaintext");

        SdkBytes blob = kms.generateDataKeyWithoutPlaintext(r -> r.keyId(key.keyId()).numberOfBytes(24)
                .encryptionContext(Map.of("k", "v"))).ciphertextBlob();

        assertThat(kms.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(Map.of("k", "v"))).plaintext().asByteArray())
                .hasSize(24);
        assertThatThrownBy(() -> kms.generateDataKeyWithoutPlaintext(r -> r.keyId(
                create(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT).keyId()).numberOfBytes(32)))
                .isInstanceOf(InvalidKeyUsageException.class);
    }

    @Test
    void aDataKeyPairIsAWorkingPairWhosePrivateHalfOpensThroughDecrypt() throws Exception {
        KeyMetadata key = newKey("data key pairs");
        Map<String, String> context = Map.of("pair", "one");

        GenerateDataKeyPairResponse pair = kms.generateDataKeyPair(r -> r.keyId(key.keyId())
                .keyPairSpec(DataKeyPairSpec.ECC_NIST_P256).encryptionContext(context));
        PrivateKey privateKey = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(pair.privateKeyPlaintext().asByteArray()));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(MESSAGE.asByteArray());
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(pair.publicKey().asByteArray())));
        verifier.update(MESSAGE.asByteArray());

        assertThat(verifier.verify(signer.sign())).isTrue();
        assertThat(pair.keyId()).isEqualTo(key.arn());
        assertThat(pair.keyPairSpec()).isEqualTo(DataKeyPairSpec.ECC_NIST_P256);
        assertThat(kms.decrypt(r -> r.ciphertextBlob(pair.privateKeyCiphertextBlob()).encryptionContext(context)).plaintext())
                .isEqualTo(pair.privateKeyPlaintext());
        GenerateDataKeyPairWithoutPlaintextResponse withoutPlaintext = kms.generateDataKeyPairWithoutPlaintext(
                r -> r.keyId(key.keyId()).keyPairSpec(DataKeyPairSpec.RSA_2048));
        assertThat(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                kms.decrypt(r -> r.ciphertextBlob(withoutPlaintext.privateKeyCiphertextBlob())).plaintext().asByteArray())))
                .isNotNull();
        assertThatThrownBy(() -> kms.generateDataKeyPair(r -> r.keyId(key.keyId()).keyPairSpec(DataKeyPairSpec.SM2)))
                .isInstanceOf(software.amazon.awssdk.services.kms.model.UnsupportedOperationException.class);
        assertThatThrownBy(() -> kms.generateDataKeyPair(r -> r.keyId(create(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT)
                .keyId()).keyPairSpec(DataKeyPairSpec.RSA_2048))).isInstanceOf(InvalidKeyUsageException.class);
    }

    @Test
    void randomBytesComeInEveryLengthFromOneTo1024AndNoOther() {
        byte[] one = kms.generateRandom(r -> r.numberOfBytes(1)).plaintext().asByteArray();
        byte[] most = kms.generateRandom(r -> r.numberOfBytes(1024)).plaintext().asByteArray();
        byte[] again = kms.generateRandom(r -> r.numberOfBytes(1024)).plaintext().asByteArray();

        assertThat(one).hasSize(1);
        assertThat(most).hasSize(1024);
        assertThat(Arrays.equals(most, again)).isFalse();
        assertThatThrownBy(() -> kms.generateRandom(r -> r.numberOfBytes(0))).satisfies(isError("ValidationException"));
        assertThatThrownBy(() -> kms.generateRandom(r -> r.numberOfBytes(1025))).satisfies(isError("ValidationException"));
        assertThatThrownBy(() -> kms.generateRandom(r -> { })).satisfies(isError("ValidationException"));
    }

    private KeyMetadata create(KeySpec spec, KeyUsageType usage) {
        return kms.createKey(r -> r.keySpec(spec).keyUsage(usage)).keyMetadata();
    }

    private PublicKey publicKey(String keyId, String algorithm) throws Exception {
        byte[] der = kms.getPublicKey(r -> r.keyId(keyId)).publicKey().asByteArray();
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
    }

    /** The JDK's own verification, set up from the algorithm's name as a KMS user would. */
    private static boolean jdkVerifies(PublicKey key, SigningAlgorithmSpec algorithm, byte[] signature) throws Exception {
        String name = algorithm.toString();
        String hash = "SHA-" + name.substring(name.length() - 3);
        Signature verifier;
        if (name.startsWith("RSASSA_PSS")) {
            verifier = Signature.getInstance("RSASSA-PSS");
            verifier.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash),
                    Integer.parseInt(name.substring(name.length() - 3)) / 8, 1));
        } else {
            verifier = Signature.getInstance(hash.replace("-", "") + (name.startsWith("ECDSA") ? "withECDSA" : "withRSA"));
        }
        verifier.initVerify(key);
        verifier.update(MESSAGE.asByteArray());
        return verifier.verify(signature);
    }

    private static OAEPParameterSpec oaep(EncryptionAlgorithmSpec algorithm) {
        return algorithm == EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1
                ? new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT)
                : new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
    }

    private static java.util.function.Consumer<Throwable> isError(String code) {
        return e -> assertThat(e).isInstanceOfSatisfying(KmsException.class,
                kms -> assertThat(kms.awsErrorDetails().errorCode()).isEqualTo(code));
    }
}
