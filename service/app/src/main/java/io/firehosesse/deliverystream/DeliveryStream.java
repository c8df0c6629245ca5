package io.firehosesse.deliverystream;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.api.InvalidKmsResourceException;
import io.firehosesse.api.deliverystream.ActivateDeliveryStream;
import io.firehosesse.api.deliverystream.EncryptionKeyFaulted;
import io.firehosesse.api.deliverystream.EncryptionKeyRecovered;
import io.firehosesse.api.deliverystream.ReportKeyFault;
import io.firehosesse.api.deliverystream.ReportKeyRecovered;
import io.firehosesse.api.deliverystream.CompleteDeliveryStreamDeletion;
import io.firehosesse.api.deliverystream.CompleteEncryptionDisabling;
import io.firehosesse.api.deliverystream.CompleteEncryptionEnabling;
import io.firehosesse.api.deliverystream.CompleteGrantRetirement;
import io.firehosesse.api.deliverystream.CreateDeliveryStream;
import io.firehosesse.api.deliverystream.DeleteDeliveryStream;
import io.firehosesse.api.deliverystream.DeliveryStreamActivated;
import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.api.deliverystream.DeliveryStreamCreationFailed;
import io.firehosesse.api.deliverystream.DeliveryStreamDeleted;
import io.firehosesse.api.deliverystream.DeliveryStreamDeletionFailed;
import io.firehosesse.api.deliverystream.DeliveryStreamDeletionRequested;
import io.firehosesse.api.deliverystream.DeliveryStreamEncryptionStatus;
import io.firehosesse.api.deliverystream.DeliveryStreamStatus;
import io.firehosesse.api.deliverystream.DeliveryStreamTagged;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.DeliveryStreamUntagged;
import io.firehosesse.api.deliverystream.EncryptionAlreadyDisabled;
import io.firehosesse.api.deliverystream.EncryptionDisableFailed;
import io.firehosesse.api.deliverystream.EncryptionDisableRequested;
import io.firehosesse.api.deliverystream.EncryptionDisabled;
import io.firehosesse.api.deliverystream.EncryptionEnabled;
import io.firehosesse.api.deliverystream.EncryptionFailed;
import io.firehosesse.api.deliverystream.EncryptionRequest;
import io.firehosesse.api.deliverystream.EncryptionRequested;
import io.firehosesse.api.deliverystream.EncryptionRules;
import io.firehosesse.api.deliverystream.FailDeliveryStreamDeletion;
import io.firehosesse.api.deliverystream.FailEncryptionEnabling;
import io.firehosesse.api.deliverystream.FailGrantRetirement;
import io.firehosesse.api.deliverystream.DeliveryStreamFailureType;
import io.firehosesse.api.deliverystream.GrantCreated;
import io.firehosesse.api.deliverystream.GrantRef;
import io.firehosesse.api.deliverystream.GrantRetired;
import io.firehosesse.api.deliverystream.GrantRetirementFailed;
import io.firehosesse.api.deliverystream.GrantRetirementScheduled;
import io.firehosesse.api.deliverystream.KeyChoice;
import io.firehosesse.api.deliverystream.KeyType;
import io.firehosesse.api.deliverystream.StartDeliveryStreamEncryption;
import io.firehosesse.api.deliverystream.StopDeliveryStreamEncryption;
import io.firehosesse.api.deliverystream.StreamKey;
import io.firehosesse.api.deliverystream.TagDeliveryStream;
import io.firehosesse.api.deliverystream.UntagDeliveryStream;
import io.firehosesse.encryption.KmsKeys;
import io.firehosesse.encryption.KmsResult;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One delivery stream: its lifecycle, its tags and its server-side encryption. Rules are checked in
 * command handlers, in the order AWS checks them; state changes only in event-sourcing handlers, so
 * replaying the history rebuilds exactly this object. The KMS work itself is done by the encryption
 * process, which reports back with Complete…/Fail… commands naming the attempt they belong to.
 *
 * <p>A snapshot is this object as Jackson writes its fields, and Jackson here reads a snapshot of another form
 * without complaint (unknown fields are skipped, missing ones keep their defaults). So {@code @Revision} names the
 * form: Axon's snapshot filter passes over a snapshot of any other revision, and the stream is rebuilt from its
 * events. Bump it whenever a field is added, removed, renamed or changes meaning.
 */
