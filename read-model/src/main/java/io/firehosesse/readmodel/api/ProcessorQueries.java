package io.firehosesse.readmodel.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/admin/processors}: where each segment of each asynchronous (tracking) event processor stands, which
 * instance holds its claim, and how far behind the event store it is, in events and in time. The subscribing
 * projections (the Describe view and the others) are written with the events themselves and are never behind.
 */
@RestController
@RequestMapping("/api/admin/processors")
class ProcessorQueries {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    ProcessorQueries(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * @param position     the global index of the last event the segment handled (-1: none yet)
     * @param behindEvents events stored after it (all segments' events: a segment skips those of other segments)
     * @param behindMillis how long the oldest of those has been waiting; 0 when none is
     */
    record SegmentStatus(String processor, int segment, String owner, Instant claimedAt, long position, long behindEvents,
                         long behindMillis) {
    }

    record Processors(long head, List<SegmentStatus> segments) {
    }

    private record Row(String processor, int segment, String owner, String timestamp, byte[] token) {
    }

    @GetMapping
    Processors processors() {
        long head = jdbc.sql("SELECT coalesce(max(global_index), -1) FROM domain_event_entry").query(Long.class).single();
        Instant now = clock.instant();
        List<SegmentStatus> segments = jdbc.sql("""
                        SELECT processor_name, segment, owner, "timestamp", token FROM token_entry
                         ORDER BY processor_name, segment
                        """)
                .query((rs, n) -> new Row(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getBytes(5)))
                .list().stream()
                .map(row -> status(row, head, now))
                .toList();
        return new Processors(head, segments);
    }

    private SegmentStatus status(Row row, long head, Instant now) {
        long position = position(row.token());
        long behindMillis = 0;
        if (position < head) {
            behindMillis = jdbc.sql("SELECT time_stamp FROM domain_event_entry WHERE global_index > :position"
                            + " ORDER BY global_index LIMIT 1")
                    .param("position", position).query(String.class).optional()
                    .map(stamp -> Math.max(0, Duration.between(Instant.parse(stamp), now).toMillis())).orElse(0L);
        }
        Instant claimedAt = row.timestamp() == null ? null : parseInstant(row.timestamp());
        return new SegmentStatus(row.processor(), row.segment(), row.owner(), claimedAt, position, Math.max(0, head - position),
                behindMillis);
    }

    /** The global index in Axon's JSON token: a gap-aware token's "index", inside a replay token's "currentToken". */
    private long position(byte[] token) {
        if (token == null) {
            return -1;
        }
        try {
            JsonNode node = json.readTree(token);
            JsonNode current = node.has("currentToken") ? node.get("currentToken") : node;
            JsonNode index = current == null ? null : current.findValue("index");
            return index == null || !index.canConvertToLong() ? -1 : index.asLong();
        } catch (IOException unreadable) {
            return -1;
        }
    }

    private static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException notIso) {
            return null;
        }
    }
}
