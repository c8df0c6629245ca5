package io.firehosesse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.junit.jupiter.api.Test;

/**
 * Fails loudly when an Axon upgrade changes what {@link CacheEntryVersion} reads: the aggregate cache's check across
 * instances depends on it.
 */
class CacheEntryVersionTest {

    static class Counter {
        @AggregateIdentifier
        String id = "counter";
    }

    @Test
    void readsTheLastSequenceNumberAnEntryWasBuiltFrom() {
        EventSourcedAggregate<Counter> aggregate = EventSourcedAggregate.initialize(new Counter(),
                AnnotatedAggregateMetaModelFactory.inspectAggregate(Counter.class), SimpleEventBus.builder().build(),
                NoSnapshotTriggerDefinition.TRIGGER);
        aggregate.initSequence(41);

        assertThat(CacheEntryVersion.of(new AggregateCacheEntry<>(aggregate))).isEqualTo(41L);
    }

    @Test
    void anAggregateWithoutEventsHasNoVersion() {
        EventSourcedAggregate<Counter> aggregate = EventSourcedAggregate.initialize(new Counter(),
                AnnotatedAggregateMetaModelFactory.inspectAggregate(Counter.class), SimpleEventBus.builder().build(),
                NoSnapshotTriggerDefinition.TRIGGER);

        assertThat(CacheEntryVersion.of(new AggregateCacheEntry<>(aggregate))).isNull();
    }
}