@Revision("2")
@Aggregate(snapshotTriggerDefinition = "deliveryStreamSnapshotTrigger", cache = "deliveryStreamCache")
class DeliveryStream {

    static final int MAX_TAGS = 50;

    @AggregateIdentifier
    private String streamId;
    private StreamKey key;
    private DeliveryStreamType type;
    private DeliveryStreamStatus status;
    private TreeMap<String, String> tags = new TreeMap<>();

    private DeliveryStreamEncryptionStatus encryptionStatus = DeliveryStreamEncryptionStatus.DISABLED;
    /** The key records are encrypted under; null when they are not encrypted. */
    private KeyChoice keyInForce;
    /** Firehose's grant on {@link #keyInForce} when that is a customer managed key. */
    private GrantRef grantInForce;
    private String pendingAttempt;
    private KeyChoice pendingKey;
    private GrantRef pendingGrant;
    private GrantRef disablingGrant;
    private TreeMap<String, GrantRef> grantsToRetire = new TreeMap<>();
    /** When the last accepted Start/Stop calls were made: no more than the window can hold. */
    private ArrayDeque<Instant> encryptionCalls = new ArrayDeque<>();
    /** Why the key in force refuses data keys on the data path, or null while it works. */
    private DeliveryStreamFailureType keyFault;

    DeliveryStream() {
        // for Axon: the aggregate is rebuilt from its events or a snapshot
    }

    @CommandHandler
    DeliveryStream(CreateDeliveryStream command, Clock clock, KmsKeys kms) {
        requireSourceMatchesType(command);
        requireEncryptionAllowed(command.type(), command.encryption());
        if (command.destinations() == null || command.destinations().size() != 1) {
            throw invalid("Exactly one destination configuration must be specified.");
        }
        Map<String, String> tags = command.tags() == null ? Map.of() : command.tags();
        if (tags.size() > MAX_TAGS) {
            throw new FirehoseException(FirehoseErrorCode.LimitExceededException,
                    "A delivery stream can have at most " + MAX_TAGS + " tags.");
        }
        Instant now = now(clock);
        KeyChoice requested = command.encryption() == null ? null
                : choose(kms, command.key(), command.encryption().keyType(), command.encryption().keyArn(),
                        command.callerPrincipal());
        apply(new DeliveryStreamCreated(command.streamId(), command.key(), command.key().arn(), command.type(),
                command.kinesisSource(), List.copyOf(command.destinations()), new TreeMap<>(tags),
                command.encryption(), now));
        if (requested != null) {
            apply(new EncryptionRequested(command.streamId(), command.key(), EncryptionRequested.CREATE, command.attemptId(),
                    requested, null,
                    command.callerPrincipal(), command.credentialsIssuedAt(), now));
        }
    }

    @CommandHandler
    void handle(ActivateDeliveryStream command, Clock clock) {
        if (status == DeliveryStreamStatus.CREATING && encryptionStatus != DeliveryStreamEncryptionStatus.ENABLING) {
            apply(new DeliveryStreamActivated(streamId, now(clock)));
        }
    }

    // ---- server-side encryption

    @CommandHandler
    void handle(StartDeliveryStreamEncryption command, Clock clock, KmsKeys kms) {
        requireDirectPut();
        requireKeyArnMatchesType(command.keyType(), command.keyArn());
        requireActive();
        requireNoEncryptionChangeUnderWay();
        Instant now = now(clock);
        requireEncryptionCallAllowed(now);
        KeyChoice requested = choose(kms, key, command.keyType(), command.keyArn(), command.callerPrincipal());
        GrantRef reusable = grantInForce != null && requested.keyId() != null && requested.keyId().equals(grantInForce.keyId())
                ? grantInForce : null;
        apply(new EncryptionRequested(streamId, key, EncryptionRequested.START, command.attemptId(), requested, reusable,
                command.callerPrincipal(),
                command.credentialsIssuedAt(), now));
    }

