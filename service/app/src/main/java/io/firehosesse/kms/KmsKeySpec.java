package io.firehosesse.kms;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one table of what each KMS key spec is here: how its material is made, which key usages it takes, and the
 * algorithms KMS lists for each usage (in DescribeKey and GetPublicKey, and accepts in the cryptographic calls).
 * A spec this KMS cannot serve carries the reason it is refused at CreateKey.
 */
public enum KmsKeySpec {

    SYMMETRIC_DEFAULT(Family.SYMMETRIC, 256, Map.of(Usage.ENCRYPT_DECRYPT, List.of("SYMMETRIC_DEFAULT"))),
    RSA_2048(Family.RSA, 2048, rsaUsages()),
    RSA_3072(Family.RSA, 3072, rsaUsages()),
    RSA_4096(Family.RSA, 4096, rsaUsages()),
    ECC_NIST_P256(Family.EC, "secp256r1", eccUsages("ECDSA_SHA_256")),
    ECC_NIST_P384(Family.EC, "secp384r1", eccUsages("ECDSA_SHA_384")),
    ECC_NIST_P521(Family.EC, "secp521r1", eccUsages("ECDSA_SHA_512")),
    HMAC_224(Family.HMAC, 224, Map.of(Usage.GENERATE_VERIFY_MAC, List.of("HMAC_SHA_224"))),
    HMAC_256(Family.HMAC, 256, Map.of(Usage.GENERATE_VERIFY_MAC, List.of("HMAC_SHA_256"))),
    HMAC_384(Family.HMAC, 384, Map.of(Usage.GENERATE_VERIFY_MAC, List.of("HMAC_SHA_384"))),
    HMAC_512(Family.HMAC, 512, Map.of(Usage.GENERATE_VERIFY_MAC, List.of("HMAC_SHA_512"))),
    // Signing only, as on AWS (KEY_AGREEMENT is for the NIST curves). The JDK dropped secp256k1 in JDK 16: its keys
    // are made and used through Bouncy Castle's provider (KmsAlgorithms).
    ECC_SECG_P256K1(Family.EC, "secp256k1", Map.of(Usage.SIGN_VERIFY, List.of("ECDSA_SHA_256"))),
    // AWS offers SM2 only in its China Regions; this KMS serves none.
    SM2("KeySpec SM2 is available only in China Regions."),
    // FIPS 204 signatures, pure ML-DSA with an empty context, signing only; Bouncy Castle's provider (KmsAlgorithms),
    // since the JDK has ML-DSA only from JDK 24.
    ML_DSA_44(Family.ML_DSA, "ML-DSA-44", Map.of(Usage.SIGN_VERIFY, List.of("ML_DSA_SHAKE_256"))),
    ML_DSA_65(Family.ML_DSA, "ML-DSA-65", Map.of(Usage.SIGN_VERIFY, List.of("ML_DSA_SHAKE_256"))),
    ML_DSA_87(Family.ML_DSA, "ML-DSA-87", Map.of(Usage.SIGN_VERIFY, List.of("ML_DSA_SHAKE_256"))),
    // Ed25519 (RFC 8032), pure and pre-hashed, signing only, as on AWS.
    ECC_NIST_EDWARDS25519(Family.EDWARDS, "Ed25519",
            Map.of(Usage.SIGN_VERIFY, List.of("ED25519_SHA_512", "ED25519_PH_SHA_512")));

    /** How a spec's material is made and used. */
    public enum Family {
        SYMMETRIC, RSA, EC, EDWARDS, ML_DSA, HMAC, UNSUPPORTED;

        /** Whether keys of the family are key pairs: private material wrapped, a public key GetPublicKey returns. */
        public boolean asymmetric() {
            return this == RSA || this == EC || this == EDWARDS || this == ML_DSA;
        }
    }

    /** The key usages, named as KMS names them. */
    public enum Usage { ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC, KEY_AGREEMENT }

    private final Family family;
    private final int bits;
    private final String curve;
    private final Map<Usage, List<String>> algorithms;
    private final String refusal;

    KmsKeySpec(Family family, int bits, Map<Usage, List<String>> algorithms) {
        this(family, bits, null, algorithms, null);
    }

    KmsKeySpec(Family family, String curve, Map<Usage, List<String>> algorithms) {
        this(family, 0, curve, algorithms, null);
    }

