package io.firehosesse.dataplane;

import io.firehosesse.platform.ProcessorDeclaration;
import org.springframework.context.annotation.Bean;
import io.firehosesse.api.deliverystream.DeliveryStreamActivated;
import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.api.deliverystream.DeliveryStreamCreationFailed;
import io.firehosesse.api.deliverystream.DeliveryStreamDeleted;
import io.firehosesse.api.deliverystream.DeliveryStreamDeletionFailed;
import io.firehosesse.api.deliverystream.DeliveryStreamDeletionRequested;
import io.firehosesse.api.deliverystream.DeliveryStreamStatus;
import io.firehosesse.api.deliverystream.EncryptionDisableFailed;
import io.firehosesse.api.deliverystream.EncryptionDisableRequested;
import io.firehosesse.api.deliverystream.EncryptionDisabled;
import io.firehosesse.api.deliverystream.EncryptionKeyFaulted;
import io.firehosesse.api.deliverystream.EncryptionKeyRecovered;
import io.firehosesse.api.deliverystream.EncryptionEnabled;
import io.firehosesse.api.deliverystream.StreamKey;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The data plane's view of each stream: its status and the key in force. Written by a subscribing
 * handler in the transaction that records each change, so a PutRecord committed after ENABLED is
 * encrypted, and one committed after DISABLED is not: the status-to-data-plane lag is zero. The key in
 * force changes only when a key is ENABLED or encryption is off; while a change is ENABLING, and after
 * it fails, the old key keeps encrypting, as AWS documents.
 */
@Component
@ProcessingGroup(DataPlaneStreams.PROCESSING_GROUP)
class DataPlaneStreams {

    public static final String PROCESSING_GROUP = "data-plane-streams";

    /** Subscribing: a put committed after the status changed sees the new key (no status-to-data-plane lag). */
    @Bean
    static ProcessorDeclaration dataPlaneStreamsProcessor() {
        return ProcessorDeclaration.subscribing(PROCESSING_GROUP);
    }

    private final JdbcClient jdbc;

    DataPlaneStreams(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A stream as the data plane sees it; {@code keyArn} is the resolved key in force, or null; {@code grantRetiring}
     * while Firehose retires its grant on that key (a Stop under way).
     */
    record Target(String streamId, String arn, String type, DeliveryStreamStatus status, String keyType, String keyArn,
                  String keyFault, boolean grantRetiring) {

        /**
         * Whether data keys are asked for as the grantee of Firehose's grant on the key in force: for a customer
         * managed key, except while Firehose is retiring that grant itself (puts go on while DISABLING, as on AWS).
         */
        boolean throughGrant() {
            return keyArn != null && !grantRetiring;
        }
    }

    /** The stream as it is now, unlocked: what a put prepares for before its transaction begins. */
    Optional<Target> find(StreamKey key) {
        return select(key, "");
    }

    /** The stream, locked FOR SHARE: a status or key change waits for the puts reading it, and they for it. */
    Optional<Target> lockForPut(StreamKey key) {
        return select(key, " FOR SHARE");
    }

    private Optional<Target> select(StreamKey key, String lock) {
        return jdbc.sql("SELECT * FROM data_plane_stream WHERE account_id = :account AND region = :region AND name = :name"
                        + lock)
                .param("account", key.accountId()).param("region", key.region()).param("name", key.name())
                .query((rs, row) -> new Target(rs.getString("stream_id"), rs.getString("arn"), rs.getString("stream_type"),
                        DeliveryStreamStatus.valueOf(rs.getString("status")), rs.getString("key_type"), rs.getString("key_arn"),
                        rs.getString("key_fault"), rs.getBoolean("grant_retiring")))
                .optional();
    }

    @EventHandler
    void on(DeliveryStreamCreated event) {
        jdbc.sql("""
                        INSERT INTO data_plane_stream (stream_id, account_id, region, name, arn, stream_type, status)
                        VALUES (:id, :account, :region, :name, :arn, :type, 'CREATING') ON CONFLICT DO NOTHING
                        """)
                .param("id", event.streamId()).param("account", event.key().accountId()).param("region", event.key().region())
                .param("name", event.key().name()).param("arn", event.arn()).param("type", event.type().name())
                .update();
    }

    @EventHandler
    void on(DeliveryStreamActivated event) {
        status(event.streamId(), DeliveryStreamStatus.ACTIVE);
    }

    @EventHandler
    void on(DeliveryStreamCreationFailed event) {
        status(event.streamId(), DeliveryStreamStatus.CREATING_FAILED);
    }

    @EventHandler
    void on(DeliveryStreamDeletionRequested event) {
        status(event.streamId(), DeliveryStreamStatus.DELETING);
    }

    @EventHandler
    void on(DeliveryStreamDeletionFailed event) {
        status(event.streamId(), DeliveryStreamStatus.DELETING_FAILED);
    }

    @EventHandler
    void on(DeliveryStreamDeleted event) {
        jdbc.sql("DELETE FROM data_plane_stream WHERE stream_id = :id").param("id", event.streamId()).update();
    }

    @EventHandler
    void on(EncryptionEnabled event) {
        key(event.streamId(), event.key().keyType().name(), event.key().keyId(), event.enabledAt());
    }

    /** A Stop that retires Firehose's grant: the key stays in force until DISABLED, no longer through the grant. */
    @EventHandler
    void on(EncryptionDisableRequested event) {
        if (event.grantToRetire() != null) {
            jdbc.sql("UPDATE data_plane_stream SET grant_retiring = TRUE WHERE stream_id = :id")
                    .param("id", event.streamId()).update();
        }
    }

    @EventHandler
    void on(EncryptionDisabled event) {
        key(event.streamId(), null, null, event.disabledAt());
    }

    @EventHandler
    void on(EncryptionDisableFailed event) {
        key(event.streamId(), null, null, event.failedAt());
    }

    @EventHandler
    void on(EncryptionKeyFaulted event) {
        fault(event.streamId(), event.failureType().name());
    }

    @EventHandler
    void on(EncryptionKeyRecovered event) {
        fault(event.streamId(), null);
    }

    private void fault(String streamId, String failureType) {
        jdbc.sql("UPDATE data_plane_stream SET key_fault = :fault WHERE stream_id = :id")
                .param("fault", failureType).param("id", streamId).update();
    }

    private void status(String streamId, DeliveryStreamStatus status) {
        jdbc.sql("UPDATE data_plane_stream SET status = :status WHERE stream_id = :id")
                .param("status", status.name()).param("id", streamId).update();
    }

    private void key(String streamId, String keyType, String keyArn, Instant since) {
        jdbc.sql("UPDATE data_plane_stream SET key_type = :type, key_arn = :key, key_since = :since, key_fault = NULL,"
                        + " grant_retiring = FALSE WHERE stream_id = :id")
                .param("type", keyType).param("key", keyArn).param("since", Timestamp.from(since)).param("id", streamId)
                .update();
    }
}
