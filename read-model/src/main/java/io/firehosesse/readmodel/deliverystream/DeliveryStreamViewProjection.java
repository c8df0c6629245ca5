package io.firehosesse.readmodel.deliverystream;

import io.firehosesse.platform.ProcessorDeclaration;
import org.springframework.context.annotation.Bean;
import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.readmodel.replay.ProjectedEvent;
import io.firehosesse.readmodel.replay.LiveProjection;
import io.firehosesse.readmodel.replay.Tables;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.config.ProcessingGroup;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code delivery_stream_view} in step with each stream's events: load the row, fold the event
 * into it ({@link DeliveryStreamViewFold}), store it. The row remembers the last event it saw, so a
 * redelivered or replayed event changes nothing twice.
 */
@Component
@ProcessingGroup(DeliveryStreamViewProjection.PROCESSING_GROUP)
public class DeliveryStreamViewProjection extends LiveProjection {

    public static final String PROCESSING_GROUP = "delivery-stream-view";

    /** Subscribing: the view is written in the call's transaction, so a Describe right after an answer sees it. */
    @Bean
    static ProcessorDeclaration deliveryStreamViewProcessor() {
        return ProcessorDeclaration.subscribing(PROCESSING_GROUP);
    }
    static final String TABLE = "delivery_stream_view";
    public static final String AGGREGATE_TYPE = "DeliveryStream";

    private final DeliveryStreamViews views;

    public DeliveryStreamViewProjection(DeliveryStreamViews views) {
        super(PROCESSING_GROUP, List.of(TABLE));
        this.views = views;
    }

    /**
     * A batch of events folded in memory: each stream's row is read once and written once, however many
     * of its events the batch holds. This is what makes a replay fast.
     */
    @Override
    public void applyAll(List<ProjectedEvent> events, Tables tables) {
        String table = tables.of(TABLE);
        List<String> ids = events.stream().filter(e -> AGGREGATE_TYPE.equals(e.aggregateType()))
                .map(ProjectedEvent::aggregateId).distinct().toList();
        if (ids.isEmpty()) {
            return;
        }
        Map<String, DeliveryStreamView> loaded = new HashMap<>();
        views.lockByIds(table, ids).forEach(view -> loaded.put(view.streamId(), view));
        Map<String, DeliveryStreamView> current = new HashMap<>(loaded);
        for (ProjectedEvent event : events) {
            if (AGGREGATE_TYPE.equals(event.aggregateType())) {
                DeliveryStreamView view = current.get(event.aggregateId());
                boolean applies = view == null ? event.payload() instanceof DeliveryStreamCreated : view.lastSequence() < event.sequence();
                if (applies) {
                    current.put(event.aggregateId(), DeliveryStreamViewFold.apply(view, event.payload(), event.sequence()));
                }
            }
        }
        current.forEach((id, view) -> {
            if (view == null) {
                views.delete(table, id);
            } else if (!view.equals(loaded.get(id))) {
                views.save(table, view);
            }
        });
    }

    @Override
    public void apply(ProjectedEvent event, Tables tables) {
        if (!AGGREGATE_TYPE.equals(event.aggregateType())) {
            return;
        }
        String table = tables.of(TABLE);
        DeliveryStreamView current = views.lockById(table, event.aggregateId()).orElse(null);
        if (current == null ? !(event.payload() instanceof DeliveryStreamCreated) : current.lastSequence() >= event.sequence()) {
            return; // seen already, or a stream whose row is gone
        }
        DeliveryStreamView next = DeliveryStreamViewFold.apply(current, event.payload(), event.sequence());
        if (next == null) {
            views.delete(table, event.aggregateId());
        } else if (current == null || !next.atSequence(current.lastSequence()).equals(current)) {
            views.save(table, next);
        }
    }
}
