package io.firehosesse.deliverystream;

import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.api.deliverystream.DeliveryStreamDeletionRequested;
import io.firehosesse.platform.ProcessorDeclaration;
import io.firehosesse.system.FirehoseProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * Moves streams through the asynchronous halves of their lifecycle: CREATING to ACTIVE (unless the stream asked for
 * encryption, which the encryption process completes), DELETING to gone. Each step is due a fixed delay after its
 * event; this processor only writes it down, with its due time, in the transaction that stores its position
 * ({@link LifecycleSteps#record}), and {@link LifecycleSteps} takes every step due at once, in batches. Nothing
 * waits here, so a burst of creations is recorded as fast as it arrives. It is a tracking processor, so a stream
 * left CREATING by a crash has its step recorded after the restart if it was not before.
 */
@Component
@ProcessingGroup(DeliveryStreamLifecycle.PROCESSING_GROUP)
class DeliveryStreamLifecycle {

    public static final String PROCESSING_GROUP = "delivery-stream-lifecycle";

    /** Tracking, one segment: it only records due steps, many to a transaction when a burst arrives. */
    @Bean
    static ProcessorDeclaration deliveryStreamLifecycleProcessor() {
        return ProcessorDeclaration.tracking(PROCESSING_GROUP, 1, 100);
    }

    private final LifecycleSteps steps;
    private final FirehoseProperties.Lifecycle delays;
    private final Clock clock;

    DeliveryStreamLifecycle(LifecycleSteps steps, FirehoseProperties properties, Clock clock) {
        this.steps = steps;
        this.delays = properties.lifecycle();
        this.clock = clock;
    }

    @EventHandler
    void on(DeliveryStreamCreated event, @Timestamp Instant at, @MessageIdentifier String eventId) {
        steps.record(eventId, event.streamId(), LifecycleSteps.Kind.ACTIVATE, at, due(at, delays.creationDelay()), false,
                List.of());
    }

    /** The deletion's step: its grants retired, then the stream let go (LifecycleSteps#delete). */
    @EventHandler
    void on(DeliveryStreamDeletionRequested event, @Timestamp Instant at, @MessageIdentifier String eventId) {
        steps.record(eventId, event.streamId(), LifecycleSteps.Kind.DELETE, at, due(at, delays.deletionDelay()),
                event.allowForceDelete(), event.grantsToRetire() == null ? List.of() : event.grantsToRetire());
    }

    /**
     * The delay after the event, but never later than the delay from now: an event stamped by a clock ahead of this
     * instance's (another instance's) must not hold its step back for longer than the delay.
     */
    private Instant due(Instant at, Duration delay) {
        Instant latest = clock.instant().plus(delay);
        Instant due = at.plus(delay);
        return due.isAfter(latest) ? latest : due;
    }
}