    @CommandHandler
    void handle(StopDeliveryStreamEncryption command, Clock clock) {
        requireDirectPut();
        requireActive();
        requireNoEncryptionChangeUnderWay();
        Instant now = now(clock);
        requireEncryptionCallAllowed(now);
        boolean failedDisable = encryptionStatus == DeliveryStreamEncryptionStatus.DISABLING_FAILED;
        if (keyInForce == null && !failedDisable) {
            apply(new EncryptionAlreadyDisabled(streamId, now));
            return;
        }
        GrantRef toRetire = grantInForce != null ? grantInForce
                : failedDisable ? grantsToRetire.values().stream().findFirst().orElse(null) : null;
        apply(new EncryptionDisableRequested(streamId, command.attemptId(), toRetire, now));
        if (toRetire != null) {
            apply(new GrantRetirementScheduled(streamId, toRetire, now));
        }
    }

    @CommandHandler
    void handle(CompleteEncryptionEnabling command, Clock clock) {
        if (encryptionStatus != DeliveryStreamEncryptionStatus.ENABLING || !command.attemptId().equals(pendingAttempt)) {
            return; // a late or repeated report about an attempt that is over
        }
        Instant now = now(clock);
        GrantRef newGrant = command.grantId() == null ? null : new GrantRef(pendingKey.keyId(), command.grantId());
        if (newGrant != null && !newGrant.equals(grantInForce)) {
            apply(new GrantCreated(streamId, pendingAttempt, newGrant, command.grantName(), now));
        }
        boolean keepsGrant = newGrant == null && grantInForce != null && grantInForce.keyId().equals(pendingKey.keyId());
        if (grantInForce != null && !keepsGrant && !grantInForce.equals(newGrant)) {
            apply(new GrantRetirementScheduled(streamId, grantInForce, now));
        }
        apply(new EncryptionEnabled(streamId, pendingAttempt, pendingKey, now));
        if (status == DeliveryStreamStatus.CREATING) {
            apply(new DeliveryStreamActivated(streamId, now));
        }
    }

    @CommandHandler
    void handle(FailEncryptionEnabling command, Clock clock) {
        if (encryptionStatus != DeliveryStreamEncryptionStatus.ENABLING || !command.attemptId().equals(pendingAttempt)) {
            return;
        }
        Instant now = now(clock);
        apply(new EncryptionFailed(streamId, pendingAttempt, pendingKey, keyInForce, command.failureType(),
                command.details(), now));
        if (status == DeliveryStreamStatus.CREATING) {
            apply(new DeliveryStreamCreationFailed(streamId, command.failureType(), command.details(), now));
        }
    }

    @CommandHandler
    void handle(CompleteEncryptionDisabling command, Clock clock) {
        if (encryptionStatus == DeliveryStreamEncryptionStatus.DISABLING && disablingGrant == null) {
            apply(new EncryptionDisabled(streamId, now(clock)));
        }
    }

    @CommandHandler
    void handle(CompleteGrantRetirement command, Clock clock) {
        GrantRef grant = grantsToRetire.get(command.grantId());
        if (grant == null) {
            return;
        }
        Instant now = now(clock);
        apply(new GrantRetired(streamId, grant, now));
        if (encryptionStatus == DeliveryStreamEncryptionStatus.DISABLING && grant.equals(disablingGrant)) {
            apply(new EncryptionDisabled(streamId, now));
        }
    }

    @CommandHandler
    void handle(FailGrantRetirement command, Clock clock) {
        GrantRef grant = grantsToRetire.get(command.grantId());
        if (grant == null) {
            return;
        }
        Instant now = now(clock);
        apply(new GrantRetirementFailed(streamId, grant, command.details(), now));
        if (encryptionStatus == DeliveryStreamEncryptionStatus.DISABLING && grant.equals(disablingGrant)) {
            apply(new EncryptionDisableFailed(streamId, DeliveryStreamFailureType.RETIRE_KMS_GRANT_FAILED,
                    command.details(), now));
        }
    }

