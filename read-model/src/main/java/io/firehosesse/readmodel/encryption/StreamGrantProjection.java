package io.firehosesse.readmodel.encryption;

import io.firehosesse.api.deliverystream.DeliveryStreamDeleted;
import io.firehosesse.api.deliverystream.GrantCreated;
import io.firehosesse.api.deliverystream.GrantRetired;
import io.firehosesse.api.deliverystream.GrantRetirementScheduled;
import java.sql.Timestamp;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The grants each stream holds: ACTIVE, then RETIREMENT_SCHEDULED, then RETIRED. Grants still held
 * when the stream is deleted become STREAM_DELETED: deletion retires them, unless it was forced.
 */
@Component
@ProcessingGroup(StreamGrantProjection.PROCESSING_GROUP)
public class StreamGrantProjection {

    public static final String PROCESSING_GROUP = "stream-grant-view";

    private final JdbcClient jdbc;

    StreamGrantProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(GrantCreated event) {
        jdbc.sql("""
                        INSERT INTO stream_grant_view (grant_id, stream_id, key_arn, grant_name, state, created_at, updated_at)
                        VALUES (:grant, :stream, :key, :name, 'ACTIVE', :at, :at) ON CONFLICT DO NOTHING
                        """)
                .param("grant", event.grant().grantId()).param("stream", event.streamId())
                .param("key", event.grant().keyId()).param("name", event.grantName())
                .param("at", Timestamp.from(event.createdAt()))
                .update();
    }

    @EventHandler
    void on(GrantRetirementScheduled event) {
        moveTo(event.grant().grantId(), "RETIREMENT_SCHEDULED", event.scheduledAt());
    }

    @EventHandler
    void on(GrantRetired event) {
        moveTo(event.grant().grantId(), "RETIRED", event.retiredAt());
    }

    @EventHandler
    void on(DeliveryStreamDeleted event) {
        jdbc.sql("UPDATE stream_grant_view SET state = 'STREAM_DELETED', updated_at = :at WHERE stream_id = :stream AND state <> 'RETIRED'")
                .param("at", Timestamp.from(event.deletedAt())).param("stream", event.streamId()).update();
    }

    private void moveTo(String grantId, String state, Instant at) {
        jdbc.sql("UPDATE stream_grant_view SET state = :state, updated_at = :at WHERE grant_id = :grant AND state <> 'RETIRED'")
                .param("state", state).param("at", Timestamp.from(at)).param("grant", grantId).update();
    }
}
