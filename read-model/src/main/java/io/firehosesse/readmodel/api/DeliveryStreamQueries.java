package io.firehosesse.readmodel.api;

import io.firehosesse.api.deliverystream.EncryptionRules;
import io.firehosesse.api.deliverystream.StreamKey;
import io.firehosesse.readmodel.api.DeliveryStreamHistory.RecordedEvent;
import io.firehosesse.readmodel.api.DeliveryStreamHistory.TimelineEntry;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamViews;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** REST queries of streams: the list, one stream now or at an instant, its history, its encryption calls, its grants. */
@RestController
@RequestMapping("/api/delivery-streams")
class DeliveryStreamQueries {

    private static final Set<String> ENCRYPTION_STATUSES = Set.of("ENABLED", "ENABLING", "ENABLING_FAILED", "DISABLED",
            "DISABLING", "DISABLING_FAILED");

    private final DeliveryStreamViews views;
    private final DeliveryStreamHistory history;
    private final StreamNames names;
    private final JdbcClient jdbc;
    private final Clock clock;

    DeliveryStreamQueries(DeliveryStreamViews views, DeliveryStreamHistory history, StreamNames names, JdbcClient jdbc,
                          Clock clock) {
        this.views = views;
        this.history = history;
        this.names = names;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record StreamSummary(String name, String arn, String status, String type, String encryptionStatus, String keyType,
                         String keyArn) {
    }

    record StreamPage(List<StreamSummary> streams, String nextCursor) {
    }

    @GetMapping
    StreamPage list(@RequestParam(required = false) String region,
                    @RequestParam(required = false) String encryptionStatus,
                    @RequestParam(required = false) String keyArn,
                    @RequestParam(required = false) String cursor,
                    @RequestParam(defaultValue = "100") int limit) {
        if (encryptionStatus != null && !ENCRYPTION_STATUSES.contains(encryptionStatus)) {
            throw new BadParameterException("encryptionStatus", "encryptionStatus must be one of " + ENCRYPTION_STATUSES + ".");
        }
        requireLimit(limit, 1000);
        List<DeliveryStreamView> page = views.list(names.accountId(), names.region(region), encryptionStatus, keyArn, cursor,
                limit + 1);
        boolean more = page.size() > limit;
        List<StreamSummary> streams = (more ? page.subList(0, limit) : page).stream()
                .map(v -> new StreamSummary(v.name(), v.arn(), v.status().name(), v.type().name(), v.encryption().status(),
                        v.encryption().keyType(), v.encryption().keyArn()))
                .toList();
        return new StreamPage(streams, more ? streams.get(streams.size() - 1).name() : null);
    }

    @GetMapping("/{name}")
    DeliveryStreamView stream(@PathVariable String name, @RequestParam(required = false) String region,
                              @RequestParam(required = false) String at) {
        DeliveryStreamView now = current(name, region);
        if (at == null) {
            return now.withoutSecrets();
        }
        Instant instant = instant("at", at);
        return history.stateAt(now.streamId(), instant).map(DeliveryStreamView::withoutSecrets).orElseThrow(
                () -> new StreamNotFoundException("Delivery stream " + now.name() + " did not exist at " + instant + "."));
    }

    record EventPage(List<RecordedEvent> events, Long nextCursor) {
    }

    @GetMapping("/{name}/events")
    EventPage events(@PathVariable String name, @RequestParam(required = false) String region,
                     @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                     @RequestParam(required = false) String type, @RequestParam(defaultValue = "-1") long cursor,
                     @RequestParam(defaultValue = "100") int limit) {
        requireLimit(limit, 1000);
        if (type != null && !type.matches("[A-Za-z]+")) {
            throw new BadParameterException("type", "type must be an event type name such as EncryptionRequested.");
        }
        DeliveryStreamView stream = current(name, region);
        List<RecordedEvent> events = history.events(stream.streamId(), from == null ? null : instant("from", from),
                to == null ? null : instant("to", to), type, cursor, limit + 1);
        boolean more = events.size() > limit;
        List<RecordedEvent> page = more ? events.subList(0, limit) : events;
        return new EventPage(page, more ? page.get(page.size() - 1).sequenceNumber() : null);
    }

    /** {@code now} is the service's clock, so a client draws the last period up to the same instant the data ends. */
    record Timeline(Instant now, List<TimelineEntry> entries) {
    }

    /** Each change of the stream's status and encryption (key and failure included), in order. */
    @GetMapping("/{name}/timeline")
    Timeline timeline(@PathVariable String name, @RequestParam(required = false) String region) {
        DeliveryStreamView stream = current(name, region);
        return new Timeline(clock.instant(), history.timeline(stream.streamId()));
    }

    record EncryptionCall(String operation, Instant at, String requestId, String principal) {
    }

    record EncryptionCalls(int count, int limit, int remaining, Instant windowStart, Instant nextSlotAt,
                           List<EncryptionCall> calls) {
    }

    /** The window of accepted Start/Stop calls ({@link EncryptionRules}); {@code nextSlotAt} is when the oldest one leaves it. */
    @GetMapping("/{name}/encryption-calls")
    EncryptionCalls encryptionCalls(@PathVariable String name, @RequestParam(required = false) String region) {
        DeliveryStreamView stream = current(name, region);
        Instant windowStart = clock.instant().minus(EncryptionRules.START_STOP_WINDOW);
        List<EncryptionCall> calls = jdbc.sql("""
                        SELECT operation, called_at, request_id, principal FROM encryption_call_view
                         WHERE stream_id = :stream AND called_at > :start ORDER BY called_at, sequence_number
                        """)
                .param("stream", stream.streamId()).param("start", Timestamp.from(windowStart))
                .query((rs, row) -> new EncryptionCall(rs.getString("operation"), rs.getTimestamp("called_at").toInstant(),
                        rs.getString("request_id"), rs.getString("principal")))
                .list();
        int limit = EncryptionRules.START_STOP_CALLS_PER_WINDOW;
        return new EncryptionCalls(calls.size(), limit, Math.max(0, limit - calls.size()),
                windowStart, calls.isEmpty() ? null : calls.get(0).at().plus(EncryptionRules.START_STOP_WINDOW), calls);
    }

    record Grant(String grantId, String keyArn, String name, String state, Instant createdAt, Instant updatedAt) {
    }

    @GetMapping("/{name}/grants")
    List<Grant> grants(@PathVariable String name, @RequestParam(required = false) String region) {
        DeliveryStreamView stream = current(name, region);
        return jdbc.sql("SELECT * FROM stream_grant_view WHERE stream_id = :stream ORDER BY created_at, grant_id")
                .param("stream", stream.streamId())
                .query((rs, row) -> new Grant(rs.getString("grant_id"), rs.getString("key_arn"), rs.getString("grant_name"),
                        rs.getString("state"), rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("updated_at").toInstant()))
                .list();
    }

    /** A record accepted by PutRecord(Batch): still buffered while {@code deliveredObject} is null. */
    record BufferedRecord(long arrival, String recordId, Instant arrivedAt, int sizeBytes, boolean encrypted, String keyArn,
                          String deliveredObject, Instant deliveredAt) {
    }

    record RecordPage(List<BufferedRecord> records, Long nextCursor) {
    }

    /**
     * Records accepted in the last 24 hours, buffered or delivered, in arrival order: metadata and the object each
     * went into, never their contents.
     */
    @GetMapping("/{name}/records")
    RecordPage records(@PathVariable String name, @RequestParam(required = false) String region,
                       @RequestParam(defaultValue = "-1") long cursor, @RequestParam(defaultValue = "100") int limit) {
        requireLimit(limit, 1000);
        DeliveryStreamView stream = current(name, region);
        List<BufferedRecord> records = jdbc.sql("""
                        SELECT * FROM (
                            SELECT arrival, record_id, arrived_at, size_bytes, encrypted, key_arn,
                                   NULL AS object_url, NULL::timestamptz AS delivered_at
                              FROM record_buffer WHERE stream_id = :stream AND arrival > :after
                            UNION ALL
                            SELECT arrival, record_id, arrived_at, size_bytes, encrypted, key_arn, object_url, delivered_at
                              FROM delivered_record WHERE stream_id = :stream AND arrival > :after) accepted
                         ORDER BY arrival LIMIT :limit
                        """)
                .param("stream", stream.streamId()).param("after", cursor).param("limit", limit + 1)
                .query((rs, row) -> new BufferedRecord(rs.getLong("arrival"), rs.getString("record_id"),
                        rs.getTimestamp("arrived_at").toInstant(), rs.getInt("size_bytes"), rs.getBoolean("encrypted"),
                        rs.getString("key_arn"), rs.getString("object_url"),
                        rs.getTimestamp("delivered_at") == null ? null : rs.getTimestamp("delivered_at").toInstant()))
                .list();
        boolean more = records.size() > limit;
        List<BufferedRecord> page = more ? records.subList(0, limit) : records;
        return new RecordPage(page, more ? page.get(page.size() - 1).arrival() : null);
    }

    private DeliveryStreamView current(String name, String region) {
        StreamKey key = names.key(name, region);
        StreamNotFoundException absent = new StreamNotFoundException(
                "Firehose " + key.name() + " under account " + key.accountId() + " not found in " + key.region() + ".");
        // Another account's stream, named by its ARN, is answered exactly as a stream that does not exist.
        if (!ApiCaller.current().sees(key.accountId())) {
            throw absent;
        }
        return views.find(key).orElseThrow(() -> absent);
    }

    private static Instant instant(String parameter, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadParameterException(parameter, parameter + " must be an ISO-8601 instant such as 2026-11-27T10:00:00Z.");
        }
    }

    private static void requireLimit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw new BadParameterException("limit", "limit must be between 1 and " + max + ".");
        }
    }
}
