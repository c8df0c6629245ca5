package io.firehosesse.deliverystream;

import io.firehosesse.platform.ProcessorDeclaration;
import org.springframework.context.annotation.Bean;
import io.firehosesse.api.deliverystream.ActivateDeliveryStream;
import io.firehosesse.api.deliverystream.CompleteDeliveryStreamDeletion;
import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.api.deliverystream.DeliveryStreamDeletionRequested;
import io.firehosesse.api.deliverystream.DeliveryStreamFailureType;
import io.firehosesse.api.deliverystream.FailDeliveryStreamDeletion;
import io.firehosesse.api.deliverystream.GrantRef;
import io.firehosesse.encryption.EncryptionProperties;
import io.firehosesse.encryption.GrantRetirement;
import io.firehosesse.system.FirehoseProperties;
import java.util.List;
import java.util.Optional;
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
 * Moves streams through the asynchronous halves of their lifecycle: CREATING to ACTIVE (unless the
 * stream asked for encryption, which the encryption process completes), DELETING to gone. It is a tracking processor, so its position is stored with the events: a stream left
 * CREATING by a crash completes after the restart.
 *
 * <p>Each step is due a fixed delay after its event. Events arrive in time order, so waiting for the
 * oldest one to fall due never delays a later one past its own due time.
 */
@Component
@ProcessingGroup(DeliveryStreamLifecycle.PROCESSING_GROUP)
class DeliveryStreamLifecycle {

    public static final String PROCESSING_GROUP = "delivery-stream-lifecycle";

    /** Tracking, one segment: it waits for each step's due time, in event order, after the commit. */
    @Bean
    static ProcessorDeclaration deliveryStreamLifecycleProcessor() {
        return ProcessorDeclaration.tracking(PROCESSING_GROUP, 1, 1);
    }

    private final CommandGateway commands;
    private final Clock clock;
    private final FirehoseProperties.Lifecycle delays;

    private final GrantRetirement grants;
    private final Duration kmsDeadline;

    DeliveryStreamLifecycle(CommandGateway commands, Clock clock, FirehoseProperties properties, GrantRetirement grants,
                            EncryptionProperties encryption) {
        this.commands = commands;
        this.clock = clock;
        this.delays = properties.lifecycle();
        this.grants = grants;
        this.kmsDeadline = encryption.kmsDeadline();
    }

    @EventHandler
    void on(DeliveryStreamCreated event, @Timestamp Instant at) throws InterruptedException {
        waitUntilDue(at, delays.creationDelay());
        send(new ActivateDeliveryStream(event.streamId()));
    }

    /** Retires the stream's grants, then lets it go; a grant that cannot be retired stops it unless forced. */
    @EventHandler
    void on(DeliveryStreamDeletionRequested event, @Timestamp Instant at) throws InterruptedException {
        waitUntilDue(at, delays.deletionDelay());
        for (GrantRef grant : event.grantsToRetire() == null ? List.<GrantRef>of() : event.grantsToRetire()) {
            Optional<String> failure = grants.retire(grant, at.plus(kmsDeadline));
            if (failure.isPresent() && !event.allowForceDelete()) {
                send(new FailDeliveryStreamDeletion(event.streamId(), DeliveryStreamFailureType.RETIRE_KMS_GRANT_FAILED,
                        "Could not retire grant " + grant.grantId() + " on " + grant.keyId() + ": " + failure.get()));
                return;
            }
        }
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
