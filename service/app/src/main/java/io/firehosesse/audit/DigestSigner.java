package io.firehosesse.audit;

/**
 * Signs audit digests with a private key kept out of the database's reach (the embedded KMS's, implemented in
 * {@code kms}, above this package). Whoever can write to PostgreSQL can rewrite the trail and its chain, but cannot
 * sign a digest for it: the private key is stored only wrapped by the KMS master key, which is not in the database.
 */
public interface DigestSigner {

    /** A signature and the key that made it. */
    record Signed(String keyId, String signingAlgorithm, byte[] signature) {
    }

    /** Signs a SHA-256 digest (32 bytes) with {@code ECDSA_SHA_256}. */
    Signed sign(byte[] sha256);

    /** The signing key's public half, DER {@code SubjectPublicKeyInfo}, as {@code GetPublicKey} returns it. */
    byte[] publicKey();
}
