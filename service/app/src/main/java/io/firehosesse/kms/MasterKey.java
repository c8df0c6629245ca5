package io.firehosesse.kms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Wraps key material before it reaches the database and unwraps it on use (AES-256-GCM, a fresh
 * 96-bit IV per wrap, stored in front of the ciphertext). The key itself is never logged.
 */
@Component
class MasterKey {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    MasterKey(KmsProperties properties) {
        this.key = new SecretKeySpec(load(properties), "AES");
    }

    private byte[] load(KmsProperties properties) {
        byte[] bytes = properties.masterKey().isBlank()
                ? fromFile(properties.masterKeyFile())
                : Base64.getDecoder().decode(properties.masterKey().trim());
        if (bytes.length != 32) {
            throw new IllegalStateException("The KMS master key must be 32 bytes (base64 of 32 bytes)");
        }
        return bytes;
    }

    /**
     * Reads the key file, or creates it with a random key. Several instances sharing the file may start at the same
     * moment: the key is written to a file of this instance's own and then linked into place, which succeeds for
     * exactly one of them; the others read the winner's key. Were each to write its own, all but the last would wrap
     * keys with a master key nobody else has.
     */
    private byte[] fromFile(Path file) {
        try {
            if (Files.exists(file)) {
                return read(file);
            }
            byte[] generated = new byte[32];
            random.nextBytes(generated);
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path mine = Files.createTempFile(parent, file.getFileName().toString(), ".new");
            try {
                try {
                    Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // Windows: the file keeps the folder's permissions.
                }
                Files.writeString(mine, Base64.getEncoder().encodeToString(generated));
                try {
                    Files.createLink(file, mine);
                } catch (FileAlreadyExistsException another) {
                    return read(file);
                } catch (UnsupportedOperationException noHardLinks) {
                    Files.move(mine, file);
                }
                return generated;
            } finally {
                Files.deleteIfExists(mine);
            }
        } catch (FileAlreadyExistsException another) {
            return readQuietly(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the KMS master key file " + file, e);
        }
    }

    private static byte[] read(Path file) throws IOException {
        return Base64.getDecoder().decode(Files.readString(file).trim());
    }

    private static byte[] readQuietly(Path file) {
        try {
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the KMS master key file " + file, e);
        }
    }

    /**
     * Seals a key's material (or the private half of its import wrapping key) bound to the key's id as associated data:
     * material copied into another key's row does not open there, so a row cannot be given another key's material.
     * A multi-Region key's replicas share the id, and so the wrap.
     */
    byte[] wrap(byte[] material, String keyId) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(boundTo(keyId));
            byte[] sealed = cipher.doFinal(material);
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot wrap key material", e);
        }
    }

    private static byte[] boundTo(String keyId) {
        return ("firehose-sse kms key " + keyId).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * A keyed digest of key material (HMAC-SHA-256 under a key derived from the master key for this one purpose), so
     * the KMS can recognise material imported again without keeping it, and without the digest telling anyone else
     * anything about the material.
     */
    String fingerprint(byte[] material) {
        try {
            javax.crypto.Mac derive = javax.crypto.Mac.getInstance("HmacSHA256");
            derive.init(key);
            byte[] purposeKey = derive.doFinal("firehose-sse kms imported key material id".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(purposeKey, "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(material));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot digest key material", e);
        }
    }

    /**
     * Opens what {@link #wrap} sealed for {@code keyId}. Material stored by versions before wraps were bound to their
     * key carries no associated data and opens as it was written; everything wrapped since is bound.
     */
    byte[] unwrap(byte[] wrapped, String keyId) {
        try {
            return open(wrapped, boundTo(keyId));
        } catch (javax.crypto.AEADBadTagException notBoundToThisKey) {
            try {
                return open(wrapped, null);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Key material of " + keyId + " does not open with this master key", e);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Key material of " + keyId + " does not open with this master key", e);
        }
    }

    private byte[] open(byte[] wrapped, byte[] associatedData) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, wrapped, 0, IV_BYTES));
        if (associatedData != null) {
            cipher.updateAAD(associatedData);
        }
        return cipher.doFinal(wrapped, IV_BYTES, wrapped.length - IV_BYTES);
    }
}
