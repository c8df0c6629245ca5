package io.firehosesse.system;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSqlSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Axon on PostgreSQL without Axon Server: snake_case schemas matching the Flyway migrations, Jackson
 * for every payload, snapshots and an aggregate cache so long-lived streams load fast.
 */
@Configuration(proxyBeanMethods = false)
public class AxonConfiguration {

    @Bean
    EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    @Bean
    TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    @Bean
    SagaSqlSchema sagaSqlSchema() {
        return new PostgresSagaSqlSchema(SagaSchema.builder()
                .sagaEntryTable("saga_entry")
                .associationValueEntryTable("association_value_entry")
                .sagaIdColumn("saga_id")
                .revisionColumn("revision")
                .sagaTypeColumn("saga_type")
                .serializedSagaColumn("serialized_saga")
                .associationKeyColumn("association_key")
                .associationValueColumn("association_value")
                .build());
    }

    /**
     * Axon's own mapper, apart from Spring's: events, snapshots, tokens and sagas are stored with it,
     * so its settings must never change under a stored history. Modules contributed by features (such
     * as the aggregate's snapshot mix-in) are registered here.
     */
    @Bean
    @Primary
    public Serializer serializer(List<Module> modules) {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModules(modules)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return JacksonSerializer.builder().objectMapper(mapper).build();
    }

    /** Checked against the store under a lock across instances, so several instances may share one database. */
    @Bean
    Cache deliveryStreamCache(JdbcClient jdbc, TransactionLocks locks) {
        return new CheckedAggregateCache(new WeakReferenceCache(), jdbc, locks);
    }

    @Bean
    SnapshotTriggerDefinition deliveryStreamSnapshotTrigger(
            Snapshotter snapshotter, @Value("${firehose.snapshot-threshold:100}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    @Bean
    CorrelationDataProvider callerCorrelation() {
        return new SimpleCorrelationDataProvider(Caller.METADATA_KEYS);
    }

    @Bean
    CorrelationDataProvider messageOrigin() {
        return new MessageOriginProvider();
    }

    /**
     * The view, the name registry and the key-usage registry are subscribing processors: they write in
     * the command's own transaction, which gives read-your-writes and makes a name clash or a full key
     * roll the command back. Their failures must therefore propagate instead of being logged away. The
     * lifecycle and encryption processes are tracking; they must retry a failed event, never skip it.
     */
    @Bean
    ConfigurerModule propagateProjectionErrors() {
        return configurer -> configurer.eventProcessing()
                .registerListenerInvocationErrorHandler("delivery-stream-view", c -> PropagatingErrorHandler.instance())
                .registerListenerInvocationErrorHandler("delivery-stream-names", c -> PropagatingErrorHandler.instance())
                .registerListenerInvocationErrorHandler("delivery-stream-lifecycle", c -> PropagatingErrorHandler.instance())
                .registerListenerInvocationErrorHandler("customer-key-usage", c -> PropagatingErrorHandler.instance())
                .registerListenerInvocationErrorHandler("encryption-call-view", c -> PropagatingErrorHandler.instance())
                .registerListenerInvocationErrorHandler("stream-grant-view", c -> PropagatingErrorHandler.instance())
                .registerListenerInvocationErrorHandler("data-plane-streams", c -> PropagatingErrorHandler.instance())
                .registerListenerInvocationErrorHandler("encryption-process", c -> PropagatingErrorHandler.instance());
    }
}
