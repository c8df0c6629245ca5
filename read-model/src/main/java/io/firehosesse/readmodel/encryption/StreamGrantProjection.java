package io.firehosesse.readmodel.encryption;

import io.firehosesse.platform.ProcessorDeclaration;
import org.springframework.context.annotation.Bean;
import io.firehosesse.api.deliverystream.DeliveryStreamDeleted;
import io.firehosesse.api.deliverystream.GrantCreated;
import io.firehosesse.api.deliverystream.GrantRetired;
import io.firehosesse.api.deliverystream.GrantRetirementScheduled;
import io.firehosesse.readmodel.replay.ProjectedEvent;
import io.firehosesse.readmodel.replay.LiveProjection;
import io.firehosesse.readmodel.replay.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The grants each stream holds: ACTIVE, then RETIREMENT_SCHEDULED, then RETIRED. Grants still held
 * when the stream is deleted become STREAM_DELETED: deletion retires them, unless it was forced.
 */
@Component
@ProcessingGroup(StreamGrantProjection.PROCESSING_GROUP)
public class StreamGrantProjection extends LiveProjection {

    public static final String PROCESSING_GROUP = "stream-grant-view";

    /** Subscribing: the grants shown are those in force as of the last answered call. */
    @Bean
    static ProcessorDeclaration streamGrantViewProcessor() {
        return ProcessorDeclaration.subscribing(PROCESSING_GROUP);
    }
    static final String TABLE = "stream_grant_view";

    private final JdbcClient jdbc;

    StreamGrantProjection(JdbcClient jdbc) {
        super(PROCESSING_GROUP, List.of(TABLE));
        this.jdbc = jdbc;
    }

    @Override
    public void apply(ProjectedEvent event, Tables tables) {
        String table = tables.of(TABLE);
        Object payload = event.payload();
        if (payload instanceof GrantCreated created) {
            jdbc.sql("INSERT INTO " + table + " (grant_id, stream_id, key_arn, grant_name, state, created_at, updated_at)"
                            + " VALUES (:grant, :stream, :key, :name, 'ACTIVE', :at, :at) ON CONFLICT DO NOTHING")
                    .param("grant", created.grant().grantId()).param("stream", created.streamId())
                    .param("key", created.grant().keyId()).param("name", created.grantName())
                    .param("at", Timestamp.from(created.createdAt()))
                    .update();
        } else if (payload instanceof GrantRetirementScheduled scheduled) {
            moveTo(table, scheduled.grant().grantId(), "RETIREMENT_SCHEDULED", scheduled.scheduledAt());
        } else if (payload instanceof GrantRetired retired) {
            moveTo(table, retired.grant().grantId(), "RETIRED", retired.retiredAt());
        } else if (payload instanceof DeliveryStreamDeleted deleted) {
            jdbc.sql("UPDATE " + table + " SET state = 'STREAM_DELETED', updated_at = :at"
                            + " WHERE stream_id = :stream AND state <> 'RETIRED'")
                    .param("at", Timestamp.from(deleted.deletedAt())).param("stream", deleted.streamId()).update();
        }
    }

    private void moveTo(String table, String grantId, String state, Instant at) {
        jdbc.sql("UPDATE " + table + " SET state = :state, updated_at = :at WHERE grant_id = :grant AND state <> 'RETIRED'")
                .param("state", state).param("at", Timestamp.from(at)).param("grant", grantId).update();
    }
}
