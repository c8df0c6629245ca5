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
import java.util.Objects;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import io.firehosesse.platform.CallTransaction;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts records: checks the stream, encrypts each record under the key in force (AES-256-GCM with a
 * KMS data key, the stream ARN and record id bound as additional data), and stores it durably before
 * the call is answered. The stream's row is read FOR SHARE, so a status change commits either wholly
 * before or wholly after a put: {@code Encrypted} says what happened to these very bytes.
 *
 * <p>The data key is got before the transaction begins: a slow or unreachable KMS then holds neither a
 * pooled connection nor the stream's row lock (when it did, puts waiting on a hung KMS emptied the pool
 * for every other caller). Under the lock the key in force is read again; when a Start or Stop committed
 * in between, the put starts over with the key now in force.
 */
@Component
public class RecordIntake {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    /**
     * Key changes are limited ({@link io.firehosesse.api.deliverystream.EncryptionRules#START_STOP_CALLS_PER_WINDOW}
     * a day per stream); a put that sees this many in a row gives up.
     */
    private static final int KEY_CHANGE_ROUNDS = 3;

    private final DataPlaneStreams streams;
    private final DataKeys dataKeys;
    private final AwsOwnedKeys awsOwnedKeys;
    private final KeyHealthReports keyHealth;
    private final JdbcTemplate batch;
    private final TransactionTemplate transactions;
    private final CallTransaction calls;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    RecordIntake(DataPlaneStreams streams, DataKeys dataKeys, AwsOwnedKeys awsOwnedKeys, KeyHealthReports keyHealth,
                 JdbcTemplate batch, PlatformTransactionManager transactionManager, CallTransaction calls, Clock clock) {
        this.keyHealth = keyHealth;
        this.streams = streams;
        this.dataKeys = dataKeys;
        this.awsOwnedKeys = awsOwnedKeys;
        this.batch = batch;
        this.transactions = new TransactionTemplate(transactionManager);
        this.calls = calls;
        this.clock = clock;
    }

    /** What became of a request's records: their ids in order, and whether their stored bytes are encrypted. */
    public record Accepted(List<String> recordIds, boolean encrypted) {
    }

    /** A put's transaction: the records stored, or the stream as found under the lock when its key had changed. */
    private record Stored(Accepted accepted, DataPlaneStreams.Target changed) {
    }

    public Accepted accept(StreamKey key, List<byte[]> records) {
        // The preparation runs outside any transaction the caller holds as well (one that would take a connection
        // at its first statement and keep it while KMS answers); the records' own transaction joins the caller's.
        DataPlaneStreams.Target seen = calls.outside(() -> streams.find(key))
                .orElseThrow(() -> DeliveryStreams.notFound(key));
        for (int round = 1; ; round++) {
            requireWritable(key, seen);
            DataPlaneStreams.Target prepared = seen;
            Prepared got = calls.outside(() -> dataKeyFor(key, prepared, records.size()));
            DataPlaneStreams.Target changed = got.changed();
            if (changed == null) {
                DataPlaneStreams.Target expected = seen;
                Stored stored = transactions.execute(status -> store(key, expected, got.dataKey(), records));
                if (stored.accepted() != null) {
                    return stored.accepted();
                }
                changed = stored.changed();
            }
            if (round == KEY_CHANGE_ROUNDS) {
                throw new FirehoseException(FirehoseErrorCode.ServiceUnavailableException, "The encryption of Firehose "
                        + key.name() + " changed while the records were being stored. Retry the request.");
            }
            seen = changed;
        }
    }

    /** A data key for the stream as it was seen (null: not encrypted), or the stream as it is now when that changed. */
    private record Prepared(DataKeys.DataKey dataKey, DataPlaneStreams.Target changed) {
    }

    private Prepared dataKeyFor(StreamKey key, DataPlaneStreams.Target target, int records) {
        if (target.keyType() == null) {
            return new Prepared(null, null);
        }
        String keyArn = target.keyArn() != null ? target.keyArn() : awsOwnedKeys.arn(key.accountId(), key.region());
        DataKeys.DataKey dataKey;
        try {
            dataKey = dataKeys.forRecords(key.accountId(), key.region(), keyArn, target.arn(), target.throughGrant(),
                    records, target.keyFault() != null);
        } catch (DataKeys.Refused refused) {
            // Refused through the grant because Firehose itself retired it (a Stop or key change committed since the
            // stream was read)? Then the put goes round again with the stream as it is now, never failing for that.
            DataPlaneStreams.Target now = target.throughGrant() ? streams.find(key).orElse(target) : target;
            if (!Objects.equals(now.keyArn(), target.keyArn()) || !Objects.equals(now.keyType(), target.keyType())
                    || now.throughGrant() != target.throughGrant()) {
                return new Prepared(null, now);
            }
            keyHealth.refused(target, refused.error());
            throw refused;
        }
        keyHealth.served(target);
        return new Prepared(dataKey, null);
    }

    private Stored store(StreamKey key, DataPlaneStreams.Target expected, DataKeys.DataKey dataKey, List<byte[]> records) {
        DataPlaneStreams.Target target = streams.lockForPut(key).orElseThrow(() -> DeliveryStreams.notFound(key));
        if (!Objects.equals(target.keyType(), expected.keyType()) || !Objects.equals(target.keyArn(), expected.keyArn())) {
            return new Stored(null, target);
        }
        requireWritable(key, target);
        Instant now = clock.instant();
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
        return new Stored(new Accepted(ids, dataKey != null), null);
    }

    private static void requireWritable(StreamKey key, DataPlaneStreams.Target target) {
        if (!"DirectPut".equals(target.type())) {
            throw new FirehoseException(FirehoseErrorCode.InvalidArgumentException,
                    "This operation is not permitted on " + target.type() + " delivery stream type.");
        }
        if (target.status() != DeliveryStreamStatus.ACTIVE) {
            throw new FirehoseException(FirehoseErrorCode.ResourceNotFoundException, "Firehose " + key.name()
                    + " under account " + key.accountId() + " is not ACTIVE (it is " + target.status() + ").");
        }
    }

    static byte[] additionalData(String streamArn, String recordId) {
        return (streamArn + "|" + recordId).getBytes(StandardCharsets.UTF_8);
    }

    /** Cipher.getInstance looks the provider up each time, a tenth of a batch's CPU; a thread re-initialises its own. */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    });

    private static byte[] seal(DataKeys.DataKey dataKey, byte[] iv, String streamArn, String recordId, byte[] data) {
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, dataKey.key(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(additionalData(streamArn, recordId));
            return cipher.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }
}
