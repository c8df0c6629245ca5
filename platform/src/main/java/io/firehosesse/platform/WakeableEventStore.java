package io.firehosesse.platform;

import java.util.List;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * Axon's embedded event store with its wake-up made callable. The store wakes its tracking processors when a unit of
 * work commits; that hook is protected, meant for subclasses such as this one. {@link ProcessorWakeUp} calls it again
 * when the database transaction around the unit of work has really committed.
 */
public class WakeableEventStore extends EmbeddedEventStore {

    /** How often the store looks for events no wake-up announced (Axon's default is 1 s). */
    static final long POLL_INTERVAL_MILLIS = 5000;

    WakeableEventStore(Builder builder) {
        super(builder);
    }

    /** Wakes every tracking processor waiting for events, as a commit of new events does. */
    void wakeProcessors() {
        afterCommit(List.of());
    }
}
