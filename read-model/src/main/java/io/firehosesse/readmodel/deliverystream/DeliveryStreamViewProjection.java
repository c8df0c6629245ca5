package io.firehosesse.readmodel.deliverystream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.api.deliverystream.DeliveryStreamActivated;
import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.api.deliverystream.DeliveryStreamDeleted;
import io.firehosesse.api.deliverystream.DeliveryStreamDeletionRequested;
import io.firehosesse.api.deliverystream.DeliveryStreamStatus;
import io.firehosesse.api.deliverystream.DeliveryStreamTagged;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.DeliveryStreamUntagged;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code delivery_stream_view} in step with each stream's events. Every write is guarded by the
 * event's aggregate sequence number, so a redelivered or replayed event changes nothing twice.
 */
@Component
@ProcessingGroup(DeliveryStreamViewProjection.PROCESSING_GROUP)
public class DeliveryStreamViewProjection {

    public static final String PROCESSING_GROUP = "delivery-stream-view";

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public DeliveryStreamViewProjection(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(DeliveryStreamCreated event, @SequenceNumber long sequence) {
        jdbc.sql("""
                INSERT INTO delivery_stream_view (stream_id, account_id, region, name, arn, status, stream_type,
                    version_id, create_timestamp, kinesis_source, destinations, tags, last_sequence)
                VALUES (:id, :account, :region, :name, :arn, :status, :type, 1, :created,
                    CAST(:kinesis AS jsonb), CAST(:destinations AS jsonb), CAST(:tags AS jsonb), :seq)
                ON CONFLICT (stream_id) DO NOTHING
                """)
                .param("id", event.streamId())
                .param("account", event.key().accountId())
                .param("region", event.key().region())
                .param("name", event.key().name())
                .param("arn", event.arn())
                .param("status", DeliveryStreamStatus.CREATING.name())
                .param("type", event.type().name())
                .param("created", Timestamp.from(event.createdAt()))
                .param("kinesis", event.kinesisSource() == null ? null : write(event.kinesisSource()))
                .param("destinations", write(event.destinations()))
                .param("tags", write(new TreeMap<>(event.tags())))
                .param("seq", sequence)
                .update();
    }

    @EventHandler
    void on(DeliveryStreamActivated event, @SequenceNumber long sequence) {
        jdbc.sql("""
                UPDATE delivery_stream_view
                   SET status = 'ACTIVE',
                       delivery_start_timestamp = CASE WHEN stream_type = :kinesis THEN CAST(:at AS timestamptz) END,
                       last_sequence = :seq
                 WHERE stream_id = :id AND last_sequence < :seq
                """)
                .param("kinesis", DeliveryStreamType.KinesisStreamAsSource.name())
                .param("at", Timestamp.from(event.activatedAt()))
                .param("seq", sequence)
                .param("id", event.streamId())
                .update();
    }

    @EventHandler
    void on(DeliveryStreamDeletionRequested event, @SequenceNumber long sequence) {
        jdbc.sql("UPDATE delivery_stream_view SET status = 'DELETING', last_sequence = :seq"
                        + " WHERE stream_id = :id AND last_sequence < :seq")
                .param("seq", sequence)
                .param("id", event.streamId())
                .update();
    }

    @EventHandler
    void on(DeliveryStreamDeleted event) {
        jdbc.sql("DELETE FROM delivery_stream_view WHERE stream_id = :id").param("id", event.streamId()).update();
    }

    @EventHandler
    void on(DeliveryStreamTagged event, @SequenceNumber long sequence) {
        updateTags(event.streamId(), sequence, tags -> {
            tags.putAll(event.tags());
            return tags;
        });
    }

    @EventHandler
    void on(DeliveryStreamUntagged event, @SequenceNumber long sequence) {
        updateTags(event.streamId(), sequence, tags -> {
            event.tagKeys().forEach(tags::remove);
            return tags;
        });
    }

    private void updateTags(String streamId, long sequence, UnaryOperator<TreeMap<String, String>> change) {
        jdbc.sql("SELECT tags::text FROM delivery_stream_view WHERE stream_id = :id AND last_sequence < :seq FOR UPDATE")
                .param("id", streamId)
                .param("seq", sequence)
                .query(String.class)
                .optional()
                .ifPresent(current -> jdbc.sql("UPDATE delivery_stream_view SET tags = CAST(:tags AS jsonb),"
                                + " last_sequence = :seq WHERE stream_id = :id")
                        .param("tags", write(change.apply(readTags(current))))
                        .param("seq", sequence)
                        .param("id", streamId)
                        .update());
    }

    private TreeMap<String, String> readTags(String value) {
        try {
            return new TreeMap<>(json.readerForMapOf(String.class).<Map<String, String>>readValue(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable tags in delivery_stream_view", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write view column", e);
        }
    }

    static Instant instantOrNull(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
