package io.firehosesse.readmodel.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.platform.StoredEvents;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView.EncryptionView;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView.FailureView;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamViewFold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.axonframework.eventhandling.DomainEventMessage;
import org.springframework.stereotype.Component;

/** A stream's history from the event store: its events as recorded, and its state as of any instant. */
@Component
class DeliveryStreamHistory {

    private final StoredEvents events;

    DeliveryStreamHistory(StoredEvents events) {
        this.events = events;
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
        for (DomainEventMessage<?> event : (Iterable<DomainEventMessage<?>>) events.history(streamId)::iterator) {
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
     * Every change of status, encryption and version (a destination update) over the stream's life, folded by the
     * same function as the live view and {@link #stateAt}, so the timeline agrees with both at every instant.
     */
    List<TimelineEntry> timeline(String streamId) {
        List<TimelineEntry> entries = new ArrayList<>();
        DeliveryStreamView view = null;
        for (DomainEventMessage<?> event : (Iterable<DomainEventMessage<?>>) events.history(streamId)::iterator) {
            DeliveryStreamView next = DeliveryStreamViewFold.apply(view, event.getPayload(), event.getSequenceNumber());
            if (next != null && (view == null || view.status() != next.status() || view.versionId() != next.versionId()
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
        return events.recorded(streamId, from, to, type, afterSequence, limit).stream()
                .map(event -> new RecordedEvent(event.sequence(), simpleName(event.payloadType()), event.timestamp(),
                        withoutSecrets(event.payload()), event.metaData()))
                .toList();
    }

    /** An event as the API shows it: the secrets of destination configurations hidden, as Describe leaves them out. */
    private static JsonNode withoutSecrets(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode shown = object.deepCopy();
            List<String> fields = new ArrayList<>();
            shown.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                shown.set(field, Destination.SECRET_MEMBERS.contains(field) ? TextNode.valueOf(Destination.HIDDEN)
                        : withoutSecrets(shown.get(field)));
            }
            return shown;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode shown = array.arrayNode();
            array.forEach(element -> shown.add(withoutSecrets(element)));
            return shown;
        }
        return node;
    }

    private static String simpleName(String payloadType) {
        return payloadType.substring(payloadType.lastIndexOf('.') + 1);
    }
}
