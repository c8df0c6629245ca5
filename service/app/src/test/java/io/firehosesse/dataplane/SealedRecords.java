package io.firehosesse.dataplane;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Opens buffered records as a reader with KMS Decrypt rights would: the wrapped data key stored with
 * the record, unwrapped by KMS under the stream ARN's encryption context, then AES-GCM with the
 * stream ARN and RecordId as additional data. Each data key is unwrapped once, as records share them.
 */
final class SealedRecords {

    private final KmsClient kms;
    private final String streamArn;
    private final Map<String, SecretKeySpec> dataKeys = new HashMap<>();

    SealedRecords(KmsClient kms, String streamArn) {
        this.kms = kms;
        this.streamArn = streamArn;
    }

    byte[] open(BufferedRecord record) {
        SecretKeySpec key = dataKeys.computeIfAbsent(Base64.getEncoder().encodeToString(record.wrappedDataKey()),
                wrapped -> new SecretKeySpec(kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(record.wrappedDataKey()))
                        .encryptionContext(Map.of("aws:firehose:arn", streamArn))).plaintext().asByteArray(), "AES"));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, record.iv()));
            cipher.updateAAD((streamArn + "|" + record.recordId()).getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(record.data());
        } catch (GeneralSecurityException e) {
            throw new AssertionError("Record " + record.recordId() + " does not open with its own data key", e);
        }
    }

    int dataKeysUsed() {
        return dataKeys.size();
    }
}