    @CommandHandler
    void handle(ReportKeyFault command, Clock clock) {
        if (reportsOnKeyInForce(command.keyArn()) && command.failureType() != keyFault) {
            apply(new EncryptionKeyFaulted(streamId, keyInForce, command.failureType(), command.details(), now(clock)));
        }
    }

    @CommandHandler
    void handle(ReportKeyRecovered command, Clock clock) {
        if (reportsOnKeyInForce(command.keyArn()) && keyFault != null) {
            apply(new EncryptionKeyRecovered(streamId, keyInForce, now(clock)));
        }
    }

    /** Reports from the data path count only for the key they name still being in force (they may arrive late). */
    private boolean reportsOnKeyInForce(String keyArn) {
        return encryptionStatus == DeliveryStreamEncryptionStatus.ENABLED && keyInForce != null
                && Objects.equals(keyInForce.keyId(), keyArn);
    }

    // ---- deletion

    @CommandHandler
    void handle(DeleteDeliveryStream command, Clock clock) {
        switch (status) {
            case CREATING -> throw inUse("is in CREATING state and cannot be deleted until it is ACTIVE.");
            case DELETING -> {
                // Deletion already under way: asking again changes nothing and is not an error.
            }
            default -> {
                if (encryptionStatus == DeliveryStreamEncryptionStatus.ENABLING
                        || encryptionStatus == DeliveryStreamEncryptionStatus.DISABLING) {
                    // Deleting now could strand the grant the encryption process is about to make.
                    throw inUse("cannot be deleted while its encryption is " + encryptionStatus + ".");
                }
                List<GrantRef> grants = new ArrayList<>(grantsToRetire.values());
                if (grantInForce != null && !grants.contains(grantInForce)) {
                    grants.add(grantInForce);
                }
                apply(new DeliveryStreamDeletionRequested(streamId, command.allowForceDelete(), grants, now(clock)));
            }
        }
    }

    @CommandHandler
    void handle(CompleteDeliveryStreamDeletion command, Clock clock) {
        if (status == DeliveryStreamStatus.DELETING) {
            apply(new DeliveryStreamDeleted(streamId, now(clock)));
        }
    }

    @CommandHandler
    void handle(FailDeliveryStreamDeletion command, Clock clock) {
        if (status == DeliveryStreamStatus.DELETING) {
            apply(new DeliveryStreamDeletionFailed(streamId, command.failureType(), command.details(), now(clock)));
        }
    }

    // ---- tags

    @CommandHandler
    void handle(TagDeliveryStream command, Clock clock) {
        requireNotDeleting();
        TreeMap<String, String> merged = new TreeMap<>(tags);
        merged.putAll(command.tags());
        if (merged.size() > MAX_TAGS) {
            throw new FirehoseException(FirehoseErrorCode.LimitExceededException,
                    "Adding these tags would exceed the limit of " + MAX_TAGS + " tags for Firehose " + key.name() + ".");
        }
        apply(new DeliveryStreamTagged(streamId, new TreeMap<>(command.tags()), now(clock)));
    }

    @CommandHandler
    void handle(UntagDeliveryStream command, Clock clock) {
        requireNotDeleting();
        List<String> present = command.tagKeys().stream().filter(tags::containsKey).distinct().toList();
        if (!present.isEmpty()) {
            apply(new DeliveryStreamUntagged(streamId, present, now(clock)));
        }
    }

    // ---- state

    @EventSourcingHandler
    void on(DeliveryStreamCreated event) {
        streamId = event.streamId();
        key = event.key();
        type = event.type();
        status = DeliveryStreamStatus.CREATING;
        tags = new TreeMap<>(event.tags());
    }

    @EventSourcingHandler
    void on(DeliveryStreamActivated event) {
        status = DeliveryStreamStatus.ACTIVE;
    }

    @EventSourcingHandler
    void on(DeliveryStreamCreationFailed event) {
        status = DeliveryStreamStatus.CREATING_FAILED;
    }

    @EventSourcingHandler
    void on(EncryptionRequested event) {
        // A Start counts toward the daily limit; the encryption asked for in CreateDeliveryStream does not.
        if (event.isStart()) {
            recordEncryptionCall(event.requestedAt());
        }
        encryptionStatus = DeliveryStreamEncryptionStatus.ENABLING;
        pendingAttempt = event.attemptId();
        pendingKey = event.requested();
        pendingGrant = null;
    }

