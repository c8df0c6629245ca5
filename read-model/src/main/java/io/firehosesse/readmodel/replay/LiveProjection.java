package io.firehosesse.readmodel.replay;

import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;

/**
 * A projection fed live by Axon (a subscribing processor, in the command's transaction) and rebuilt by
 * {@link Replays}: both paths reach {@link #apply}, the live one on the live tables.
 */
public abstract class LiveProjection implements ReplayableProjection {

    private final String name;
    private final List<String> tables;

    protected LiveProjection(String name, List<String> tables) {
        this.name = name;
        this.tables = List.copyOf(tables);
    }

    @EventHandler
    void on(Object event, DomainEventMessage<?> message) {
        apply(new ProjectedEvent(message.getAggregateIdentifier(), message.getType(), message.getSequenceNumber(),
                message.getTimestamp(), event, message.getMetaData()), Tables.LIVE);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> tables() {
        return tables;
    }
}
