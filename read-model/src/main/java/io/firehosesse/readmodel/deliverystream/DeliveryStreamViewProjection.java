package io.firehosesse.readmodel.deliverystream;

import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code delivery_stream_view} in step with each stream's events: load the row, fold the event
 * into it ({@link DeliveryStreamViewFold}), store it. The row remembers the last event it saw, so a
 * redelivered or replayed event changes nothing twice.
 */
@Component
@ProcessingGroup(DeliveryStreamViewProjection.PROCESSING_GROUP)
public class DeliveryStreamViewProjection {

    public static final String PROCESSING_GROUP = "delivery-stream-view";
    static final String AGGREGATE_TYPE = "DeliveryStream";

    private final DeliveryStreamViews views;

    public DeliveryStreamViewProjection(DeliveryStreamViews views) {
        this.views = views;
    }

    @EventHandler
    void on(Object event, DomainEventMessage<?> message) {
        if (!AGGREGATE_TYPE.equals(message.getType())) {
            return;
        }
        String streamId = message.getAggregateIdentifier();
        long sequence = message.getSequenceNumber();
        DeliveryStreamView current = views.lockById(streamId).orElse(null);
        if (current == null ? !(event instanceof DeliveryStreamCreated) : current.lastSequence() >= sequence) {
            return; // seen already, or a stream whose row is gone
        }
        DeliveryStreamView next = DeliveryStreamViewFold.apply(current, event, sequence);
        if (next == null) {
            views.delete(streamId);
        } else if (current == null || !next.atSequence(current.lastSequence()).equals(current)) {
            views.save(next);
        }
    }
}
