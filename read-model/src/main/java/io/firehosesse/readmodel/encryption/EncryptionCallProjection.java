package io.firehosesse.readmodel.encryption;

import io.firehosesse.api.deliverystream.DeliveryStreamDeleted;
import io.firehosesse.api.deliverystream.EncryptionAlreadyDisabled;
import io.firehosesse.api.deliverystream.EncryptionDisableRequested;
import io.firehosesse.api.deliverystream.EncryptionRequested;
import java.sql.Timestamp;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Records every accepted Start and Stop call, with who made it; keyed by event, so replays add nothing twice. */
@Component
@ProcessingGroup(EncryptionCallProjection.PROCESSING_GROUP)
public class EncryptionCallProjection {

    public static final String PROCESSING_GROUP = "encryption-call-view";
    static final String STOP = "StopDeliveryStreamEncryption";

    private final JdbcClient jdbc;

    EncryptionCallProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(EncryptionRequested event, @SequenceNumber long sequence, @MetaDataValue("requestId") String requestId,
            @MetaDataValue("principal") String principal) {
        if (event.isStart()) {
            record(event.streamId(), sequence, EncryptionRequested.START, event.requestedAt(), requestId, principal);
        }
    }

    @EventHandler
    void on(EncryptionDisableRequested event, @SequenceNumber long sequence, @MetaDataValue("requestId") String requestId,
            @MetaDataValue("principal") String principal) {
        record(event.streamId(), sequence, STOP, event.requestedAt(), requestId, principal);
    }

    @EventHandler
    void on(EncryptionAlreadyDisabled event, @SequenceNumber long sequence, @MetaDataValue("requestId") String requestId,
            @MetaDataValue("principal") String principal) {
        record(event.streamId(), sequence, STOP, event.requestedAt(), requestId, principal);
    }

    @EventHandler
    void on(DeliveryStreamDeleted event) {
        jdbc.sql("DELETE FROM encryption_call_view WHERE stream_id = :stream").param("stream", event.streamId()).update();
    }

    private void record(String streamId, long sequence, String operation, Instant at, String requestId, String principal) {
        jdbc.sql("""
                        INSERT INTO encryption_call_view (stream_id, sequence_number, operation, called_at, request_id, principal)
                        VALUES (:stream, :seq, :operation, :at, :request, :principal) ON CONFLICT DO NOTHING
                        """)
                .param("stream", streamId).param("seq", sequence).param("operation", operation)
                .param("at", Timestamp.from(at)).param("request", requestId).param("principal", principal)
                .update();
    }
}
