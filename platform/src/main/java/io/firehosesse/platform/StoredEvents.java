package io.firehosesse.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The one reader of Axon's tables: the event store for history, time travel, replays and the aggregate cache's
 * check, the token store for where each processor stands. Everything else reads events through this class, so the
 * tables' layout and Axon's serialised forms are known in one place.
 */
@Component
public class StoredEvents {

    private final JdbcClient jdbc;
    private final EventStore store;
    private final Serializer serializer;
    private final ObjectMapper json = new ObjectMapper();

    StoredEvents(JdbcClient jdbc, EventStore store, Serializer serializer) {
        this.jdbc = jdbc;
        this.store = store;
        this.serializer = serializer;
    }

    /** One event as stored, its payload and metadata deserialised. */
    public record StoredEvent(long globalIndex, String aggregateId, long sequence, String aggregateType, Instant timestamp,
                              Object payload, MetaData metaData) {
    }

    /** One event of an aggregate as its JSON, for showing it as recorded. */
    public record RecordedEvent(long sequence, String payloadType, Instant timestamp, JsonNode payload, JsonNode metaData) {
    }

    /** Where one segment of a tracking processor stands: the global index of the last event it handled (-1: none). */
    public record SegmentPosition(String processor, int segment, String owner, Instant claimedAt, long position) {
    }

    /** The global index of the newest stored event; -1 when there is none. */
    public long head() {
        return jdbc.sql("SELECT coalesce(max(global_index), -1) FROM domain_event_entry").query(Long.class).single();
    }

    public long countUpTo(long mark) {
        return jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE global_index <= :mark")
                .param("mark", mark).query(Long.class).single();
    }

    /** The aggregate's last sequence number in the store; null when it has no events. */
    Long lastSequence(String aggregateId) {
        return jdbc.sql("SELECT max(sequence_number) FROM domain_event_entry WHERE aggregate_identifier = :id")
                .param("id", aggregateId).query(Long.class).list().stream().filter(Objects::nonNull).findFirst().orElse(null);
    }

    /** The aggregate's events in order, from its first (a snapshot holds the aggregate's state, not a view's). */
    public Stream<DomainEventMessage<?>> history(String aggregateId) {
        return store.readEvents(aggregateId, 0).asStream().map(event -> event);
    }

    /** Up to {@code limit} events after {@code after}, by global index. */
    public List<StoredEvent> page(long after, int limit) {
        // Keyset paging on the primary key alone: an upper bound in the query lets a planner with stale statistics pick
        // a scan of everything left plus a sort, on every page.
        return read("global_index > :after ORDER BY global_index LIMIT :limit",
                new MapSqlParameterSource().addValue("after", after).addValue("limit", limit));
    }

    /** Every event after {@code mark}, and those at the given global indexes (gaps that may have committed late). */
    public List<StoredEvent> afterOrAt(long mark, List<Long> indexes) {
        return read("global_index > :mark OR global_index IN (:gaps) ORDER BY global_index",
                new MapSqlParameterSource().addValue("mark", mark).addValue("gaps", indexes.isEmpty() ? List.of(-1L) : indexes));
    }

    /** When the oldest event after {@code position} was stored. */
    public Optional<Instant> firstStoredAfter(long position) {
        return jdbc.sql("SELECT time_stamp FROM domain_event_entry WHERE global_index > :position ORDER BY global_index LIMIT 1")
                .param("position", position).query(String.class).optional().map(Instant::parse);
    }

    /** An aggregate's events as recorded, filtered by time and by event type (simple name), after a sequence number. */
    public List<RecordedEvent> recorded(String aggregateId, Instant from, Instant to, String type, long afterSequence, int limit) {
        return jdbc.sql("""
                        SELECT sequence_number, payload_type, time_stamp, convert_from(payload, 'UTF8') AS payload,
                               convert_from(meta_data, 'UTF8') AS meta_data
                          FROM domain_event_entry
                         WHERE aggregate_identifier = :stream AND sequence_number > :after
                           AND (CAST(:from AS timestamptz) IS NULL OR CAST(time_stamp AS timestamptz) >= :from)
                           AND (CAST(:to AS timestamptz) IS NULL OR CAST(time_stamp AS timestamptz) <= :to)
                           AND (CAST(:type AS varchar) IS NULL OR payload_type LIKE '%.' || :type)
                         ORDER BY sequence_number
                         LIMIT :limit
                        """)
                .param("stream", aggregateId)
                .param("after", afterSequence)
                .param("from", from == null ? null : Timestamp.from(from))
                .param("to", to == null ? null : Timestamp.from(to))
                .param("type", type)
                .param("limit", limit)
                .query((rs, row) -> new RecordedEvent(rs.getLong("sequence_number"), rs.getString("payload_type"),
                        Instant.parse(rs.getString("time_stamp")), tree(rs.getString("payload")), tree(rs.getString("meta_data"))))
                .list();
    }

    /** Every segment of every tracking processor, with its claim and position. */
    public List<SegmentPosition> segments() {
        return jdbc.sql("""
                        SELECT processor_name, segment, owner, "timestamp", token FROM token_entry
                         ORDER BY processor_name, segment
                        """)
                .query((rs, n) -> new SegmentPosition(rs.getString(1), rs.getInt(2), rs.getString(3),
                        parseInstant(rs.getString(4)), position(rs.getBytes(5))))
                .list();
    }

    private List<StoredEvent> read(String condition, MapSqlParameterSource parameters) {
        return jdbc.sql("SELECT global_index, aggregate_identifier, sequence_number, type, time_stamp, payload_type,"
                        + " payload_revision, payload, meta_data FROM domain_event_entry WHERE " + condition)
                .paramSource(parameters)
                .query((rs, row) -> {
                    Object payload = serializer.deserialize(new SimpleSerializedObject<>(rs.getBytes("payload"), byte[].class,
                            rs.getString("payload_type"), rs.getString("payload_revision")));
                    byte[] metaData = rs.getBytes("meta_data");
                    MetaData meta = metaData == null ? MetaData.emptyInstance() : serializer.deserialize(
                            new SimpleSerializedObject<>(metaData, byte[].class, MetaData.class.getName(), null));
                    return new StoredEvent(rs.getLong("global_index"), rs.getString("aggregate_identifier"),
                            rs.getLong("sequence_number"), rs.getString("type"), Instant.parse(rs.getString("time_stamp")),
                            payload, meta);
                })
                .list();
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

    private JsonNode tree(String value) {
        try {
            return value == null ? json.nullNode() : json.readTree(value);
        } catch (IOException e) {
            throw new IllegalStateException("Unreadable event in the store", e);
        }
    }

    private static Instant parseInstant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (RuntimeException notIso) {
            return null;
        }
    }
}
