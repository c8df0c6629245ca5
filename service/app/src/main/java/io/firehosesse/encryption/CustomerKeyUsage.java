package io.firehosesse.encryption;

import io.firehosesse.platform.ProcessorDeclaration;
import org.springframework.context.annotation.Bean;
import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.api.deliverystream.DeliveryStreamCreationFailed;
import io.firehosesse.api.deliverystream.DeliveryStreamDeleted;
import io.firehosesse.api.deliverystream.EncryptionDisableFailed;
import io.firehosesse.api.deliverystream.EncryptionDisabled;
import io.firehosesse.api.deliverystream.EncryptionEnabled;
import io.firehosesse.api.deliverystream.EncryptionFailed;
import io.firehosesse.api.deliverystream.EncryptionRequested;
import io.firehosesse.api.deliverystream.KeyChoice;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The streams-per-customer-managed-key limit ({@link EncryptionProperties#maxStreamsPerKey()}, AWS's 500 unless
 * set), a rule across streams. A subscribing handler, so a stream's claim on a key commits or rolls back with
 * the EncryptionRequested that makes it: the Start or Create past the limit fails with LimitExceededException
 * and leaves nothing behind. A claim is one of the key's numbered slots, picked at random among those free: the unique
 * (key, slot) index keeps the count exact, and concurrent claims wait for each other only when they
 * happen to pick the same slot.
 * A stream holds its claim while the key is requested or in force, and gives it up when it moves to
 * another key, stops encryption, fails to take the key, or is deleted.
 */
@Component
@ProcessingGroup(CustomerKeyUsage.PROCESSING_GROUP)
public class CustomerKeyUsage {

    public static final String PROCESSING_GROUP = "customer-key-usage";

    /** Subscribing: a key with no free slot must roll the Start back, so the limit is exact. */
    @Bean
    static ProcessorDeclaration customerKeyUsageProcessor() {
        return ProcessorDeclaration.subscribing(PROCESSING_GROUP);
    }

    private final JdbcClient jdbc;
    private final int maxStreamsPerKey;

    CustomerKeyUsage(JdbcClient jdbc, EncryptionProperties properties) {
        this.jdbc = jdbc;
        this.maxStreamsPerKey = properties.maxStreamsPerKey();
    }

    @EventHandler
    void on(EncryptionRequested event) {
        String keyArn = event.requested().keyId() != null ? event.requested().keyId() : event.requested().keyArn();
        if (keyArn == null) {
            return;
        }
        boolean held = jdbc.sql("SELECT 1 FROM customer_key_usage WHERE key_arn = :key AND stream_id = :stream")
                .param("key", keyArn).param("stream", event.streamId()).query().listOfRows().size() > 0;
        // Each try either takes a slot or finds that another claim committed one (an uncommitted claim on the same slot
        // makes the insert wait for it): the free slots only run out, so the loop ends in a claim or the refusal.
        while (!held) {
            Integer slot = jdbc.sql("""
                            SELECT s FROM generate_series(0, :max - 1) s
                             WHERE NOT EXISTS (SELECT 1 FROM customer_key_usage u WHERE u.key_arn = :key AND u.slot = s)
                             ORDER BY random() LIMIT 1
                            """)
                    .param("max", maxStreamsPerKey).param("key", keyArn).query(Integer.class).optional().orElse(null);
            if (slot == null) {
                throw new FirehoseException(FirehoseErrorCode.LimitExceededException, "The customer managed key " + keyArn
                        + " is already used by " + maxStreamsPerKey + " delivery streams, the most one key may serve.");
            }
            held = jdbc.sql("""
                            INSERT INTO customer_key_usage (key_arn, stream_id, slot) VALUES (:key, :stream, :slot)
                            ON CONFLICT DO NOTHING
                            """)
                    .param("key", keyArn).param("stream", event.streamId()).param("slot", slot).update() == 1;
        }
    }

    @EventHandler
    void on(EncryptionEnabled event) {
        releaseAllBut(event.streamId(), event.key());
    }

    @EventHandler
    void on(EncryptionFailed event) {
        releaseAllBut(event.streamId(), event.stillInForce());
    }

    @EventHandler
    void on(EncryptionDisabled event) {
        releaseAllBut(event.streamId(), null);
    }

    @EventHandler
    void on(EncryptionDisableFailed event) {
        releaseAllBut(event.streamId(), null);
    }

    @EventHandler
    void on(DeliveryStreamCreationFailed event) {
        releaseAllBut(event.streamId(), null);
    }

    @EventHandler
    void on(DeliveryStreamDeleted event) {
        releaseAllBut(event.streamId(), null);
    }

    private void releaseAllBut(String streamId, KeyChoice kept) {
        String keptArn = kept == null ? null : kept.keyId() != null ? kept.keyId() : kept.keyArn();
        jdbc.sql("DELETE FROM customer_key_usage WHERE stream_id = :stream"
                        + " AND (CAST(:kept AS varchar) IS NULL OR key_arn <> :kept)")
                .param("stream", streamId).param("kept", keptArn).update();
    }
}
