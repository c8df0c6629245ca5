package io.firehosesse.readmodel.replay;

import java.util.List;

/** A projection that can be rebuilt from the event store: it names its tables and applies one event to any set of them. */
public interface ReplayableProjection {

    /** The processing group name, used to ask for a replay. */
    String name();

    List<String> tables();

    void apply(ProjectedEvent event, Tables tables);

    /** Applies events in store order; a projection may do it in fewer round trips than one event at a time. */
    default void applyAll(List<ProjectedEvent> events, Tables tables) {
        events.forEach(event -> apply(event, tables));
    }
}
