package io.firehosesse.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Recomputes the audit chain over the sealed rows of a time range. The range is widened to a whole stretch
 * of the chain (from the first sealed row whose event time is in range to the last), so every link inside it
 * can be checked; a row sealed out of event-time order inside the stretch is checked too. Without
 * {@code from} the stretch starts at the first row, whose previous hash must be the genesis hash; without
 * {@code to} it ends at the stored chain head, so deleting the newest rows shows as well. One repeatable-read
 * snapshot serves the whole check, so a sealer running meanwhile cannot make an intact chain look broken.
 */
@Component
class ChainVerification {

    private static final int FETCH_SIZE = 1000;

    private final JdbcClient jdbc;
    private final JdbcClient streaming;
    private final TransactionTemplate snapshot;

    ChainVerification(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        JdbcTemplate cursor = new JdbcTemplate(dataSource);
        // PostgreSQL streams a result in pieces only inside a transaction and with a fetch size; a long chain
        // is then checked in constant memory.
        cursor.setFetchSize(FETCH_SIZE);
        this.streaming = JdbcClient.create(cursor);
        this.snapshot = new TransactionTemplate(transactionManager);
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    record ChainBreak(Long sequence, @JsonProperty("eventID") String eventId, String reason) {
    }

    /**
     * @param verified rows whose links were checked and held, up to the first broken one
     * @param unsealed rows in the range not sealed yet (written within the last seal interval or two)
     */
    record ChainReport(long verified, long unsealed, boolean intact, ChainBreak firstBrokenLink) {
    }

    private record Head(long position, String hash) {
    }

    private record Stretch(long first, long last) {
    }

    ChainReport verify(Instant from, Instant to) {
        return snapshot.execute(status -> check(from, to));
    }

    private ChainReport check(Instant from, Instant to) {
        Head head = jdbc.sql("SELECT position, hash FROM audit_chain_head")
                .query((rs, row) -> new Head(rs.getLong("position"), rs.getString("hash"))).single();
        long unsealed = jdbc.sql("""
                        SELECT count(*) FROM audit_event WHERE hash IS NULL
                           AND (CAST(:from AS timestamptz) IS NULL OR event_time >= :from)
                           AND (CAST(:to AS timestamptz) IS NULL OR event_time <= :to)
                        """)
                .params(range(from, to)).query(Long.class).single();
        Stretch stretch = stretch(from, to, head);
        if (stretch == null) {
            return new ChainReport(0, unsealed, true, null);
        }
        Walk walk = streaming.sql("""
                        SELECT sequence, event_id, chain_position, previous_hash, hash, record FROM audit_event
                         WHERE chain_position BETWEEN :first AND :last ORDER BY chain_position
                        """)
                .param("first", stretch.first()).param("last", stretch.last())
                .query((ResultSetExtractor<Walk>) rs -> walk(rs, stretch, from == null ? ChainHash.GENESIS : null));
        ChainBreak broken = walk.broken();
        if (broken == null && walk.lastPosition() < stretch.last()) {
            broken = new ChainBreak(null, null, missing(walk.lastPosition() + 1, stretch.last()));
        }
        if (broken == null && to == null && !head.hash().equals(walk.lastHash())) {
            broken = new ChainBreak(null, null, "the last row's hash differs from the chain head's " + head.hash());
        }
        return new ChainReport(walk.verified(), unsealed, broken == null, broken);
    }

    /**
     * The chain positions to check, or null when there are none. Without {@code to} the stretch always ends at the
     * head, even when no row in the range is left, so deleting every newest row still shows.
     */
    private Stretch stretch(Instant from, Instant to, Head head) {
        if (head.position() == 0) {
            return null;
        }
        Map<String, Object> bounds = jdbc.sql("""
                        SELECT min(chain_position) AS first, max(chain_position) AS last FROM audit_event
                         WHERE chain_position IS NOT NULL
                           AND (CAST(:from AS timestamptz) IS NULL OR event_time >= :from)
                           AND (CAST(:to AS timestamptz) IS NULL OR event_time <= :to)
                        """)
                .params(range(from, to)).query().singleRow();
        Long first = from == null ? Long.valueOf(1) : (Long) bounds.get("first");
        Long last = to == null ? Long.valueOf(head.position()) : (Long) bounds.get("last");
        if (to == null && first == null) {
            first = head.position();
        }
        return first == null || last == null || first > last ? null : new Stretch(first, last);
    }

    private record Walk(long verified, long lastPosition, String lastHash, ChainBreak broken) {
    }

    /** Follows the links; {@code expectedPrevious} null means the first row's stored previous hash is taken. */
    private static Walk walk(ResultSet rs, Stretch stretch, String expectedPrevious) throws SQLException {
        long verified = 0;
        long expectedPosition = stretch.first();
        String previous = expectedPrevious;
        while (rs.next()) {
            long position = rs.getLong("chain_position");
            String storedPrevious = rs.getString("previous_hash");
            String hash = rs.getString("hash");
            String reason = null;
            if (position != expectedPosition) {
                reason = missing(expectedPosition, position - 1);
            } else if (previous != null && !previous.equals(storedPrevious)) {
                reason = "previous_hash " + storedPrevious + " is not the hash of the row before it (" + previous + ")";
            } else if (!ChainHash.link(storedPrevious, rs.getString("record")).equals(hash)) {
                reason = "hash does not match the stored record: the record or its hash was changed";
            }
            if (reason != null) {
                return new Walk(verified, position - 1, previous,
                        new ChainBreak(rs.getLong("sequence"), rs.getString("event_id"), reason));
            }
            verified++;
            expectedPosition = position + 1;
            previous = hash;
        }
        return new Walk(verified, expectedPosition - 1, previous, null);
    }

    private static String missing(long first, long last) {
        return first == last
                ? "chain position " + first + " is missing: a sealed row was deleted"
                : "chain positions " + first + " to " + last + " are missing: sealed rows were deleted";
    }

    private static Map<String, Object> range(Instant from, Instant to) {
        Map<String, Object> range = new HashMap<>();
        range.put("from", from == null ? null : AuditTrail.utc(from));
        range.put("to", to == null ? null : AuditTrail.utc(to));
        return range;
    }
}
