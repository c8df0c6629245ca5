package io.firehosesse.kms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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

    private byte[] fromFile(Path file) {
        try {
            if (Files.exists(file)) {
                return Base64.getDecoder().decode(Files.readString(file).trim());
            }
            byte[] generated = new byte[32];
            random.nextBytes(generated);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(generated));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the file keeps the folder's permissions.
            }
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the KMS master key file " + file, e);
        }
    }

    byte[] wrap(byte[] material) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(material);
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot wrap key material", e);
        }
    }

    byte[] unwrap(byte[] wrapped) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, wrapped, 0, IV_BYTES));
            return cipher.doFinal(wrapped, IV_BYTES, wrapped.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Key material does not open with this master key", e);
        }
    }
}
