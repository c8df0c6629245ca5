package io.firehosesse.audit;

import io.firehosesse.platform.TransactionLocks;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 */
@Component
class AuditSealer {

    static final String LOCK = "firehose.audit.sealer";

    private static final Logger log = LoggerFactory.getLogger(AuditSealer.class);

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final TransactionLocks locks;
    private final Clock clock;
    private final AuditProperties properties;
    private final TransactionTemplate transactions;

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

    @Scheduled(fixedDelayString = "${firehose.audit.seal-interval:200ms}",
            initialDelayString = "${firehose.audit.seal-interval:200ms}")
    void sealCommitted() {
        try {
            boolean more = true;
            while (more) {
                more = Boolean.TRUE.equals(transactions.execute(status -> sealBatch()));
            }
        } catch (DataAccessException | TransactionException e) {
            // Nothing is lost: the rows stay unsealed and the next run starts again from the stored head.
            log.warn("Sealing the audit trail failed; next try in {}: {}", properties.sealInterval(), e.toString());
        }
    }

    /** Seals at most a batch or two in the caller's transaction; true when a batch was full and more may wait. */
    boolean sealBatch() {
        if (!locks.tryLock(LOCK)) {
            return false;
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
        if (sealing.isEmpty()) {
            return false;
        }
        seal(sealing, head, watermark, now);
        boolean waitingWasFullAndAllSealed = waiting.size() == limit && watermark == waiting.get(limit - 1).sequence();
        return late.size() == limit || waitingWasFullAndAllSealed;
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
