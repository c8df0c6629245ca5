package io.firehosesse.readmodel.replay;

import java.util.List;

/** A projection that can be rebuilt from the event store: it names its tables and applies one event to any set of them. */
public interface ReplayableProjection {

    /** The processing group name, used to ask for a replay. */
    String name();

    List<String> tables();

    void apply(ProjectedEvent event, Tables tables);
}
