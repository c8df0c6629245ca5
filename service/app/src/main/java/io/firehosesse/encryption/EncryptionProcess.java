package io.firehosesse.encryption;

import io.firehosesse.platform.ProcessorDeclaration;
import org.springframework.context.annotation.Bean;
import io.firehosesse.api.deliverystream.CompleteEncryptionDisabling;
import io.firehosesse.api.deliverystream.CompleteEncryptionEnabling;
import io.firehosesse.api.deliverystream.CompleteGrantRetirement;
import io.firehosesse.api.deliverystream.DeliveryStreamFailureType;
import io.firehosesse.api.deliverystream.EncryptionDisableRequested;
import io.firehosesse.api.deliverystream.EncryptionRequested;
import io.firehosesse.api.deliverystream.FailEncryptionEnabling;
import io.firehosesse.api.deliverystream.FailGrantRetirement;
import io.firehosesse.api.deliverystream.GrantRetirementScheduled;
import io.firehosesse.api.deliverystream.KeyType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The process manager for server-side encryption: does the KMS work an accepted Start or Stop needs,
 * then reports back to the stream. It is a tracking processor, so its position is stored with the
 * events: a crash at any step replays the step after the restart, and every step is safe to repeat
 * (a grant is named after the request that asked for it, so KMS returns the same grant; a grant
 * already gone counts as retired; a report about an attempt that is over is ignored). It reaches
 * KMS only through {@link KmsKeys}, so it works unchanged against an external KMS, and it never
 * runs on a replay.
 */
@Component
@ProcessingGroup(EncryptionProcess.PROCESSING_GROUP)
class EncryptionProcess {

    public static final String PROCESSING_GROUP = "encryption-process";

    private static final Logger log = LoggerFactory.getLogger(EncryptionProcess.class);

    /** Tracking, after the commit: four segments, so one stream's events stay in order while KMS work for different
     * streams overlaps; up to ten events a transaction when a backlog builds (one token update and commit for ten;
     * under a sustained Start/Stop load one at a time fell seconds behind and streams stayed ENABLING). A failed
     * batch is retried whole; every step is idempotent. */
    @Bean
    static ProcessorDeclaration encryptionProcessor() {
        return ProcessorDeclaration.tracking(PROCESSING_GROUP, 4, 10);
    }

    private final KmsKeys kms;
    private final GrantRetirement retirement;
    private final CommandGateway commands;
    private final Clock clock;
    private final EncryptionProperties properties;
    private final PendingRecords pending;

    EncryptionProcess(KmsKeys kms, GrantRetirement retirement, CommandGateway commands, Clock clock,
                      EncryptionProperties properties, PendingRecords pending) {
        this.pending = pending;
        this.kms = kms;
        this.retirement = retirement;
        this.commands = commands;
        this.clock = clock;
        this.properties = properties;
    }

    @EventHandler
    @DisallowReplay
    void on(EncryptionRequested event) {
        Object outcome = event.requested().keyType() == KeyType.AWS_OWNED_CMK
                ? new CompleteEncryptionEnabling(event.streamId(), event.attemptId(), null, null)
                : enableCustomerKey(event, event.requestedAt().plus(properties.kmsDeadline()));
        if (outcome instanceof CompleteEncryptionEnabling) {
            KmsRetries.sleep(properties.enableDelay());
        }
        send(outcome);
    }

