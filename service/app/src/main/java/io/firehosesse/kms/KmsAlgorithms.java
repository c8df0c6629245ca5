package io.firehosesse.kms;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.Mac;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * The asymmetric and MAC algorithms of KMS mapped onto the JDK's providers (JCA only; no primitive of our own):
 * key pairs for RSA and EC specs, signatures, RSA-OAEP and HMAC. Keys travel as DER: PKCS#8 for private keys (stored
 * wrapped by the master key) and SubjectPublicKeyInfo for public keys, which is what GetPublicKey returns.
 */
final class KmsAlgorithms {

    private static final SecureRandom RANDOM = new SecureRandom();

    private KmsAlgorithms() {
    }

    /** A signing algorithm: its hash, and whether it is RSA-PSS, RSA PKCS #1 v1.5, ECDSA, Ed25519 (pure or pre-hashed) or ML-DSA. */
    enum Signing {
        RSASSA_PSS_SHA_256("SHA-256", Scheme.PSS), RSASSA_PSS_SHA_384("SHA-384", Scheme.PSS),
        RSASSA_PSS_SHA_512("SHA-512", Scheme.PSS),
        RSASSA_PKCS1_V1_5_SHA_256("SHA-256", Scheme.PKCS1), RSASSA_PKCS1_V1_5_SHA_384("SHA-384", Scheme.PKCS1),
        RSASSA_PKCS1_V1_5_SHA_512("SHA-512", Scheme.PKCS1),
        ECDSA_SHA_256("SHA-256", Scheme.ECDSA), ECDSA_SHA_384("SHA-384", Scheme.ECDSA), ECDSA_SHA_512("SHA-512", Scheme.ECDSA),
        ED25519_SHA_512("SHA-512", Scheme.ED25519), ED25519_PH_SHA_512("SHA-512", Scheme.ED25519_PH),
        ML_DSA_SHAKE_256("SHAKE-256", Scheme.ML_DSA);

        private enum Scheme { PSS, PKCS1, ECDSA, ED25519, ED25519_PH, ML_DSA }

        private final String hash;
        private final Scheme scheme;

        Signing(String hash, Scheme scheme) {
            this.hash = hash;
            this.scheme = scheme;
        }

        /** The length a DIGEST message must have. */
        int digestBytes() {
            return Integer.parseInt(hash.substring(4)) / 8;
        }

        boolean pss() {
            return scheme == Scheme.PSS;
        }

