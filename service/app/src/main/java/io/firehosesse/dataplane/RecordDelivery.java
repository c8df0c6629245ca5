package io.firehosesse.dataplane;

import io.firehosesse.platform.CallCommitListener;
import io.firehosesse.platform.ServiceReset;
import io.firehosesse.platform.TransactionLocks;
import io.firehosesse.encryption.PendingRecords;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.DestinationKind;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamViews;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers buffered records to each stream's destination when its BufferingHints say so (size or interval, AWS
 * defaults 5 MiB / 300 s), in batches of at most the hinted size, decrypted, in arrival order. An S3 destination gets
 * each batch as one object named as Firehose names them. A destination reached over the network (a
 * {@link DestinationEndpoint}: HTTP endpoint, Splunk, OpenSearch) gets each batch as one request; while it fails, the
 * same batch is tried again under the same request id until the destination's retry duration has passed since the
 * first failure (or at once, if it cannot be reached at all), and then goes to the S3 backup (its S3 configuration's
 * bucket, under the error prefix). With an "All..." backup mode every delivered batch is written to that bucket too.
 * Any other type (Redshift, Snowflake, Iceberg) is not loaded here: its records go to its S3 configuration's bucket,
 * as the objects that destination's S3
 * stage or backup would hold, buffered by that destination's own hints. A delivered (or backed-up) record leaves the
 * buffer in the transaction that sent it (at-least-once, as Firehose) and is remembered, without its contents, with
 * the object or endpoint it went to. One deliverer at a time per stream, whichever instance or thread it runs on
 * (the scheduler's sweep, a test's or a flush): two at once would each lock part of the same records and split
 * what arrived together over two objects, out of order. A destination that fails is tried again after a
 * doubling wait.
 *
 * <p>The sweep looks at the buffer each {@code poll-interval} only while it holds records or a call has committed
 * since the last look (puts are calls; {@link CallCommitListener} hears of them here and on the other instances). An
 * empty buffer and no calls cost no statement, but for a look every {@link #IDLE_LOOK_INTERVAL}, for records an
 * instance that died had buffered.
 */
@Component
public class RecordDelivery implements PendingRecords, ServiceReset.Participant, CallCommitListener {

    /** How often an idle sweep looks at the buffer anyway. */
    static final Duration IDLE_LOOK_INTERVAL = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(RecordDelivery.class);
    private static final DateTimeFormatter FOLDERS = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
    private static final long MIB = 1024L * 1024;

    private final JdbcClient jdbc;
    private final DeliveryStreamViews views;
    private final RecordOpener opener;
    private final ObjectStore objects;
    private final Clock clock;
    private final DeliveryProperties properties;
    private final TransactionTemplate transactions;
    private final TransactionLocks locks;
    private final Counter dropped;
    private final Counter delivered;
    private final Counter backedUp;
    private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();
    private final Map<DestinationKind, DestinationEndpoint> endpoints = new EnumMap<>(DestinationKind.class);
    private final Map<String, FailedBatch> failedBatches = new ConcurrentHashMap<>();
    /** A call committed, or the last sweep left records buffered: the next tick sweeps. */
    private final AtomicBoolean wanted = new AtomicBoolean(true);
    private volatile Instant lastSweep = Instant.MIN;

    RecordDelivery(JdbcClient jdbc, DeliveryStreamViews views, RecordOpener opener, ObjectStore objects, Clock clock,
                   DeliveryProperties properties, PlatformTransactionManager transactionManager, TransactionLocks locks,
                   MeterRegistry meters, List<DestinationEndpoint> endpoints) {
        this.jdbc = jdbc;
        this.views = views;
        this.opener = opener;
        this.objects = objects;
        this.clock = clock;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
        this.locks = locks;
        this.dropped = Counter.builder("firehose.records.dropped")
                .description("Records dropped because they could not be delivered within the retention period")
                .register(meters);
        this.delivered = Counter.builder("firehose.records.delivered").description("Records delivered to a destination")
                .register(meters);
        this.backedUp = Counter.builder("firehose.records.backed-up")
                .description("Records written to the S3 backup because their destination failed for its retry duration")
                .register(meters);
        for (DestinationEndpoint endpoint : endpoints) {
            endpoint.kinds().forEach(kind -> this.endpoints.put(kind, endpoint));
        }
    }

    private record Backoff(int failures, Instant nextAttempt) {
    }

    /**
     * A stream's batch its endpoint has refused: tried again as the same records under the same request id, until
     * {@code firstFailure} plus the retry duration. Kept in memory: after a restart, or on another instance, the batch
     * starts a new retry window under a new request id (records are never lost, at worst sent once more).
     */
    private record FailedBatch(String requestId, Set<String> recordIds, Instant firstFailure, int attempts) {
    }

    /** An endpoint refused a batch within its retry duration: the records stay buffered, the stream backs off. */
    static final class DestinationFailed extends RuntimeException {

        DestinationFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public void callCommitted() {
        wanted.set(true);
    }

    /** Each poll interval: a sweep if records may be buffered, else one now and then. */
    @Scheduled(fixedDelayString = "${firehose.delivery.poll-interval:1s}", initialDelayString = "${firehose.delivery.poll-interval:1s}")
    void tick() {
        if (wanted.getAndSet(false)
                || Duration.between(lastSweep, clock.instant()).compareTo(IDLE_LOOK_INTERVAL) >= 0) {
            deliverDue();
        }
    }

    void deliverDue() {
        // One reading of the clock for the whole run: what is dropped as expired and what is due are judged at the
        // same instant, so a run that spans a clock change never delivers a record it should have dropped.
        Instant now = clock.instant();
        lastSweep = now;
        dropExpired(now);
        List<String> buffered = jdbc.sql("SELECT DISTINCT stream_id FROM record_buffer").query(String.class).list();
        if (!buffered.isEmpty()) {
            // Records wait (for their interval, or a backoff): look again at the next tick.
            wanted.set(true);
        }
        for (String streamId : buffered) {
            Backoff backoff = backoffs.get(streamId);
            if (backoff != null && now.isBefore(backoff.nextAttempt())) {
                continue;
            }
            try {
                deliver(streamId, false, now);
                backoffs.remove(streamId);
            } catch (RuntimeException e) {
                int failures = backoff == null ? 1 : backoff.failures() + 1;
                Duration wait = waitAfter(failures);
                backoffs.put(streamId, new Backoff(failures, now.plus(wait)));
                log.warn("Delivery for stream {} failed ({} in a row); its records stay buffered, next try in {}: {}",
                        streamId, failures, wait, e.toString());
            }
        }
    }

    /** The streams whose last delivery failed, each with how many times in a row: for the health endpoint. */
    Map<String, Integer> failingStreams() {
        Map<String, Integer> failing = new java.util.TreeMap<>();
        backoffs.forEach((stream, backoff) -> failing.put(stream, backoff.failures()));
        return failing;
    }

    /** Delivers everything the stream has buffered now, whatever its hints say (before its grant is retired). */
    @Override
    public int flush(String streamId) {
        return deliver(streamId, true, clock.instant());
    }

    Duration waitAfter(int failures) {
        Duration wait = properties.pollInterval().multipliedBy(1L << Math.min(failures, 20));
        return wait.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : wait;
    }

    private void dropExpired(Instant now) {
        Timestamp cutoff = Timestamp.from(now.minus(properties.retention()));
        List<Map<String, Object>> gone = jdbc.sql("""
                        WITH gone AS (DELETE FROM record_buffer WHERE arrived_at < :cutoff RETURNING stream_id)
                        SELECT stream_id, count(*) AS records FROM gone GROUP BY stream_id
                        """)
                .param("cutoff", cutoff).query().listOfRows();
        for (Map<String, Object> stream : gone) {
            long records = ((Number) stream.get("records")).longValue();
            dropped.increment(records);
            log.warn("Dropped {} records of stream {} not delivered within {}", records, stream.get("stream_id"),
                    properties.retention());
        }
        jdbc.sql("DELETE FROM delivered_record WHERE delivered_at < :cutoff").param("cutoff", cutoff).update();
    }

    private record Buffered(String recordId, Instant arrivedAt, int size, boolean encrypted, String keyArn,
                            byte[] wrappedDataKey, byte[] iv, byte[] data) {
    }

    private int deliver(String streamId, boolean force, Instant now) {
        Optional<DeliveryStreamView> found = views.findById(streamId);
        if (found.isEmpty() || found.get().destinations().isEmpty()) {
            return 0; // the stream is gone: its records wait out the retention period
        }
        DeliveryStreamView stream = found.get();
        Destination destination = stream.destinations().get(0);
        // Every type is delivered to its S3 configuration's bucket (for S3, itself): see docs/data-plane.md.
        Map<String, Object> settings = destination.s3Settings();
        if (!(settings.get("BucketARN") instanceof String)) {
            return 0; // no bucket to write to: the records wait out the retention period
        }
        Map<?, ?> hints = bufferingHints(destination);
        long intervalSeconds = number(hints.get("IntervalInSeconds"), destination.kind().defaultIntervalInSeconds());
        long sizeBytes = number(hints.get("SizeInMBs"), destination.kind().defaultSizeInMBs()) * MIB;
        int total = 0;
        while (force || due(streamId, intervalSeconds, sizeBytes, now)) {
            Integer written = transactions.execute(tx -> {
                // A flush must see the buffer empty when it returns, so it waits for a sweep that holds the stream;
                // a sweep leaves the stream to whoever holds it.
                String lock = "record-delivery:" + streamId;
                if (force) {
                    locks.lock(lock);
                } else if (!locks.tryLock(lock)) {
                    return 0;
                }
                return deliverOneBatch(stream, destination, sizeBytes);
            });
            if (written == null || written == 0) {
                break;
            }
            total += written;
        }
        return total;
    }

    /**
     * The hints a destination buffers by: its own, but for Redshift, which has none and buffers by its S3
     * configuration's (Firehose stages Redshift's data in S3 before the COPY).
     */
    static Map<?, ?> bufferingHints(Destination destination) {
        Map<String, Object> holder = destination.kind() == DestinationKind.REDSHIFT ? destination.s3Settings()
                : destination.settings();
        return holder.get("BufferingHints") instanceof Map<?, ?> given ? given : Map.of();
    }

    private boolean due(String streamId, long intervalSeconds, long sizeBytes, Instant now) {
        Map<String, Object> buffer = jdbc.sql("SELECT min(arrived_at) AS oldest, coalesce(sum(size_bytes), 0) AS bytes"
                        + " FROM record_buffer WHERE stream_id = :stream")
                .param("stream", streamId).query().singleRow();
        Timestamp oldest = (Timestamp) buffer.get("oldest");
        return oldest != null && (((Number) buffer.get("bytes")).longValue() >= sizeBytes
                || !oldest.toInstant().plusSeconds(intervalSeconds).isAfter(now));
    }

    private int deliverOneBatch(DeliveryStreamView stream, Destination destination, long maxBytes) {
        // The oldest records up to the hinted size (at least one), chosen first and then locked: a window
        // function cannot be combined with FOR UPDATE in one statement.
        List<String> chosen = jdbc.sql("""
                        SELECT record_id FROM (
                            SELECT record_id, arrival, sum(size_bytes) OVER (ORDER BY arrival) - size_bytes AS before
                              FROM record_buffer WHERE stream_id = :stream) ordered
                         WHERE before < :max ORDER BY arrival LIMIT 100000
                        """)
                .param("stream", stream.streamId()).param("max", maxBytes).query(String.class).list();
        if (chosen.isEmpty()) {
            return 0;
        }
        List<Buffered> records = jdbc.sql("SELECT * FROM record_buffer WHERE record_id IN (:ids)"
                        + " ORDER BY arrival FOR UPDATE SKIP LOCKED")
                .param("ids", chosen)
                .query((rs, row) -> new Buffered(rs.getString("record_id"), rs.getTimestamp("arrived_at").toInstant(),
                        rs.getInt("size_bytes"), rs.getBoolean("encrypted"), rs.getString("key_arn"),
                        rs.getBytes("wrapped_data_key"), rs.getBytes("iv"), rs.getBytes("data")))
                .list();
        DestinationEndpoint endpoint = endpoints.get(destination.kind());
        FailedBatch retry = endpoint == null ? null : failedBatch(stream.streamId(), records);
        if (retry != null) {
            // The batch that failed, again: the same records under the same request id, as AWS retries a request.
            records = records.stream().filter(record -> retry.recordIds().contains(record.recordId())).toList();
        }
        if (records.isEmpty()) {
            return 0;
        }
        List<byte[]> contents = new ArrayList<>(records.size());
        RecordOpener.Session opener = this.opener.session(stream.accountId(), stream.region(), stream.arn());
        for (Buffered record : records) {
            contents.add(record.encrypted() ? opener.open(new RecordOpener.Sealed(record.recordId(), record.keyArn(),
                    record.wrappedDataKey(), record.iv(), record.data())) : record.data());
        }
        Map<String, Object> s3 = destination.s3Settings();
        Instant firstArrival = records.get(0).arrivedAt();
        if (endpoint == null) {
            String key = objectKey(prefix(s3), stream, firstArrival);
            objects.put(bucket(s3), key, joined(contents));
            return remove(records, objects.url(bucket(s3), key), delivered);
        }
        String requestId = retry != null ? retry.requestId() : UUID.randomUUID().toString();
        try {
            endpoint.send(new DestinationEndpoint.Batch(stream, destination, requestId, clock.instant(), contents,
                    records.stream().map(Buffered::arrivedAt).toList()));
        } catch (DestinationEndpoint.Refused refused) {
            Instant failedAt = clock.instant();
            Instant firstFailure = retry != null ? retry.firstFailure() : failedAt;
            int attempts = retry != null ? retry.attempts() + 1 : 1;
            if (refused.retryable() && failedAt.isBefore(firstFailure.plus(retryDuration(destination)))) {
                failedBatches.put(stream.streamId(), new FailedBatch(requestId,
                        records.stream().map(Buffered::recordId).collect(Collectors.toSet()), firstFailure, attempts));
                throw new DestinationFailed("Attempt " + attempts + " of request " + requestId + " ("
                        + records.size() + " records) failed: " + refused.getMessage(), refused);
            }
            // Past the retry duration, or never reachable: to the S3 backup, where AWS puts what it could not deliver.
            String errorPrefix = s3.get("ErrorOutputPrefix") instanceof String given && !given.isEmpty() ? given
                    : prefix(s3) + endpoint.failedFolder();
            String key = objectKey(errorPrefix, stream, firstArrival);
            objects.put(bucket(s3), key, joined(contents));
            failedBatches.remove(stream.streamId());
            log.warn("{} records of stream {} went to the S3 backup {}: not delivered {} ({} attempts of request {}), the"
                    + " last: {}", records.size(), stream.name(), objects.url(bucket(s3), key),
                    refused.retryable() ? "within the retry duration" : "as the destination cannot be reached", attempts,
                    requestId, refused.getMessage());
            return remove(records, objects.url(bucket(s3), key), backedUp);
        }
        failedBatches.remove(stream.streamId());
        if (destination.settings().get("S3BackupMode") instanceof String mode && mode.startsWith("All")) {
            // AllData (AllEvents, AllDocuments): every record is backed up, delivered or not.
            objects.put(bucket(s3), objectKey(prefix(s3), stream, firstArrival), joined(contents));
        }
        return remove(records, endpoint.location(destination), delivered);
    }

    /**
     * The stream's batch that failed before, if any of its records is still among those claimed now; one whose records
     * are all gone (dropped after the retention period) is forgotten.
     */
    private FailedBatch failedBatch(String streamId, List<Buffered> claimed) {
        FailedBatch failed = failedBatches.get(streamId);
        if (failed == null || claimed.stream().anyMatch(record -> failed.recordIds().contains(record.recordId()))) {
            return failed;
        }
        failedBatches.remove(streamId, failed);
        return null;
    }

    /** The destination's retry duration: its RetryOptions, else the kind's default. */
    private static Duration retryDuration(Destination destination) {
        Object given = destination.settings().get("RetryOptions") instanceof Map<?, ?> options
                ? options.get("DurationInSeconds") : null;
        return Duration.ofSeconds(number(given, RetryDurations.defaultSeconds(destination.kind())));
    }

    private static byte[] joined(List<byte[]> contents) {
        ByteArrayOutputStream object = new ByteArrayOutputStream();
        contents.forEach(object::writeBytes);
        return object.toByteArray();
    }

    /** Takes the records out of the buffer, remembering where they went; counts them; how many. */
    private int remove(List<Buffered> records, String url, Counter counter) {
        jdbc.sql("""
                        WITH gone AS (DELETE FROM record_buffer WHERE record_id IN (:ids)
                                      RETURNING record_id, arrival, stream_id, arrived_at, size_bytes, encrypted, key_arn)
                        INSERT INTO delivered_record (record_id, arrival, stream_id, arrived_at, size_bytes, encrypted,
                                                      key_arn, object_url, delivered_at)
                        SELECT record_id, arrival, stream_id, arrived_at, size_bytes, encrypted, key_arn, :url, :at FROM gone
                        ON CONFLICT (record_id) DO NOTHING
                        """)
                .param("ids", records.stream().map(Buffered::recordId).toList())
                .param("url", url).param("at", Timestamp.from(clock.instant()))
                .update();
        counter.increment(records.size());
        return records.size();
    }

    /** Firehose's object name: {@code <prefix>YYYY/MM/DD/HH/<stream>-<version>-YYYY-MM-DD-HH-MM-SS-<uuid>}. */
    static String objectKey(String prefix, DeliveryStreamView stream, Instant firstArrival) {
        return prefix + FOLDERS.format(firstArrival) + stream.name() + "-" + stream.versionId() + "-"
                + STAMP.format(firstArrival) + "-" + UUID.randomUUID();
    }

    private static String prefix(Map<String, Object> settings) {
        return settings.get("Prefix") instanceof String given ? given : "";
    }

    private static String bucket(Map<String, Object> settings) {
        String arn = String.valueOf(settings.get("BucketARN"));
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    private static long number(Object value, long otherwise) {
        return value instanceof Number n ? n.longValue() : otherwise;
    }

    @Override
    public void afterReset() {
        backoffs.clear();
        failedBatches.clear();
    }
}
