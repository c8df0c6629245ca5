package io.firehosesse.deliverystream;

import java.util.function.Supplier;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;

/**
 * Takes a step while the lifecycle processor is stopped, then starts it again, and it moves the stream on. A stream
 * stays CREATING or DELETING only for the 300 ms the tests configure, and on a busy machine the next call may come
 * later than that; stopped, the lifecycle leaves it there for as long as the step takes.
 */
final class LifecyclePause {

    private LifecyclePause() {
    }

    static <T> T whileTheLifecycleWaits(EventProcessingConfiguration processing, Supplier<T> step) {
        TrackingEventProcessor lifecycle = processing.eventProcessorByProcessingGroup(
                DeliveryStreamLifecycle.PROCESSING_GROUP, TrackingEventProcessor.class).orElseThrow();
        lifecycle.shutDown();
        try {
            return step.get();
        } finally {
            lifecycle.start();
        }
    }
}