        /** A Signature over the whole message: the hash is part of the algorithm. */
        private Signature overMessage(KmsKeySpec spec) throws GeneralSecurityException {
            String jcaHash = hash.replace("-", "");
            return switch (scheme) {
                case PSS -> {
                    Signature signature = Signature.getInstance("RSASSA-PSS");
                    // KMS's PSS: MGF1 with the same hash, a salt as long as the hash, trailer field 1.
                    signature.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), digestBytes(),
                            PSSParameterSpec.TRAILER_FIELD_BC));
                    yield signature;
                }
                case PKCS1 -> Signature.getInstance(jcaHash + "withRSA");
                case ECDSA -> Providers.of(spec) == null ? Signature.getInstance(jcaHash + "withECDSA")
                        : Signature.getInstance(jcaHash + "withECDSA", Providers.of(spec));
                case ED25519 -> Signature.getInstance("Ed25519");
                case ML_DSA -> Signature.getInstance("ML-DSA", Providers.of(spec));
                case ED25519_PH -> {
                    // HashEdDSA (RFC 8032, Ed25519ph): the JDK hashes the message with SHA-512 itself.
                    Signature signature = Signature.getInstance("Ed25519");
                    signature.setParameter(new java.security.spec.EdDSAParameterSpec(true));
                    yield signature;
                }
            };
        }

        /**
         * A Signature over a digest already made (MessageType DIGEST), and the bytes to feed it. ECDSA signs the digest
         * as it is; PKCS #1 v1.5 signs the DER DigestInfo around it (RFC 8017, section 9.2). The JDK has no PSS over a
         * digest, so PSS callers are refused before this.
         */
        private Signature overDigest(KmsKeySpec spec) throws GeneralSecurityException {
            String name = scheme == Scheme.ECDSA ? "NONEwithECDSA" : "NONEwithRSA";
            return Providers.of(spec) == null ? Signature.getInstance(name) : Signature.getInstance(name, Providers.of(spec));
        }

        private byte[] digestInput(byte[] digest) {
            if (scheme == Scheme.ECDSA) {
                return digest;
            }
            byte[] prefix = HexFormat.of().parseHex(switch (hash) {
                case "SHA-256" -> "3031300d060960864801650304020105000420";
                case "SHA-384" -> "3041300d060960864801650304020205000430";
                default -> "3051300d060960864801650304020305000440";
            });
            return ByteBuffer.allocate(prefix.length + digest.length).put(prefix).put(digest).array();
        }
    }

    /** RSA-OAEP as KMS offers it: the named hash for both OAEP and MGF1, an empty label. */
    enum Encryption {
        RSAES_OAEP_SHA_1("SHA-1", MGF1ParameterSpec.SHA1), RSAES_OAEP_SHA_256("SHA-256", MGF1ParameterSpec.SHA256);

        private final String hash;
        private final MGF1ParameterSpec mgf1;

        Encryption(String hash, MGF1ParameterSpec mgf1) {
            this.hash = hash;
            this.mgf1 = mgf1;
        }

        /** The most plaintext one RSA block takes: k - 2 hLen - 2 (RFC 8017, section 7.1.1), as KMS's limits are. */
        int maxPlaintextBytes(int modulusBits) {
            int hashBytes = "SHA-1".equals(hash) ? 20 : 32;
            return modulusBits / 8 - 2 * hashBytes - 2;
        }

        private Cipher cipher(int mode, Key key) throws GeneralSecurityException {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(mode, key, new OAEPParameterSpec(hash, "MGF1", mgf1, PSource.PSpecified.DEFAULT));
            return cipher;
        }
    }

    /** A fresh key pair for an RSA or EC spec, as {@code [PKCS#8 private, SubjectPublicKeyInfo public]}. */
    static byte[][] generateKeyPair(KmsKeySpec spec) {
        try {
            KeyPairGenerator generator;
            if (spec.family() == KmsKeySpec.Family.RSA) {
                generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(spec.bits(), RANDOM);
            } else if (spec.family() == KmsKeySpec.Family.EDWARDS) {
                generator = KeyPairGenerator.getInstance(spec.curve());
            } else if (spec.family() == KmsKeySpec.Family.ML_DSA) {
                generator = KeyPairGenerator.getInstance(spec.curve(), Providers.of(spec));
            } else {
                generator = Providers.of(spec) == null ? KeyPairGenerator.getInstance("EC")
                        : KeyPairGenerator.getInstance("EC", Providers.of(spec));
                generator.initialize(new ECGenParameterSpec(spec.curve()), RANDOM);
            }
            KeyPair pair = generator.generateKeyPair();
            return new byte[][] {pair.getPrivate().getEncoded(), pair.getPublic().getEncoded()};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The Java runtime cannot make " + spec + " key pairs", e);
        }
    }

    static byte[] sign(KmsKeySpec spec, byte[] privateKey, Signing algorithm, byte[] message, boolean digest) {
        try {
            PrivateKey key = keyFactory(spec).generatePrivate(new PKCS8EncodedKeySpec(privateKey));
            Signature signature = digest ? algorithm.overDigest(spec) : algorithm.overMessage(spec);
            signature.initSign(key, RANDOM);
            signature.update(digest ? algorithm.digestInput(message) : message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Signing with " + algorithm + " failed", e);
        }
    }

    static boolean verify(KmsKeySpec spec, byte[] publicKey, Signing algorithm, byte[] message, boolean digest,
                          byte[] signatureBytes) {
        try {
            Signature signature = digest ? algorithm.overDigest(spec) : algorithm.overMessage(spec);
            signature.initVerify(publicKey(spec, publicKey));
            signature.update(digest ? algorithm.digestInput(message) : message);
            return signature.verify(signatureBytes);
        } catch (SignatureException malformed) {
            // A signature that is not even well formed (not DER for ECDSA, too long for RSA) is simply not valid.
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Verifying with " + algorithm + " failed", e);
        }
    }

    static byte[] encrypt(KmsKeySpec spec, byte[] publicKey, Encryption algorithm, byte[] plaintext) {
        try {
            return algorithm.cipher(Cipher.ENCRYPT_MODE, publicKey(spec, publicKey)).doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encrypting with " + algorithm + " failed", e);
        }
    }

    /** The plaintext, or InvalidCiphertextException for a ciphertext that does not open with this key and algorithm. */
    static byte[] decrypt(KmsKeySpec spec, byte[] privateKey, Encryption algorithm, byte[] ciphertext) {
        try {
            PrivateKey key = keyFactory(spec).generatePrivate(new PKCS8EncodedKeySpec(privateKey));
            return algorithm.cipher(Cipher.DECRYPT_MODE, key).doFinal(ciphertext);
        } catch (BadPaddingException | IllegalBlockSizeException wrongKeyAlgorithmOrBlob) {
            throw new KmsException("InvalidCiphertextException", null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Decrypting with " + algorithm + " failed", e);
        }
    }

    /**
     * ECDH with the key's private key and a peer's public key (DER SubjectPublicKeyInfo) on the same curve: the raw
     * shared secret, the x coordinate of the shared point, as KMS returns it. A peer key that does not parse, is not
     * an EC key, or lies on another curve is ValidationException.
     */
    static byte[] deriveSharedSecret(KmsKeySpec spec, byte[] privateKey, byte[] peerPublicKey) {
        java.security.interfaces.ECPublicKey peer;
        try {
            if (!(publicKey(spec, peerPublicKey) instanceof java.security.interfaces.ECPublicKey ec)) {
                throw notAPeerKey(spec);
            }
            peer = ec;
        } catch (GeneralSecurityException | IllegalArgumentException notDer) {
            throw notAPeerKey(spec);
        }
        try {
            java.security.interfaces.ECPrivateKey own = (java.security.interfaces.ECPrivateKey)
                    keyFactory(spec).generatePrivate(new PKCS8EncodedKeySpec(privateKey));
            if (!own.getParams().getCurve().equals(peer.getParams().getCurve())
                    || !own.getParams().getGenerator().equals(peer.getParams().getGenerator())) {
                throw notAPeerKey(spec);
            }
            javax.crypto.KeyAgreement agreement = javax.crypto.KeyAgreement.getInstance("ECDH");
            agreement.init(own);
            agreement.doPhase(peer, true);
            return agreement.generateSecret();
        } catch (java.security.InvalidKeyException notOnTheCurve) {
            // SunEC checks that the peer's point lies on the curve.
            throw notAPeerKey(spec);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDH with " + spec + " failed", e);
        }
    }

    private static KmsException notAPeerKey(KmsKeySpec spec) {
        return new KmsException("ValidationException", "PublicKey must be a DER-encoded X.509 public key"
                + " (SubjectPublicKeyInfo) on the curve of key spec " + spec + ".");
    }

    /** The RSA wrapping key pair of GetParametersForImport, as {@code [PKCS#8 private, SubjectPublicKeyInfo public]}. */
    static byte[][] generateWrappingKeyPair(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, RANDOM);
            KeyPair pair = generator.generateKeyPair();
            return new byte[][] {pair.getPrivate().getEncoded(), pair.getPublic().getEncoded()};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The Java runtime cannot make RSA-" + bits + " key pairs", e);
        }
    }

    /**
     * Opens key material wrapped for import. RSAES_OAEP_SHA_1/256: RSA-OAEP with that hash for OAEP and MGF1, no label.
     * RSA_AES_KEY_WRAP_SHA_1/256: an AES key under RSA-OAEP (as above), followed by the material under that AES key
     * with AES Key Wrap with Padding (RFC 5649), as KMS documents. Anything that does not open is
     * InvalidCiphertextException.
     */
    static byte[] unwrapImported(String wrappingAlgorithm, byte[] privateKeyDer, int modulusBits, byte[] wrapped) {
        try {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(privateKeyDer));
            String hash = wrappingAlgorithm.endsWith("SHA_1") ? "SHA-1" : "SHA-256";
            MGF1ParameterSpec mgf1 = hash.equals("SHA-1") ? MGF1ParameterSpec.SHA1 : MGF1ParameterSpec.SHA256;
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
            rsa.init(Cipher.DECRYPT_MODE, key, new OAEPParameterSpec(hash, "MGF1", mgf1, PSource.PSpecified.DEFAULT));
            if (wrappingAlgorithm.startsWith("RSAES_OAEP")) {
                return rsa.doFinal(wrapped);
            }
            int rsaBytes = modulusBits / 8;
            if (wrapped.length <= rsaBytes) {
                throw new KmsException("InvalidCiphertextException", null);
            }
            byte[] aesKey = rsa.doFinal(wrapped, 0, rsaBytes);
            Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding");
            kwp.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"));
            return kwp.doFinal(wrapped, rsaBytes, wrapped.length - rsaBytes);
        } catch (BadPaddingException | IllegalBlockSizeException | java.security.InvalidKeyException
                 | IllegalArgumentException doesNotOpen) {
            throw new KmsException("InvalidCiphertextException", null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Unwrapping imported key material with " + wrappingAlgorithm + " failed", e);
        }
    }

    /** HMAC_SHA_256 and the like: the JCA name is the same with the hash's digits. */
    static byte[] mac(String macAlgorithm, byte[] key, byte[] message) {
        String jcaName = "Hmac" + macAlgorithm.substring("HMAC_".length()).replace("_", "");
        try {
            Mac mac = Mac.getInstance(jcaName);
            mac.init(new SecretKeySpec(key, jcaName));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The Java runtime has no " + jcaName, e);
        }
    }

    /** Compares in constant time, so a MAC check does not tell how many leading bytes were right. */
    static boolean sameMac(byte[] expected, byte[] given) {
        return MessageDigest.isEqual(expected, given);
    }

    private static PublicKey publicKey(KmsKeySpec spec, byte[] der) throws GeneralSecurityException {
        return keyFactory(spec).generatePublic(new X509EncodedKeySpec(der));
    }

    private static KeyFactory keyFactory(KmsKeySpec spec) throws GeneralSecurityException {
        String algorithm = switch (spec.family()) {
            case RSA -> "RSA";
            case EDWARDS -> spec.curve();
            case ML_DSA -> "ML-DSA";
            default -> "EC";
        };
        return Providers.of(spec) == null ? KeyFactory.getInstance(algorithm) : KeyFactory.getInstance(algorithm, Providers.of(spec));
    }

    /**
     * Where a spec's JCA services come from: the JDK's own providers (null), except for secp256k1, which the JDK
     * dropped in JDK 16, and ML-DSA, which it has only from JDK 24: Bouncy Castle's provider serves those. That provider is made at the first use of such a key, and
     * passed by name to each call rather than installed, so nothing else in the JVM resolves to it.
     */
    private static final class Providers {

        static java.security.Provider of(KmsKeySpec spec) {
            return spec == KmsKeySpec.ECC_SECG_P256K1 || spec.family() == KmsKeySpec.Family.ML_DSA ? BouncyCastle.PROVIDER : null;
        }

        /** Loaded, with the provider's many classes, only when a secp256k1 key is first used. */
        private static final class BouncyCastle {
            static final java.security.Provider PROVIDER = new org.bouncycastle.jce.provider.BouncyCastleProvider();
        }
    }
}
