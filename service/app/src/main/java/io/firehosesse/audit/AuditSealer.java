package io.firehosesse.audit;

import io.firehosesse.platform.CallCommitListener;
import io.firehosesse.platform.TransactionLocks;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Chains committed audit rows. Calls insert their rows without any lock, so identity order is not commit
 * order: a missing sequence may belong to a call still running, or to one that rolled back (sequences are
 * never handed out twice). The sealer walks the rows after its watermark in sequence order and stops at a
 * gap until the row after it is {@code gap-grace} old; then the gap is taken for a rollback. Should the
 * missing row commit after all, it is sealed on a later run at the end of the chain, so no committed row is
 * ever left out, only placed later. Several instances may run this: a transaction-scoped advisory lock lets
 * one seal at a time and the others skip the run instead of queueing.
 *
 * <p>It runs when there is something to seal, not on every tick: a committed audit row wakes it ({@link #wake()},
 * called by {@link AuditTrail} once the row's transaction commits, and as a {@link CallCommitListener} when a call
 * commits on another instance), and a run that leaves rows unsealed (behind a young gap, or another instance held the lock)
 * keeps it running each {@code seal-interval}. Otherwise a tick costs no statement; a safety run every
 * {@link #SAFETY_INTERVAL} catches rows whose wake-up was lost (their instance died before it could seal them).
 */
@Component
class AuditSealer implements CallCommitListener {

    static final String LOCK = "firehose.audit.sealer";
    /** How often an idle sealer looks anyway, with one statement: for rows committed by an instance that then died. */
    static final Duration SAFETY_INTERVAL = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(AuditSealer.class);

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final TransactionLocks locks;
    private final Clock clock;
    private final AuditProperties properties;
    private final TransactionTemplate transactions;
    /** Set by a commit of audit rows (or at start, or after a run that left rows unsealed): the next tick seals. */
    private final AtomicBoolean wanted = new AtomicBoolean(true);
    private volatile Instant lastLook = Instant.MIN;

    AuditSealer(JdbcClient jdbc, JdbcTemplate batches, TransactionLocks locks, Clock clock, AuditProperties properties,
                PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.locks = locks;
        this.clock = clock;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    private record Head(long position, String hash, long watermark) {
    }

    private record Waiting(long sequence, Instant appendedAt) {
    }

    private record Row(long sequence, String record) {
    }

    /** Audit rows were committed (here or on another instance): the next tick seals them. */
    void wake() {
        wanted.set(true);
    }

    @Override
    public void callCommitted() {
        wake();
    }

    /** Each seal interval: a run if rows are known to wait, else, now and then, one look whether any do. */
    @Scheduled(fixedDelayString = "${firehose.audit.seal-interval:200ms}",
            initialDelayString = "${firehose.audit.seal-interval:200ms}")
    void tick() {
        if (wanted.getAndSet(false)) {
            sealCommitted();
            return;
        }
        Instant now = clock.instant();
        if (Duration.between(lastLook, now).compareTo(SAFETY_INTERVAL) < 0) {
            return;
        }
        lastLook = now;
        try {
            if (jdbc.sql("SELECT EXISTS (SELECT 1 FROM audit_event WHERE hash IS NULL)").query(Boolean.class).single()) {
                sealCommitted();
            }
        } catch (DataAccessException e) {
            log.warn("Looking for unsealed audit records failed; next look in {}: {}", SAFETY_INTERVAL, e.toString());
        }
    }

    /** Seals every committed row it may now; asks for another run at the next tick if some had to be left. */
    void sealCommitted() {
        lastLook = clock.instant();
        try {
            Sealed sealed = Sealed.FULL_BATCH;
            while (sealed == Sealed.FULL_BATCH) {
                sealed = transactions.execute(status -> seal());
            }
            if (sealed == Sealed.ROWS_LEFT) {
                wake();
            }
        } catch (DataAccessException | TransactionException e) {
            // Nothing is lost: the rows stay unsealed and the next run starts again from the stored head.
            wake();
            log.warn("Sealing the audit trail failed; next try in {}: {}", properties.sealInterval(), e.toString());
        }
    }

    private enum Sealed {
        /** Nothing waits after what was sealed. */
        ALL,
        /** A batch was full: more may wait, now. */
        FULL_BATCH,
        /** Rows wait behind a young gap, or another instance holds the lock: look again at the next tick. */
        ROWS_LEFT
    }

    /** Seals at most a batch or two in the caller's transaction, and says what is left. */
    private Sealed seal() {
        if (!locks.tryLock(LOCK)) {
            return Sealed.ROWS_LEFT;
        }
        int limit = properties.sealBatchSize();
        Head head = jdbc.sql("SELECT position, hash, watermark FROM audit_chain_head")
                .query((rs, row) -> new Head(rs.getLong("position"), rs.getString("hash"), rs.getLong("watermark")))
                .single();
        List<Row> late = jdbc.sql("""
                        SELECT sequence, record FROM audit_event
                         WHERE hash IS NULL AND sequence <= :watermark ORDER BY sequence LIMIT :limit
                        """)
                .param("watermark", head.watermark()).param("limit", limit)
                .query((rs, row) -> new Row(rs.getLong("sequence"), rs.getString("record"))).list();
        if (!late.isEmpty()) {
            log.warn("{} audit records committed after the sealer had taken their sequence numbers for rollbacks "
                    + "(firehose.audit.gap-grace {}); they are sealed at the end of the chain",
                    late.size(), properties.gapGrace());
        }
        List<Waiting> waiting = jdbc.sql("""
                        SELECT sequence, appended_at FROM audit_event
                         WHERE sequence > :watermark ORDER BY sequence LIMIT :limit
                        """)
                .param("watermark", head.watermark()).param("limit", limit)
                .query((rs, row) -> new Waiting(rs.getLong("sequence"),
                        rs.getObject("appended_at", OffsetDateTime.class).toInstant()))
                .list();
        Instant now = clock.instant();
        long watermark = sealable(waiting, head.watermark(), now);
        List<Row> sealing = new ArrayList<>(late);
        if (watermark > head.watermark()) {
            // Read only now, and only for the rows being sealed: the text is the bulk of a row, and rows behind a
            // young gap are looked at again on every run until the gap fills or ages.
            sealing.addAll(jdbc.sql("""
                            SELECT sequence, record FROM audit_event
                             WHERE sequence > :watermark AND sequence <= :through ORDER BY sequence
                            """)
                    .param("watermark", head.watermark()).param("through", watermark)
                    .query((rs, row) -> new Row(rs.getLong("sequence"), rs.getString("record"))).list());
        }
        boolean left = !waiting.isEmpty() && watermark != waiting.get(waiting.size() - 1).sequence();
        if (sealing.isEmpty()) {
            return left ? Sealed.ROWS_LEFT : Sealed.ALL;
        }
        seal(sealing, head, watermark, now);
        boolean waitingWasFullAndAllSealed = waiting.size() == limit && watermark == waiting.get(limit - 1).sequence();
        if (late.size() == limit || waitingWasFullAndAllSealed) {
            return Sealed.FULL_BATCH;
        }
        return left ? Sealed.ROWS_LEFT : Sealed.ALL;
    }

    /** The highest sequence that may be sealed now: up to, not past, the first gap younger than the grace. */
    private long sealable(List<Waiting> waiting, long watermark, Instant now) {
        for (Waiting row : waiting) {
            boolean afterGap = row.sequence() != watermark + 1;
            if (afterGap && Duration.between(row.appendedAt(), now).compareTo(properties.gapGrace()) < 0) {
                break;
            }
            watermark = row.sequence();
        }
        return watermark;
    }

    private void seal(List<Row> rows, Head head, long watermark, Instant now) {
        OffsetDateTime sealedAt = AuditTrail.utc(now);
        List<Object[]> links = new ArrayList<>(rows.size());
        long position = head.position();
        String previous = head.hash();
        for (Row row : rows) {
            String hash = ChainHash.link(previous, row.record());
            links.add(new Object[] {++position, previous, hash, sealedAt, row.sequence()});
            previous = hash;
        }
        int[] updated = batches.batchUpdate("""
                UPDATE audit_event SET chain_position = ?, previous_hash = ?, hash = ?, sealed_at = ?
                 WHERE sequence = ? AND hash IS NULL
                """, links);
        if (Arrays.stream(updated).anyMatch(count -> count != 1 && count != Statement.SUCCESS_NO_INFO)) {
            // Only a sealer without the lock could get here; a chain with a hole must not be committed.
            throw new IllegalStateException("An audit row changed while it was being sealed; the batch is rolled back");
        }
        jdbc.sql("UPDATE audit_chain_head SET position = :position, hash = :hash, watermark = :watermark")
                .param("position", position).param("hash", previous).param("watermark", watermark)
                .update();
    }
}
