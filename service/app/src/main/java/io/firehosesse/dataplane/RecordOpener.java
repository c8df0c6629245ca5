package io.firehosesse.dataplane;

import io.firehosesse.encryption.FirehoseGrant;
import io.firehosesse.encryption.KmsKeys;
import io.firehosesse.encryption.KmsResult;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Opens stored records: the wrapped data key is unwrapped by KMS (once per key within one {@link Session}),
 * then the record is decrypted with AES-GCM, its stream ARN and record id checked as additional data.
 * Data keys are opened by Firehose for the stream's account, not through the stream's grant: a record accepted while
 * the grant was there is delivered even if the grant is revoked before its buffer is, since an acknowledged record is
 * never lost (Firehose's own Stop and key change deliver the buffer before retiring the grant anyway).
 */
@Component
class RecordOpener {

    private final KmsKeys kms;

    RecordOpener(KmsKeys kms) {
        this.kms = kms;
    }

    /** A stored record as sealed by {@link RecordIntake}. */
    record Sealed(String recordId, String keyArn, byte[] wrappedDataKey, byte[] iv, byte[] data) {
    }

    /** Opens the records of one stream, asking KMS once for each data key. */
    Session session(String accountId, String region, String streamArn) {
        return new Session(accountId, region, streamArn);
    }

    final class Session {

        private final String accountId;
        private final String region;
        private final String streamArn;
        private final Map<String, SecretKeySpec> keys = new java.util.HashMap<>();

        private Session(String accountId, String region, String streamArn) {
            this.accountId = accountId;
            this.region = region;
            this.streamArn = streamArn;
        }

        byte[] open(Sealed record) {
            SecretKeySpec key = keys.computeIfAbsent(Base64.getEncoder().encodeToString(record.wrappedDataKey()), wrapped -> {
                KmsResult<byte[]> plain = kms.decrypt(new KmsKeys.OnBehalfOf(accountId, region, null), record.wrappedDataKey(),
                        FirehoseGrant.context(streamArn));
                if (!plain.isOk()) {
                    throw new IllegalStateException("KMS would not open the data key under " + record.keyArn() + ": "
                            + plain.error().name());
                }
                return new SecretKeySpec(plain.value(), "AES");
            });
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, record.iv()));
                cipher.updateAAD(RecordIntake.additionalData(streamArn, record.recordId()));
                return cipher.doFinal(record.data());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Record " + record.recordId() + " does not open with its data key", e);
            }
        }
    }
}
