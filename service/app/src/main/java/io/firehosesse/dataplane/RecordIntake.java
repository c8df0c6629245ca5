package io.firehosesse.dataplane;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.api.deliverystream.DeliveryStreamStatus;
import io.firehosesse.api.deliverystream.StreamKey;
import io.firehosesse.deliverystream.DeliveryStreams;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accepts records: checks the stream, encrypts each record under the key in force (AES-256-GCM with a
 * KMS data key, the stream ARN and record id bound as additional data), and stores it durably before
 * the call is answered. The stream's row is read FOR SHARE, so a status change commits either wholly
 * before or wholly after a put: {@code Encrypted} says what happened to these very bytes.
 */
@Component
public class RecordIntake {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final DataPlaneStreams streams;
    private final DataKeys dataKeys;
    private final AwsOwnedKeys awsOwnedKeys;
    private final KeyHealthReports keyHealth;
    private final JdbcTemplate batch;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    RecordIntake(DataPlaneStreams streams, DataKeys dataKeys, AwsOwnedKeys awsOwnedKeys, KeyHealthReports keyHealth,
                 JdbcTemplate batch, Clock clock) {
        this.keyHealth = keyHealth;
        this.streams = streams;
        this.dataKeys = dataKeys;
        this.awsOwnedKeys = awsOwnedKeys;
        this.batch = batch;
        this.clock = clock;
    }

    /** What became of a request's records: their ids in order, and whether their stored bytes are encrypted. */
    public record Accepted(List<String> recordIds, boolean encrypted) {
    }

    @Transactional
    public Accepted accept(StreamKey key, List<byte[]> records) {
        DataPlaneStreams.Target target = streams.lockForPut(key).orElseThrow(() -> DeliveryStreams.notFound(key));
        if (!"DirectPut".equals(target.type())) {
            throw new FirehoseException(FirehoseErrorCode.InvalidArgumentException,
                    "This operation is not permitted on " + target.type() + " delivery stream type.");
        }
        if (target.status() != DeliveryStreamStatus.ACTIVE) {
            throw new FirehoseException(FirehoseErrorCode.ResourceNotFoundException, "Firehose " + key.name()
                    + " under account " + key.accountId() + " is not ACTIVE (it is " + target.status() + ").");
        }
        Instant now = clock.instant();
        DataKeys.DataKey dataKey = null;
        if (target.keyType() != null) {
            String keyArn = target.keyArn() != null ? target.keyArn() : awsOwnedKeys.arn(key.accountId(), key.region());
            try {
                dataKey = dataKeys.forRecords(key.accountId(), key.region(), keyArn, target.arn(), records.size(),
                        target.keyFault() != null);
            } catch (DataKeys.Refused refused) {
                keyHealth.refused(target, refused.error());
                throw refused;
            }
            keyHealth.served(target);
        }
        List<String> ids = new ArrayList<>(records.size());
        List<Object[]> rows = new ArrayList<>(records.size());
        Timestamp arrivedAt = Timestamp.from(now);
        for (byte[] data : records) {
            String recordId = UUID.randomUUID().toString();
            byte[] iv = null;
            byte[] stored = data;
            if (dataKey != null) {
                iv = new byte[IV_BYTES];
                random.nextBytes(iv);
                stored = seal(dataKey, iv, target.arn(), recordId, data);
            }
            rows.add(new Object[] {recordId, target.streamId(), arrivedAt, data.length, dataKey != null,
                    dataKey == null ? null : dataKey.keyArn(), dataKey == null ? null : dataKey.wrapped(), iv, stored});
            ids.add(recordId);
        }
        // One batched statement for the whole request: the driver rewrites it into multi-row inserts.
        batch.batchUpdate("""
                INSERT INTO record_buffer (record_id, stream_id, arrived_at, size_bytes, encrypted, key_arn,
                    wrapped_data_key, iv, data)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, rows);
        return new Accepted(ids, dataKey != null);
    }

    static byte[] additionalData(String streamArn, String recordId) {
        return (streamArn + "|" + recordId).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] seal(DataKeys.DataKey dataKey, byte[] iv, String streamArn, String recordId, byte[] data) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, dataKey.key(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(additionalData(streamArn, recordId));
            return cipher.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }
}
