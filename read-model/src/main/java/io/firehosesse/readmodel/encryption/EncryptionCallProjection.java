package io.firehosesse.readmodel.encryption;

import io.firehosesse.platform.ProcessorDeclaration;
import org.springframework.context.annotation.Bean;
import io.firehosesse.api.deliverystream.DeliveryStreamDeleted;
import io.firehosesse.api.deliverystream.EncryptionAlreadyDisabled;
import io.firehosesse.api.deliverystream.EncryptionDisableRequested;
import io.firehosesse.api.deliverystream.EncryptionRequested;
import io.firehosesse.readmodel.replay.ProjectedEvent;
import io.firehosesse.readmodel.replay.LiveProjection;
import io.firehosesse.readmodel.replay.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Records every accepted Start and Stop call, with who made it; keyed by event, so replays add nothing twice. */
@Component
@ProcessingGroup(EncryptionCallProjection.PROCESSING_GROUP)
public class EncryptionCallProjection extends LiveProjection {

    public static final String PROCESSING_GROUP = "encryption-call-view";

    /** Subscribing: the 24-hour call counts the REST API shows are never behind the calls. */
    @Bean
    static ProcessorDeclaration encryptionCallViewProcessor() {
        return ProcessorDeclaration.subscribing(PROCESSING_GROUP);
    }
    static final String TABLE = "encryption_call_view";
    static final String STOP = "StopDeliveryStreamEncryption";

    private final JdbcClient jdbc;

    EncryptionCallProjection(JdbcClient jdbc) {
        super(PROCESSING_GROUP, List.of(TABLE));
        this.jdbc = jdbc;
    }

    @Override
    public void apply(ProjectedEvent event, Tables tables) {
        String table = tables.of(TABLE);
        Object payload = event.payload();
        if (payload instanceof EncryptionRequested requested && requested.isStart()) {
            record(table, event, EncryptionRequested.START, requested.requestedAt());
        } else if (payload instanceof EncryptionDisableRequested requested) {
            record(table, event, STOP, requested.requestedAt());
        } else if (payload instanceof EncryptionAlreadyDisabled requested) {
            record(table, event, STOP, requested.requestedAt());
        } else if (payload instanceof DeliveryStreamDeleted) {
            jdbc.sql("DELETE FROM " + table + " WHERE stream_id = :stream").param("stream", event.aggregateId()).update();
        }
    }

    private void record(String table, ProjectedEvent event, String operation, Instant at) {
        jdbc.sql("INSERT INTO " + table + " (stream_id, sequence_number, operation, called_at, request_id, principal)"
                        + " VALUES (:stream, :seq, :operation, :at, :request, :principal) ON CONFLICT DO NOTHING")
                .param("stream", event.aggregateId()).param("seq", event.sequence()).param("operation", operation)
                .param("at", Timestamp.from(at)).param("request", event.metadata("requestId"))
                .param("principal", event.metadata("principal"))
                .update();
    }
}
