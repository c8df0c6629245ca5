package io.firehosesse.deliverystream;

import io.firehosesse.platform.ProcessorDeclaration;
import org.springframework.context.annotation.Bean;
import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.api.deliverystream.DeliveryStreamDeleted;
import io.firehosesse.api.deliverystream.StreamKey;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which stream currently owns each name. A subscribing handler, so the claim commits or rolls back
 * with the creation itself: a second creator of the same name fails and leaves no event behind.
 */
@Component
@ProcessingGroup(StreamNameRegistry.PROCESSING_GROUP)
public class StreamNameRegistry {

    public static final String PROCESSING_GROUP = "delivery-stream-names";

    /** Subscribing: a name clash must roll the creation back. */
    @Bean
    static ProcessorDeclaration streamNamesProcessor() {
        return ProcessorDeclaration.subscribing(PROCESSING_GROUP);
    }

    private final JdbcClient jdbc;

    StreamNameRegistry(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<String> streamIdOf(StreamKey key) {
        return jdbc.sql("SELECT stream_id FROM delivery_stream_name WHERE account_id = :account AND region = :region AND name = :name")
                .param("account", key.accountId())
                .param("region", key.region())
                .param("name", key.name())
                .query(String.class)
                .optional();
    }

    @EventHandler
    void on(DeliveryStreamCreated event) {
        int claimed = jdbc.sql("""
                        INSERT INTO delivery_stream_name (account_id, region, name, stream_id)
                        VALUES (:account, :region, :name, :id)
                        ON CONFLICT DO NOTHING
                        """)
                .param("account", event.key().accountId())
                .param("region", event.key().region())
                .param("name", event.key().name())
                .param("id", event.streamId())
                .update();
        boolean ours = claimed == 1 || streamIdOf(event.key()).filter(event.streamId()::equals).isPresent();
        if (!ours) {
            throw new FirehoseException(FirehoseErrorCode.ResourceInUseException,
                    "Firehose " + event.key().name() + " under accountId " + event.key().accountId() + " already exists");
        }
    }

    @EventHandler
    void on(DeliveryStreamDeleted event) {
        jdbc.sql("DELETE FROM delivery_stream_name WHERE stream_id = :id").param("id", event.streamId()).update();
    }
}
