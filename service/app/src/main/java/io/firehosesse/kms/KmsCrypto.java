package io.firehosesse.kms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Symmetric encryption under a KMS key: AES-256-GCM with the encryption context bound as additional
 * authenticated data. A ciphertext blob is {@code 1 | keyId(36, ASCII) | iv(12) | sealed} under a key's first
 * material, or {@code 2 | keyId(36, ASCII) | materialId(32) | iv(12) | sealed} under material a rotation added,
 * so Decrypt finds the key and its material without being told, blobs made before rotation existed (and those
 * of keys never rotated, which are still made in the first form) open as before, and a blob altered or opened
 * with another context fails as InvalidCiphertextException.
 */
final class KmsCrypto {

    private static final byte FIRST_MATERIAL = 1;
    private static final byte ROTATED_MATERIAL = 2;
    private static final int KEY_ID_BYTES = 36;
    /** A material id is 64 hex digits, as KMS's KeyMaterialId; the blob carries its 32 bytes. */
    private static final int MATERIAL_ID_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private KmsCrypto() {
    }

    /** {@code materialId} null seals under the key's first material. */
    static byte[] encrypt(String keyId, String materialId, byte[] keyMaterial, byte[] plaintext,
                          Map<String, String> context) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyMaterial, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(keyId, context));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] material = materialId == null ? new byte[0] : HexFormat.of().parseHex(materialId);
            return ByteBuffer.allocate(1 + KEY_ID_BYTES + material.length + IV_BYTES + sealed.length)
                    .put(materialId == null ? FIRST_MATERIAL : ROTATED_MATERIAL)
                    .put(keyId.getBytes(StandardCharsets.US_ASCII)).put(material).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** The key id a blob was made under, or InvalidCiphertextException if it is no blob of ours. */
    static String keyIdOf(byte[] blob) {
        ivOffset(blob);
        return new String(blob, 1, KEY_ID_BYTES, StandardCharsets.US_ASCII);
    }

    /** The id of the rotated material a blob was sealed with, or null for the key's first material. */
    static String materialIdOf(byte[] blob) {
        int ivOffset = ivOffset(blob);
        return ivOffset == 1 + KEY_ID_BYTES ? null
                : HexFormat.of().formatHex(blob, 1 + KEY_ID_BYTES, 1 + KEY_ID_BYTES + MATERIAL_ID_BYTES);
    }

    /** Where the iv starts, after the header of the blob's version; InvalidCiphertextException if it is no blob of ours. */
    private static int ivOffset(byte[] blob) {
        if (blob == null || blob.length < 1) {
            throw invalidCiphertext();
        }
        int header = switch (blob[0]) {
            case FIRST_MATERIAL -> 1 + KEY_ID_BYTES;
            case ROTATED_MATERIAL -> 1 + KEY_ID_BYTES + MATERIAL_ID_BYTES;
            default -> throw invalidCiphertext();
        };
        if (blob.length < header + IV_BYTES + TAG_BITS / 8) {
            throw invalidCiphertext();
        }
        return header;
    }

    static byte[] decrypt(byte[] blob, byte[] keyMaterial, Map<String, String> context) {
        String keyId = keyIdOf(blob);
        int ivOffset = ivOffset(blob);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyMaterial, "AES"),
                    new GCMParameterSpec(TAG_BITS, blob, ivOffset, IV_BYTES));
            cipher.updateAAD(aad(keyId, context));
            int offset = ivOffset + IV_BYTES;
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
