package io.firehosesse.kms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Symmetric encryption under a KMS key: AES-256-GCM with the encryption context bound as additional
 * authenticated data. A ciphertext blob is {@code version(1) | keyId(36, ASCII) | iv(12) | sealed},
 * so Decrypt finds the key without being told, and a blob altered or opened with another context
 * fails as InvalidCiphertextException.
 */
final class KmsCrypto {

    private static final byte VERSION = 1;
    private static final int KEY_ID_BYTES = 36;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private KmsCrypto() {
    }

    static byte[] encrypt(String keyId, byte[] keyMaterial, byte[] plaintext, Map<String, String> context) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyMaterial, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(keyId, context));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + KEY_ID_BYTES + IV_BYTES + sealed.length)
                    .put(VERSION).put(keyId.getBytes(StandardCharsets.US_ASCII)).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** The key id a blob was made under, or InvalidCiphertextException if it is no blob of ours. */
    static String keyIdOf(byte[] blob) {
        if (blob == null || blob.length < 1 + KEY_ID_BYTES + IV_BYTES + TAG_BITS / 8 || blob[0] != VERSION) {
            throw invalidCiphertext();
        }
        return new String(blob, 1, KEY_ID_BYTES, StandardCharsets.US_ASCII);
    }

    static byte[] decrypt(byte[] blob, byte[] keyMaterial, Map<String, String> context) {
        String keyId = keyIdOf(blob);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyMaterial, "AES"),
                    new GCMParameterSpec(TAG_BITS, blob, 1 + KEY_ID_BYTES, IV_BYTES));
            cipher.updateAAD(aad(keyId, context));
            int offset = 1 + KEY_ID_BYTES + IV_BYTES;
            return cipher.doFinal(blob, offset, blob.length - offset);
        } catch (AEADBadTagException wrongContextOrTampered) {
            throw invalidCiphertext();
        } catch (GeneralSecurityException e) {
            throw invalidCiphertext();
        }
    }

    private static byte[] aad(String keyId, Map<String, String> context) {
        try {
            String canonical = JSON.writeValueAsString(new TreeMap<>(context == null ? Map.of() : context));
            return (keyId + "|" + canonical).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KmsException invalidCiphertext() {
        // KMS says nothing more, so that a failed decryption reveals nothing about why.
        return new KmsException("InvalidCiphertextException", null);
    }
}
