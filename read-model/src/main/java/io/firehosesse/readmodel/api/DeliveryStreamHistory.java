package io.firehosesse.readmodel.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView.EncryptionView;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView.FailureView;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamViewFold;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A stream's history from the event store: its events as recorded, and its state as of any instant. */
@Component
class DeliveryStreamHistory {

    private final EventStore eventStore;
    private final JdbcClient jdbc;
    private final ObjectMapper json;

    DeliveryStreamHistory(EventStore eventStore, JdbcClient jdbc, ObjectMapper json) {
        this.eventStore = eventStore;
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * One stored event as the API shows it; {@code auditRecord} finds the CloudTrail record of the call that
     * caused it (events the service caused by itself carry the request id of the call that started the work).
     */
    record RecordedEvent(long sequenceNumber, String type, Instant timestamp, JsonNode payload, JsonNode metadata,
                         String auditRecord) {

        RecordedEvent(long sequenceNumber, String type, Instant timestamp, JsonNode payload, JsonNode metadata) {
            this(sequenceNumber, type, timestamp, payload, metadata, metadata != null && metadata.hasNonNull("requestId")
                    ? "/api/audit/events?requestId=" + metadata.get("requestId").asText() : null);
        }
    }

    /** Rebuilds the view from the stream's events up to and including {@code at}; empty before creation. */
    Optional<DeliveryStreamView> stateAt(String streamId, Instant at) {
        DeliveryStreamView view = null;
        // From sequence 0: a snapshot holds the aggregate's state, not the view's, so it cannot shortcut this.
        DomainEventStream events = eventStore.readEvents(streamId, 0);
        while (events.hasNext()) {
            DomainEventMessage<?> event = events.next();
            if (event.getTimestamp().isAfter(at)) {
                break;
            }
            view = DeliveryStreamViewFold.apply(view, event.getPayload(), event.getSequenceNumber());
        }
        return Optional.ofNullable(view);
    }

    /**
     * A moment the stream's status or encryption, as Describe shows them, changed: the state from then on and the
     * event (with the request id of the call behind it) that changed it.
     */
    record TimelineEntry(long sequenceNumber, String event, Instant at, String requestId, String status,
                         FailureView failure, EncryptionView encryption) {
    }

    /**
     * Every change of status and encryption over the stream's life, folded by the same function as the live view
     * and {@link #stateAt}, so the timeline agrees with both at every instant.
     */
    List<TimelineEntry> timeline(String streamId) {
        List<TimelineEntry> entries = new ArrayList<>();
        DeliveryStreamView view = null;
        DomainEventStream events = eventStore.readEvents(streamId, 0);
        while (events.hasNext()) {
            DomainEventMessage<?> event = events.next();
            DeliveryStreamView next = DeliveryStreamViewFold.apply(view, event.getPayload(), event.getSequenceNumber());
            if (next != null && (view == null || view.status() != next.status()
                    || !Objects.equals(view.failure(), next.failure())
                    || !Objects.equals(view.encryption(), next.encryption()))) {
                Object requestId = event.getMetaData().get("requestId");
                entries.add(new TimelineEntry(event.getSequenceNumber(), event.getPayloadType().getSimpleName(),
                        event.getTimestamp(), requestId == null ? null : requestId.toString(), next.status().name(),
                        next.failure(), next.encryption()));
            }
            view = next;
        }
        return entries;
    }

    List<RecordedEvent> events(String streamId, Instant from, Instant to, String type, long afterSequence, int limit) {
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
                .param("stream", streamId)
                .param("after", afterSequence)
                .param("from", from == null ? null : Timestamp.from(from))
                .param("to", to == null ? null : Timestamp.from(to))
                .param("type", type)
                .param("limit", limit)
                .query((rs, row) -> new RecordedEvent(rs.getLong("sequence_number"),
                        simpleName(rs.getString("payload_type")), Instant.parse(rs.getString("time_stamp")),
                        tree(rs.getString("payload")), tree(rs.getString("meta_data"))))
                .list();
    }

    private static String simpleName(String payloadType) {
        return payloadType.substring(payloadType.lastIndexOf('.') + 1);
    }

    private JsonNode tree(String value) {
        try {
            return value == null ? json.nullNode() : json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable event in the store", e);
        }
    }
}