    KmsKeySpec(String refusal) {
        this(Family.UNSUPPORTED, 0, null, Map.of(), refusal);
    }

    KmsKeySpec(Family family, int bits, String curve, Map<Usage, List<String>> algorithms, String refusal) {
        this.family = family;
        this.bits = bits;
        this.curve = curve;
        this.algorithms = algorithms;
        this.refusal = refusal;
    }

    private static Map<Usage, List<String>> rsaUsages() {
        return Map.of(Usage.ENCRYPT_DECRYPT, List.of("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"),
                Usage.SIGN_VERIFY, List.of("RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384",
                        "RSASSA_PKCS1_V1_5_SHA_512", "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512"));
    }

    private static Map<Usage, List<String>> eccUsages(String signing) {
        return Map.of(Usage.SIGN_VERIFY, List.of(signing), Usage.KEY_AGREEMENT, List.of("ECDH"));
    }

    /** The spec of a stored key, or empty for a name this table does not know. */
    public static Optional<KmsKeySpec> named(String name) {
        for (KmsKeySpec spec : values()) {
            if (spec.name().equals(name)) {
                return Optional.of(spec);
            }
        }
        return Optional.empty();
    }

    public Family family() {
        return family;
    }

    /** Key size in bits (RSA modulus, HMAC key, symmetric key); 0 for curves. */
    int bits() {
        return bits;
    }

    /** The JCA curve name for EC specs; the JCA algorithm name for Edwards (Ed25519) and ML-DSA (ML-DSA-44 ...) specs. */
    String curve() {
        return curve;
    }

    /** Why CreateKey refuses this spec, or null if it does not. */
    String refusal() {
        return refusal;
    }

    /** KMS's default usage for the spec when CreateKey names none. */
    Usage defaultUsage() {
        return switch (family) {
            case HMAC -> Usage.GENERATE_VERIFY_MAC;
            case EC, EDWARDS, ML_DSA -> Usage.SIGN_VERIFY;
            default -> Usage.ENCRYPT_DECRYPT;
        };
    }

    boolean allows(Usage usage) {
        return algorithms.containsKey(usage);
    }

    /** The algorithms the spec offers under the usage; empty if the pair is not allowed. */
    public List<String> algorithms(Usage usage) {
        return algorithms.getOrDefault(usage, List.of());
    }

    /**
     * The grant operations CreateGrant accepts for a key of this spec and usage, as KMS's grant-operations table
     * lists them: the ones every key takes, and those of its kind of key.
     */
    Set<String> grantOperations(String usageName) {
        Set<String> operations = new HashSet<>(Set.of("CreateGrant", "DescribeKey", "RetireGrant"));
        Usage usage = Usage.valueOf(usageName);
        if (family == Family.SYMMETRIC) {
            operations.addAll(Set.of("Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
                    "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo"));
        } else if (usage == Usage.ENCRYPT_DECRYPT) {
            operations.addAll(Set.of("Decrypt", "Encrypt", "ReEncryptFrom", "ReEncryptTo", "GetPublicKey"));
        } else if (usage == Usage.SIGN_VERIFY) {
            operations.addAll(Set.of("Sign", "Verify", "GetPublicKey"));
        } else if (usage == Usage.KEY_AGREEMENT) {
            operations.addAll(Set.of("DeriveSharedSecret", "GetPublicKey"));
        } else {
            operations.addAll(Set.of("GenerateMac", "VerifyMac"));
        }
        return operations;
    }

    /** The algorithms of a key of this spec and usage, as DescribeKey and GetPublicKey list them. */
    public Algorithms algorithmsFor(String usageName) {
        Usage usage = Usage.valueOf(usageName);
        List<String> offered = algorithms(usage).isEmpty() ? null : algorithms(usage);
        return new Algorithms(usage == Usage.ENCRYPT_DECRYPT ? offered : null, usage == Usage.SIGN_VERIFY ? offered : null,
                usage == Usage.GENERATE_VERIFY_MAC ? offered : null, usage == Usage.KEY_AGREEMENT ? offered : null);
    }

    /** Each list null where the key's usage is another, as KMS leaves those members out. */
    public record Algorithms(List<String> encryption, List<String> signing, List<String> mac, List<String> keyAgreement) {
    }
}