    @EventSourcingHandler
    void on(GrantCreated event) {
        pendingGrant = event.grant();
    }

    @EventSourcingHandler
    void on(EncryptionEnabled event) {
        encryptionStatus = DeliveryStreamEncryptionStatus.ENABLED;
        boolean sameKey = grantInForce != null && grantInForce.keyId().equals(event.key().keyId());
        grantInForce = pendingGrant != null ? pendingGrant : sameKey ? grantInForce : null;
        keyInForce = event.key();
        keyFault = null;
        clearPending();
    }

    @EventSourcingHandler
    void on(EncryptionKeyFaulted event) {
        keyFault = event.failureType();
    }

    @EventSourcingHandler
    void on(EncryptionKeyRecovered event) {
        keyFault = null;
    }

    @EventSourcingHandler
    void on(EncryptionFailed event) {
        encryptionStatus = DeliveryStreamEncryptionStatus.ENABLING_FAILED;
        clearPending();
    }

    @EventSourcingHandler
    void on(EncryptionDisableRequested event) {
        recordEncryptionCall(event.requestedAt());
        encryptionStatus = DeliveryStreamEncryptionStatus.DISABLING;
        disablingGrant = event.grantToRetire();
    }

    @EventSourcingHandler
    void on(EncryptionAlreadyDisabled event) {
        recordEncryptionCall(event.requestedAt());
    }

    @EventSourcingHandler
    void on(EncryptionDisabled event) {
        encryptionStatus = DeliveryStreamEncryptionStatus.DISABLED;
        keyFault = null;
        keyInForce = null;
        grantInForce = null;
        disablingGrant = null;
    }

    @EventSourcingHandler
    void on(EncryptionDisableFailed event) {
        encryptionStatus = DeliveryStreamEncryptionStatus.DISABLING_FAILED;
        keyInForce = null;
        grantInForce = null;
        disablingGrant = null;
    }

    @EventSourcingHandler
    void on(GrantRetirementScheduled event) {
        grantsToRetire.put(event.grant().grantId(), event.grant());
    }

    @EventSourcingHandler
    void on(GrantRetired event) {
        grantsToRetire.remove(event.grant().grantId());
    }

    @EventSourcingHandler
    void on(DeliveryStreamDeletionRequested event) {
        status = DeliveryStreamStatus.DELETING;
    }

    @EventSourcingHandler
    void on(DeliveryStreamDeletionFailed event) {
        status = DeliveryStreamStatus.DELETING_FAILED;
    }

    @EventSourcingHandler
    void on(DeliveryStreamDeleted event) {
        markDeleted();
    }

    @EventSourcingHandler
    void on(DeliveryStreamTagged event) {
        tags.putAll(event.tags());
    }

    @EventSourcingHandler
    void on(DeliveryStreamUntagged event) {
        event.tagKeys().forEach(tags::remove);
    }

    /** Times are kept to the millisecond, as AWS reports them, so every copy of a time compares equal. */
    private static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private void clearPending() {
        pendingAttempt = null;
        pendingKey = null;
        pendingGrant = null;
    }

    private void recordEncryptionCall(Instant at) {
        encryptionCalls.addLast(at);
        while (encryptionCalls.size() > EncryptionRules.START_STOP_CALLS_PER_WINDOW) {
            encryptionCalls.removeFirst();
        }
    }

    // ---- rules

    private void requireEncryptionCallAllowed(Instant now) {
        Instant windowStart = now.minus(EncryptionRules.START_STOP_WINDOW);
        long inWindow = encryptionCalls.stream().filter(call -> call.isAfter(windowStart)).count();
        if (inWindow >= EncryptionRules.START_STOP_CALLS_PER_WINDOW) {
            Instant oldest = encryptionCalls.stream().filter(call -> call.isAfter(windowStart)).findFirst().orElseThrow();
            throw new FirehoseException(FirehoseErrorCode.LimitExceededException,
                    "You have exceeded the limit of " + EncryptionRules.START_STOP_CALLS_PER_WINDOW
                            + " StartDeliveryStreamEncryption and StopDeliveryStreamEncryption calls for delivery stream "
                            + key.name() + " in a " + EncryptionRules.START_STOP_WINDOW.toHours()
                            + "-hour period. The next call will be accepted after "
                            + oldest.plus(EncryptionRules.START_STOP_WINDOW) + ".");
        }
    }