    private Object enableCustomerKey(EncryptionRequested event, Instant deadline) {
        if (event.credentialsIssuedAt() != null
                && Duration.between(event.credentialsIssuedAt(), event.requestedAt()).compareTo(properties.sessionMaxAge()) > 0) {
            return fail(event, DeliveryStreamFailureType.CREATE_KMS_GRANT_FAILED,
                    "The request was made with session credentials issued at " + event.credentialsIssuedAt()
                            + ", more than " + properties.sessionMaxAge().toHours()
                            + " hours earlier; KMS grants cannot be created with them.");
        }
        KmsKeys.OnBehalfOf caller = new KmsKeys.OnBehalfOf(event.key().accountId(), event.key().region(),
                event.callerPrincipal());
        String keyRef = event.requested().keyId() != null ? event.requested().keyId() : event.requested().keyArn();
        KmsResult<KmsKeys.KeyDescription> described = KmsRetries.untilAnswered(clock, deadline, () -> kms.describeKey(caller, keyRef));
        if (!described.isOk()) {
            return fail(event, FailureTypes.of(described.error(), false), FailureTypes.details(described.error()));
        }
        KmsKeys.KeyDescription key = described.value();
        if (!"Enabled".equals(key.keyState())) {
            boolean disabled = "Disabled".equals(key.keyState());
            return fail(event, disabled ? DeliveryStreamFailureType.DISABLED_KMS_KEY : DeliveryStreamFailureType.INVALID_KMS_KEY,
                    key.keyArn() + (disabled ? " is disabled." : " is " + describeState(key.keyState()) + "."));
        }
        if (!"SYMMETRIC_DEFAULT".equals(key.keySpec()) || !"ENCRYPT_DECRYPT".equals(key.keyUsage())) {
            return fail(event, DeliveryStreamFailureType.INVALID_KMS_KEY, key.keyArn() + " is not a symmetric encryption key"
                    + " (KeySpec " + key.keySpec() + ", KeyUsage " + key.keyUsage() + "); Firehose supports only symmetric keys.");
        }
        if (event.reusableGrant() != null && event.reusableGrant().keyId().equals(key.keyArn())
                && !revokedMeanwhile(caller, event.reusableGrant().grantId(), key.keyArn(), deadline)) {
            return new CompleteEncryptionEnabling(event.streamId(), event.attemptId(), null, null);
        }
        String grantName = "firehose-" + event.attemptId().replaceAll("[^a-zA-Z0-9:/_-]", "-");
        KmsResult<KmsKeys.CreatedGrant> grant = KmsRetries.untilAnswered(clock, deadline, () -> kms.createGrant(caller,
                new KmsKeys.GrantRequest(key.keyArn(), FirehoseGrant.GRANTEE, FirehoseGrant.GRANTEE, FirehoseGrant.OPERATIONS,
                        FirehoseGrant.context(event.key().arn()), grantName)));
        if (!grant.isOk()) {
            return fail(event, FailureTypes.of(grant.error(), true), FailureTypes.details(grant.error()));
        }
        return new CompleteEncryptionEnabling(event.streamId(), event.attemptId(), grant.value().grantId(), grantName);
    }

    @EventHandler
    @DisallowReplay
    void on(EncryptionDisableRequested event) {
        if (event.grantToRetire() == null) {
            KmsRetries.sleep(properties.disableDelay());
            send(new CompleteEncryptionDisabling(event.streamId(), event.attemptId()));
        }
    }

    @EventHandler
    @DisallowReplay
    void on(GrantRetirementScheduled event, @Timestamp Instant at) {
        KmsRetries.sleep(properties.disableDelay());
        // A grant is retired only once no record under it waits for delivery, as AWS does: flush them now.
        pending.flush(event.streamId());
        send(retirement.retire(event.grant(), at.plus(properties.kmsDeadline()))
                .<Object>map(why -> new FailGrantRetirement(event.streamId(), event.grant().grantId(), why))
                .orElseGet(() -> new CompleteGrantRetirement(event.streamId(), event.grant().grantId())));
    }

    /**
     * Whether the grant Firehose holds on the key is gone (retired or revoked by someone else), so that a Start on the
     * same key makes a new one instead of keeping a grant puts can no longer use. When KMS will not list the key's
     * grants, the grant is taken to be there, as before.
     */
    private boolean revokedMeanwhile(KmsKeys.OnBehalfOf caller, String grantId, String keyArn, Instant deadline) {
        KmsResult<List<KmsKeys.GrantEntry>> held = KmsRetries.untilAnswered(clock, deadline,
                () -> kms.listGrants(caller, keyArn));
        return held.isOk() && held.value().stream().noneMatch(grant -> grant.grantId().equals(grantId));
    }

    private static FailEncryptionEnabling fail(EncryptionRequested event, DeliveryStreamFailureType type, String details) {
        return new FailEncryptionEnabling(event.streamId(), event.attemptId(), type, details);
    }

    private static String describeState(String keyState) {
        return "PendingDeletion".equals(keyState) ? "pending deletion" : "in state " + keyState;
    }

    private void send(Object command) {
        // With the request id of the Start or Stop that asked for this (the MDC, from the event's metadata).
        if (log.isDebugEnabled()) {
            log.debug("Reporting to the stream: {}", command.getClass().getSimpleName());
        }
        try {
            commands.sendAndWait(command);
        } catch (AggregateNotFoundException gone) {
            // The stream was deleted meanwhile: there is nobody left to report to.
        }
    }
}
