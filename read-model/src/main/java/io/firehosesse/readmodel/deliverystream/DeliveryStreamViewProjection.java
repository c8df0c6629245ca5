package io.firehosesse.readmodel.deliverystream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.api.deliverystream.DeliveryStreamActivated;
import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.api.deliverystream.DeliveryStreamCreationFailed;
import io.firehosesse.api.deliverystream.DeliveryStreamDeleted;
import io.firehosesse.api.deliverystream.DeliveryStreamDeletionFailed;
import io.firehosesse.api.deliverystream.EncryptionAlreadyDisabled;
import io.firehosesse.api.deliverystream.EncryptionDisableFailed;
import io.firehosesse.api.deliverystream.EncryptionDisableRequested;
import io.firehosesse.api.deliverystream.EncryptionDisabled;
import io.firehosesse.api.deliverystream.EncryptionEnabled;
import io.firehosesse.api.deliverystream.EncryptionFailed;
import io.firehosesse.api.deliverystream.EncryptionRequested;
import io.firehosesse.api.deliverystream.KeyChoice;
import io.firehosesse.api.deliverystream.DeliveryStreamDeletionRequested;
import io.firehosesse.api.deliverystream.DeliveryStreamStatus;
import io.firehosesse.api.deliverystream.DeliveryStreamTagged;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.DeliveryStreamUntagged;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
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
        update(event.streamId(), sequence, "status = 'DELETING', failure_type = NULL, failure_details = NULL", Map.of());
    }

    @EventHandler
    void on(DeliveryStreamCreationFailed event, @SequenceNumber long sequence) {
        update(event.streamId(), sequence, "status = 'CREATING_FAILED', failure_type = :type, failure_details = :details",
                Map.of("type", event.failureType().name(), "details", event.details()));
    }

    @EventHandler
    void on(DeliveryStreamDeletionFailed event, @SequenceNumber long sequence) {
        update(event.streamId(), sequence, "status = 'DELETING_FAILED', failure_type = :type, failure_details = :details",
                Map.of("type", event.failureType().name(), "details", event.details()));
    }

    /** While ENABLING, Describe shows the key asked for. */
    @EventHandler
    void on(EncryptionRequested event, @SequenceNumber long sequence) {
        update(event.streamId(), sequence, "encryption_status = 'ENABLING', encryption_key_type = :keyType,"
                        + " encryption_key_arn = :keyArn, encryption_failure_type = NULL, encryption_failure_details = NULL,"
                        + " last_update_timestamp = CASE WHEN status = 'ACTIVE' THEN :at ELSE last_update_timestamp END",
                keyParams(event.requested(), event.requestedAt()));
    }

    @EventHandler
    void on(EncryptionEnabled event, @SequenceNumber long sequence) {
        update(event.streamId(), sequence, "encryption_status = 'ENABLED', encryption_key_type = :keyType,"
                + " encryption_key_arn = :keyArn", keyParams(event.key(), event.enabledAt()));
    }

    /**
     * After a failed key change Describe shows the key still in force; after a failed first enable, the
     * key that was asked for (the Decisions table of the SPEC).
     */
    @EventHandler
    void on(EncryptionFailed event, @SequenceNumber long sequence) {
        Map<String, Object> params = keyParams(event.stillInForce() != null ? event.stillInForce() : event.requested(),
                event.failedAt());
        params.put("type", event.failureType().name());
        params.put("details", event.details());
        update(event.streamId(), sequence, "encryption_status = 'ENABLING_FAILED', encryption_key_type = :keyType,"
                + " encryption_key_arn = :keyArn, encryption_failure_type = :type, encryption_failure_details = :details",
                params);
    }

    @EventHandler
    void on(EncryptionDisableRequested event, @SequenceNumber long sequence) {
        update(event.streamId(), sequence, "encryption_status = 'DISABLING', encryption_failure_type = NULL,"
                + " encryption_failure_details = NULL, last_update_timestamp = :at", timeParam(event.requestedAt()));
    }

    /** After Stop, Describe shows {@code {"Status": "DISABLED"}} alone. */
    @EventHandler
    void on(EncryptionDisabled event, @SequenceNumber long sequence) {
        update(event.streamId(), sequence, "encryption_status = 'DISABLED', encryption_key_type = NULL,"
                + " encryption_key_arn = NULL, encryption_failure_type = NULL, encryption_failure_details = NULL", Map.of());
    }

    @EventHandler
    void on(EncryptionDisableFailed event, @SequenceNumber long sequence) {
        update(event.streamId(), sequence, "encryption_status = 'DISABLING_FAILED', encryption_failure_type = :type,"
                        + " encryption_failure_details = :details",
                Map.of("type", event.failureType().name(), "details", event.details()));
    }

    @EventHandler
    void on(EncryptionAlreadyDisabled event, @SequenceNumber long sequence) {
        update(event.streamId(), sequence, "last_update_timestamp = :at", timeParam(event.requestedAt()));
    }

    private void update(String streamId, long sequence, String assignments, Map<String, ?> params) {
        jdbc.sql("UPDATE delivery_stream_view SET " + assignments + ", last_sequence = :seq"
                        + " WHERE stream_id = :id AND last_sequence < :seq")
                .params(params)
                .param("seq", sequence)
                .param("id", streamId)
                .update();
    }

    private static Map<String, Object> keyParams(KeyChoice key, Instant at) {
        Map<String, Object> params = new HashMap<>(timeParam(at));
        params.put("keyType", key.keyType().name());
        params.put("keyArn", key.keyArn());
        return params;
    }

    private static Map<String, Object> timeParam(Instant at) {
        Map<String, Object> params = new HashMap<>();
        params.put("at", Timestamp.from(at));
        return params;
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