    /** Resolves a requested key; a customer managed key must be describable by the caller right now. */
    private static KeyChoice choose(KmsKeys kms, StreamKey stream, KeyType keyType, String keyArn, String principal) {
        if (keyType == KeyType.AWS_OWNED_CMK) {
            return new KeyChoice(keyType, null, null);
        }
        KmsResult<KmsKeys.KeyDescription> described = kms.describeKey(
                new KmsKeys.OnBehalfOf(stream.accountId(), stream.region(), principal), keyArn);
        if (described.isOk()) {
            return new KeyChoice(keyType, keyArn, described.value().keyArn());
        }
        KmsResult.KmsError error = described.error();
        if (KmsResult.KmsError.UNREACHABLE.equals(error.name())) {
            // KMS is down: accept as AWS would and let the encryption process resolve the key later.
            return new KeyChoice(keyType, keyArn, null);
        }
        throw new InvalidKmsResourceException(error.name(), error.message() == null ? error.name() : error.message());
    }

    private void requireDirectPut() {
        if (type != DeliveryStreamType.DirectPut) {
            throw invalid("This operation is not permitted on " + type + " delivery stream type.");
        }
    }

    private void requireActive() {
        if (status != DeliveryStreamStatus.ACTIVE) {
            throw inUse("is not in ACTIVE state.");
        }
    }

    private void requireNoEncryptionChangeUnderWay() {
        if (encryptionStatus == DeliveryStreamEncryptionStatus.ENABLING
                || encryptionStatus == DeliveryStreamEncryptionStatus.DISABLING) {
            throw inUse("has encryption in " + encryptionStatus + " state; wait until it completes.");
        }
    }

    private void requireNotDeleting() {
        if (status == DeliveryStreamStatus.DELETING) {
            throw inUse("is being deleted.");
        }
    }

    private static void requireKeyArnMatchesType(KeyType keyType, String keyArn) {
        if (keyType == KeyType.CUSTOMER_MANAGED_CMK && keyArn == null) {
            throw invalid("KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK.");
        }
        if (keyType == KeyType.AWS_OWNED_CMK && keyArn != null) {
            throw invalid("KeyARN must not be specified when KeyType is AWS_OWNED_CMK.");
        }
    }

    private static void requireSourceMatchesType(CreateDeliveryStream command) {
        boolean kinesis = command.type() == DeliveryStreamType.KinesisStreamAsSource;
        if (kinesis && command.kinesisSource() == null) {
            throw invalid("KinesisStreamSourceConfiguration is required when DeliveryStreamType is KinesisStreamAsSource.");
        }
        if (!kinesis && command.kinesisSource() != null) {
            throw invalid("KinesisStreamSourceConfiguration is only allowed when DeliveryStreamType is KinesisStreamAsSource.");
        }
        if (command.type() == DeliveryStreamType.MSKAsSource || command.type() == DeliveryStreamType.DatabaseAsSource) {
            throw invalid("DeliveryStreamType " + command.type() + " is not supported by this service.");
        }
    }

    private static void requireEncryptionAllowed(DeliveryStreamType type, EncryptionRequest encryption) {
        if (encryption == null) {
            return;
        }
        if (type != DeliveryStreamType.DirectPut) {
            throw invalid("Server-side encryption is only supported for DirectPut delivery streams, not " + type + ".");
        }
        requireKeyArnMatchesType(encryption.keyType(), encryption.keyArn());
    }

    private FirehoseException inUse(String state) {
        return new FirehoseException(FirehoseErrorCode.ResourceInUseException,
                "Firehose " + key.name() + " under account " + key.accountId() + " " + state);
    }

    private static FirehoseException invalid(String message) {
        return new FirehoseException(FirehoseErrorCode.InvalidArgumentException, message);
    }
}
