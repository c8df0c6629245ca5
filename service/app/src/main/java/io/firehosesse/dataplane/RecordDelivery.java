package io.firehosesse.dataplane;

import io.firehosesse.encryption.KmsKeys;
import io.firehosesse.encryption.KmsResult;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamViews;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers buffered records to each stream's S3 destination when its BufferingHints say so (size or
 * interval, AWS defaults 5 MiB / 300 s): records are decrypted, joined in arrival order and written as
 * one object named as Firehose names them, under {@code firehose.delivery.directory/<bucket>/}. Delivered
 * records leave the buffer in the same transaction (at-least-once, as Firehose). Records are claimed
 * with SKIP LOCKED, so several instances never deliver one record twice at once.
 */
@Component
public class RecordDelivery {

    private static final Logger log = LoggerFactory.getLogger(RecordDelivery.class);
    private static final DateTimeFormatter FOLDERS = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
    private static final long MIB = 1024L * 1024;

    private final JdbcClient jdbc;
    private final DeliveryStreamViews views;
    private final KmsKeys kms;
    private final Clock clock;
    private final DeliveryProperties properties;
    private final TransactionTemplate transactions;

    RecordDelivery(JdbcClient jdbc, DeliveryStreamViews views, KmsKeys kms, Clock clock, DeliveryProperties properties,
                   PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.views = views;
        this.kms = kms;
        this.clock = clock;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @Scheduled(fixedDelayString = "${firehose.delivery.poll-interval:1s}", initialDelayString = "${firehose.delivery.poll-interval:1s}")
    void deliverDue() {
        int dropped = jdbc.sql("DELETE FROM record_buffer WHERE arrived_at < :cutoff")
                .param("cutoff", Timestamp.from(clock.instant().minus(properties.retention()))).update();
        if (dropped > 0) {
            log.warn("Dropped {} records buffered longer than {} without delivery", dropped, properties.retention());
        }
        for (String streamId : jdbc.sql("SELECT DISTINCT stream_id FROM record_buffer").query(String.class).list()) {
            try {
                transactions.executeWithoutResult(tx -> deliver(streamId, false));
            } catch (RuntimeException e) {
                log.warn("Delivery for stream {} failed; its records stay buffered and are tried again: {}", streamId, e.toString());
            }
        }
    }

    /** Delivers everything the stream has buffered now, whatever its hints say (before its grant is retired). */
    public int flush(String streamId) {
        return deliver(streamId, true);
    }

    private record Buffered(String recordId, Instant arrivedAt, boolean encrypted, String keyArn, byte[] wrappedDataKey,
                            byte[] iv, byte[] data) {
    }

    private int deliver(String streamId, boolean force) {
        Optional<DeliveryStreamView> found = views.findById(streamId);
        if (found.isEmpty() || found.get().destinations().isEmpty()) {
            return 0; // the stream is gone: its records wait out the retention period
        }
        DeliveryStreamView stream = found.get();
        Map<String, Object> settings = stream.destinations().get(0).settings();
        if (!force && !due(streamId, settings)) {
            return 0;
        }
        List<Buffered> records = jdbc.sql("SELECT * FROM record_buffer WHERE stream_id = :stream"
                        + " ORDER BY arrival FOR UPDATE SKIP LOCKED")
                .param("stream", streamId)
                .query((rs, row) -> new Buffered(rs.getString("record_id"), rs.getTimestamp("arrived_at").toInstant(),
                        rs.getBoolean("encrypted"), rs.getString("key_arn"), rs.getBytes("wrapped_data_key"),
                        rs.getBytes("iv"), rs.getBytes("data")))
                .list();
        if (records.isEmpty()) {
            return 0;
        }
        ByteArrayOutputStream object = new ByteArrayOutputStream();
        Map<String, SecretKeySpec> dataKeys = new HashMap<>();
        for (Buffered record : records) {
            object.writeBytes(record.encrypted() ? open(stream, record, dataKeys) : record.data());
        }
        write(bucket(settings), objectKey(settings, stream, records.get(0).arrivedAt()), object.toByteArray());
        jdbc.sql("DELETE FROM record_buffer WHERE record_id IN (:ids)")
                .param("ids", records.stream().map(Buffered::recordId).toList()).update();
        return records.size();
    }

    private boolean due(String streamId, Map<String, Object> settings) {
        Map<?, ?> hints = settings.get("BufferingHints") instanceof Map<?, ?> given ? given : Map.of();
        long intervalSeconds = number(hints.get("IntervalInSeconds"), 300);
        long sizeBytes = number(hints.get("SizeInMBs"), 5) * MIB;
        Map<String, Object> buffer = jdbc.sql("SELECT min(arrived_at) AS oldest, coalesce(sum(size_bytes), 0) AS bytes"
                        + " FROM record_buffer WHERE stream_id = :stream")
                .param("stream", streamId).query().singleRow();
        Timestamp oldest = (Timestamp) buffer.get("oldest");
        return oldest != null && (((Number) buffer.get("bytes")).longValue() >= sizeBytes
                || !oldest.toInstant().plusSeconds(intervalSeconds).isAfter(clock.instant()));
    }

    private byte[] open(DeliveryStreamView stream, Buffered record, Map<String, SecretKeySpec> dataKeys) {
        SecretKeySpec key = dataKeys.computeIfAbsent(Base64.getEncoder().encodeToString(record.wrappedDataKey()), wrapped -> {
            KmsResult<byte[]> plain = kms.decrypt(new KmsKeys.OnBehalfOf(stream.accountId(), stream.region(), null),
                    record.wrappedDataKey(), Map.of(DataKeys.CONTEXT_KEY, stream.arn()));
            if (!plain.isOk()) {
                throw new IllegalStateException("KMS would not open the data key under " + record.keyArn() + ": "
                        + plain.error().name());
            }
            return new SecretKeySpec(plain.value(), "AES");
        });
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, record.iv()));
            cipher.updateAAD(RecordIntake.additionalData(stream.arn(), record.recordId()));
            return cipher.doFinal(record.data());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Record " + record.recordId() + " does not open with its data key", e);
        }
    }

    /** Firehose's object name: {@code <prefix>YYYY/MM/DD/HH/<stream>-<version>-YYYY-MM-DD-HH-MM-SS-<uuid>}. */
    static String objectKey(Map<String, Object> settings, DeliveryStreamView stream, Instant firstArrival) {
        String prefix = settings.get("Prefix") instanceof String given ? given : "";
        return prefix + FOLDERS.format(firstArrival) + stream.name() + "-" + stream.versionId() + "-"
                + STAMP.format(firstArrival) + "-" + UUID.randomUUID();
    }

    private static String bucket(Map<String, Object> settings) {
        String arn = String.valueOf(settings.get("BucketARN"));
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    private void write(String bucket, String key, byte[] content) {
        Path target = properties.directory().resolve(bucket).resolve(key).normalize();
        if (!target.startsWith(properties.directory().normalize())) {
            throw new IllegalStateException("Object key " + key + " leaves the delivery directory");
        }
        try {
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            Files.write(partial, content);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
    }

    private static long number(Object value, long otherwise) {
        return value instanceof Number n ? n.longValue() : otherwise;
    }
}
