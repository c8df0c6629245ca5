package io.firehosesse.deliverystream;

import io.firehosesse.api.deliverystream.ActivateDeliveryStream;
import io.firehosesse.api.deliverystream.CompleteDeliveryStreamDeletion;
import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.api.deliverystream.DeliveryStreamDeletionRequested;
import io.firehosesse.system.FirehoseProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.stereotype.Component;

/**
 * Moves streams through the asynchronous halves of their lifecycle: CREATING to ACTIVE, DELETING to
 * gone. It is a tracking processor, so its position is stored with the events: a stream left
 * CREATING by a crash completes after the restart.
 *
 * <p>Each step is due a fixed delay after its event. Events arrive in time order, so waiting for the
 * oldest one to fall due never delays a later one past its own due time.
 */
@Component
@ProcessingGroup(DeliveryStreamLifecycle.PROCESSING_GROUP)
class DeliveryStreamLifecycle {

    static final String PROCESSING_GROUP = "delivery-stream-lifecycle";

    private final CommandGateway commands;
    private final Clock clock;
    private final FirehoseProperties.Lifecycle delays;

    DeliveryStreamLifecycle(CommandGateway commands, Clock clock, FirehoseProperties properties) {
        this.commands = commands;
        this.clock = clock;
        this.delays = properties.lifecycle();
    }

    @EventHandler
    void on(DeliveryStreamCreated event, @Timestamp Instant at) throws InterruptedException {
        waitUntilDue(at, delays.creationDelay());
        send(new ActivateDeliveryStream(event.streamId()));
    }

    @EventHandler
    void on(DeliveryStreamDeletionRequested event, @Timestamp Instant at) throws InterruptedException {
        waitUntilDue(at, delays.deletionDelay());
        send(new CompleteDeliveryStreamDeletion(event.streamId()));
    }

    private void waitUntilDue(Instant at, Duration delay) throws InterruptedException {
        long remaining = Duration.between(clock.instant(), at.plus(delay)).toMillis();
        if (remaining > 0) {
            Thread.sleep(Math.min(remaining, delay.toMillis()));
        }
    }

    private void send(Object command) {
        try {
            commands.sendAndWait(command);
        } catch (AggregateNotFoundException gone) {
            // The stream was deleted meanwhile (or this is a replay): nothing is left to move on.
        }
    }
}
