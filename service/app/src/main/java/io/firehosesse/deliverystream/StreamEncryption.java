package io.firehosesse.deliverystream;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.api.InvalidKmsResourceException;
import io.firehosesse.api.deliverystream.CompleteEncryptionEnabling;
import io.firehosesse.api.deliverystream.CompleteGrantRetirement;
import io.firehosesse.api.deliverystream.CreateDeliveryStream;
import io.firehosesse.api.deliverystream.DeliveryStreamEncryptionStatus;
import io.firehosesse.api.deliverystream.DeliveryStreamFailureType;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.EncryptionAlreadyDisabled;
import io.firehosesse.api.deliverystream.EncryptionDisableFailed;
import io.firehosesse.api.deliverystream.EncryptionDisableRequested;
import io.firehosesse.api.deliverystream.EncryptionDisabled;
import io.firehosesse.api.deliverystream.EncryptionEnabled;
import io.firehosesse.api.deliverystream.EncryptionFailed;
import io.firehosesse.api.deliverystream.EncryptionKeyFaulted;
import io.firehosesse.api.deliverystream.EncryptionKeyRecovered;
import io.firehosesse.api.deliverystream.EncryptionRequest;
import io.firehosesse.api.deliverystream.EncryptionRequested;
import io.firehosesse.api.deliverystream.EncryptionRules;
import io.firehosesse.api.deliverystream.FailEncryptionEnabling;
import io.firehosesse.api.deliverystream.FailGrantRetirement;
import io.firehosesse.api.deliverystream.GrantCreated;
import io.firehosesse.api.deliverystream.GrantRef;
import io.firehosesse.api.deliverystream.GrantRetired;
import io.firehosesse.api.deliverystream.GrantRetirementFailed;
import io.firehosesse.api.deliverystream.GrantRetirementScheduled;
import io.firehosesse.api.deliverystream.KeyChoice;
import io.firehosesse.api.deliverystream.KeyType;
import io.firehosesse.api.deliverystream.ReportKeyFault;
import io.firehosesse.api.deliverystream.ReportKeyRecovered;
import io.firehosesse.api.deliverystream.StartDeliveryStreamEncryption;
import io.firehosesse.api.deliverystream.StopDeliveryStreamEncryption;
import io.firehosesse.api.deliverystream.StreamKey;
import io.firehosesse.encryption.KmsKeys;
import io.firehosesse.encryption.KmsResult;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.axonframework.eventsourcing.EventSourcingHandler;

/**
 * A delivery stream's server-side encryption: ENABLING → ENABLED or ENABLING_FAILED, DISABLING → DISABLED or
 * DISABLING_FAILED, the grants the stream holds and is retiring, the Start/Stop calls counted against
 * {@link EncryptionRules}, and faults the data path reports on the key in force.
 *
 * <p>An {@code @AggregateMember} of {@link DeliveryStream} (the shape of hotel-demo's bookings), not an immutable
 * value the aggregate folds events into: as a member, Axon hands it the encryption events itself, so its state
 * changes only in its own event-sourcing handlers and the aggregate lists none of them. A value would need the
 * aggregate to forward a dozen events one by one, and would copy its grant map and call log on every event.
 *
 * <p>It has no command handlers: the aggregate routes every command, checks the lifecycle's rules first (in the
 * order AWS checks them) and then asks this class for its rules ({@code require…}, which throw) and for the
 * events a command leads to. Those methods only read this state and return the events, leaving the aggregate to
 * apply them; none of them changes a field.
 */
class StreamEncryption {

    private DeliveryStreamEncryptionStatus status = DeliveryStreamEncryptionStatus.DISABLED;
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
    private ArrayDeque<Instant> calls = new ArrayDeque<>();
    /** Why the key in force refuses data keys on the data path, or null while it works. */
    private DeliveryStreamFailureType keyFault;

    DeliveryStreamEncryptionStatus status() {
        return status;
    }

    boolean enabling() {
        return status == DeliveryStreamEncryptionStatus.ENABLING;
    }

    /** A Start or Stop is being carried out by the encryption process. */
    boolean changing() {
        return status == DeliveryStreamEncryptionStatus.ENABLING || status == DeliveryStreamEncryptionStatus.DISABLING;
    }

    /** The process's report is about the attempt under way; any other is late or repeated, and changes nothing. */
    boolean awaits(String attemptId) {
        return status == DeliveryStreamEncryptionStatus.ENABLING && attemptId.equals(pendingAttempt);
    }

    /** Every grant the stream holds or still has to retire: deleting the stream retires them all. */
    List<GrantRef> grantsHeld() {
        List<GrantRef> grants = new ArrayList<>(grantsToRetire.values());
        if (grantInForce != null && !grants.contains(grantInForce)) {
            grants.add(grantInForce);
        }
        return grants;
    }

    // ---- rules

    /** Server-side encryption asked for in CreateDeliveryStream. */
    static void requireAllowedAtCreation(DeliveryStreamType type, EncryptionRequest encryption) {
        if (encryption == null) {
            return;
        }
        if (type != DeliveryStreamType.DirectPut) {
            throw DeliveryStream.invalid("Server-side encryption is only supported for DirectPut delivery streams, not "
                    + type + ".");
        }
        requireKeyArnMatchesType(encryption.keyType(), encryption.keyArn());
    }

    static void requireKeyArnMatchesType(KeyType keyType, String keyArn) {
        if (keyType == KeyType.CUSTOMER_MANAGED_CMK && keyArn == null) {
            throw DeliveryStream.invalid("KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK.");
        }
        if (keyType == KeyType.AWS_OWNED_CMK && keyArn != null) {
            throw DeliveryStream.invalid("KeyARN must not be specified when KeyType is AWS_OWNED_CMK.");
        }
    }

    /** A Start or Stop may begin: none under way, and a call left in the window. */
    void requireChangeAllowed(StreamKey stream, Instant now) {
        if (changing()) {
            throw DeliveryStream.inUse(stream, "has encryption in " + status + " state; wait until it completes.");
        }
        Instant windowStart = now.minus(EncryptionRules.START_STOP_WINDOW);
        long inWindow = calls.stream().filter(call -> call.isAfter(windowStart)).count();
        if (inWindow >= EncryptionRules.START_STOP_CALLS_PER_WINDOW) {
            Instant oldest = calls.stream().filter(call -> call.isAfter(windowStart)).findFirst().orElseThrow();
            throw new FirehoseException(FirehoseErrorCode.LimitExceededException,
                    "You have exceeded the limit of " + EncryptionRules.START_STOP_CALLS_PER_WINDOW
                            + " StartDeliveryStreamEncryption and StopDeliveryStreamEncryption calls for delivery stream "
                            + stream.name() + " in a " + EncryptionRules.START_STOP_WINDOW.toHours()
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

    // ---- the events a command leads to

    /**
     * The encryption asked for in CreateDeliveryStream, if any; the key is resolved before the stream is created,
     * so a key the caller cannot use fails the Create.
     */
    static EncryptionRequested requestAtCreation(KmsKeys kms, CreateDeliveryStream command, Instant now) {
        if (command.encryption() == null) {
            return null;
        }
        KeyChoice requested = choose(kms, command.key(), command.encryption().keyType(), command.encryption().keyArn(),
                command.callerPrincipal());
        return new EncryptionRequested(command.streamId(), command.key(), EncryptionRequested.CREATE, command.attemptId(),
                requested, null, command.callerPrincipal(), command.credentialsIssuedAt(), now);
    }

    /** A Start, once its key resolves: a grant already held on the same key is offered for reuse. */
    EncryptionRequested start(KmsKeys kms, String streamId, StreamKey stream, StartDeliveryStreamEncryption command,
                              Instant now) {
        KeyChoice requested = choose(kms, stream, command.keyType(), command.keyArn(), command.callerPrincipal());
        GrantRef reusable = grantInForce != null && requested.keyId() != null && requested.keyId().equals(grantInForce.keyId())
                ? grantInForce : null;
        return new EncryptionRequested(streamId, stream, EncryptionRequested.START, command.attemptId(), requested, reusable,
                command.callerPrincipal(), command.credentialsIssuedAt(), now);
    }

    /**
     * A Stop: counted even when encryption is off already. After a failed disable the grant that could not be
     * retired is tried again.
     */
    List<Object> stop(String streamId, StopDeliveryStreamEncryption command, Instant now) {
        boolean failedDisable = status == DeliveryStreamEncryptionStatus.DISABLING_FAILED;
        if (keyInForce == null && !failedDisable) {
            return List.of(new EncryptionAlreadyDisabled(streamId, now));
        }
        GrantRef toRetire = grantInForce != null ? grantInForce
                : failedDisable ? grantsToRetire.values().stream().findFirst().orElse(null) : null;
        EncryptionDisableRequested requested = new EncryptionDisableRequested(streamId, command.attemptId(), toRetire, now);
        return toRetire == null ? List.of(requested) : List.of(requested, new GrantRetirementScheduled(streamId, toRetire, now));
    }

    /** The attempt {@link #awaits awaited} succeeded: the grant it made replaces the one in force unless on the same key. */
    List<Object> completeEnabling(String streamId, CompleteEncryptionEnabling command, Instant now) {
        List<Object> events = new ArrayList<>();
        GrantRef newGrant = command.grantId() == null ? null : new GrantRef(pendingKey.keyId(), command.grantId());
        if (newGrant != null && !newGrant.equals(grantInForce)) {
            events.add(new GrantCreated(streamId, pendingAttempt, newGrant, command.grantName(), now));
        }
        boolean keepsGrant = newGrant == null && grantInForce != null && grantInForce.keyId().equals(pendingKey.keyId());
        if (grantInForce != null && !keepsGrant && !grantInForce.equals(newGrant)) {
            events.add(new GrantRetirementScheduled(streamId, grantInForce, now));
        }
        events.add(new EncryptionEnabled(streamId, pendingAttempt, pendingKey, now));
        return events;
    }

    /** The attempt {@link #awaits awaited} failed: the key in force, if any, stays. */
    EncryptionFailed failEnabling(String streamId, FailEncryptionEnabling command, Instant now) {
        return new EncryptionFailed(streamId, pendingAttempt, pendingKey, keyInForce, command.failureType(), command.details(),
                now);
    }

    /** The process finished a disable that had no grant to retire. */
    List<Object> completeDisabling(String streamId, Instant now) {
        return status == DeliveryStreamEncryptionStatus.DISABLING && disablingGrant == null
                ? List.of(new EncryptionDisabled(streamId, now)) : List.of();
    }

    /** A grant was retired; if a disable was waiting for it, encryption is now off. */
    List<Object> completeGrantRetirement(String streamId, CompleteGrantRetirement command, Instant now) {
        GrantRef grant = grantsToRetire.get(command.grantId());
        if (grant == null) {
            return List.of();
        }
        GrantRetired retired = new GrantRetired(streamId, grant, now);
        return waitsToDisable(grant) ? List.of(retired, new EncryptionDisabled(streamId, now)) : List.of(retired);
    }

    /** A grant could not be retired; if a disable was waiting for it, the disable failed. */
    List<Object> failGrantRetirement(String streamId, FailGrantRetirement command, Instant now) {
        GrantRef grant = grantsToRetire.get(command.grantId());
        if (grant == null) {
            return List.of();
        }
        GrantRetirementFailed failed = new GrantRetirementFailed(streamId, grant, command.details(), now);
        return waitsToDisable(grant)
                ? List.of(failed, new EncryptionDisableFailed(streamId, DeliveryStreamFailureType.RETIRE_KMS_GRANT_FAILED,
                        command.details(), now))
                : List.of(failed);
    }

    private boolean waitsToDisable(GrantRef grant) {
        return status == DeliveryStreamEncryptionStatus.DISABLING && grant.equals(disablingGrant);
    }

    /** The data path found the key refusing data keys: recorded once per kind of fault. */
    List<Object> reportKeyFault(String streamId, ReportKeyFault command, Instant now) {
        return reportsOnKeyInForce(command.keyArn()) && command.failureType() != keyFault
                ? List.of(new EncryptionKeyFaulted(streamId, keyInForce, command.failureType(), command.details(), now))
                : List.of();
    }

    List<Object> reportKeyRecovered(String streamId, ReportKeyRecovered command, Instant now) {
        return reportsOnKeyInForce(command.keyArn()) && keyFault != null
                ? List.of(new EncryptionKeyRecovered(streamId, keyInForce, now)) : List.of();
    }

    /** Reports from the data path count only for the key they name still being in force (they may arrive late). */
    private boolean reportsOnKeyInForce(String keyArn) {
        return status == DeliveryStreamEncryptionStatus.ENABLED && keyInForce != null
                && Objects.equals(keyInForce.keyId(), keyArn);
    }

    // ---- state

    @EventSourcingHandler
    void on(EncryptionRequested event) {
        // A Start counts toward the daily limit; the encryption asked for in CreateDeliveryStream does not.
        if (event.isStart()) {
            recordCall(event.requestedAt());
        }
        status = DeliveryStreamEncryptionStatus.ENABLING;
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
        status = DeliveryStreamEncryptionStatus.ENABLED;
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
        status = DeliveryStreamEncryptionStatus.ENABLING_FAILED;
        clearPending();
    }

    @EventSourcingHandler
    void on(EncryptionDisableRequested event) {
        recordCall(event.requestedAt());
        status = DeliveryStreamEncryptionStatus.DISABLING;
        disablingGrant = event.grantToRetire();
    }

    @EventSourcingHandler
    void on(EncryptionAlreadyDisabled event) {
        recordCall(event.requestedAt());
    }

    @EventSourcingHandler
    void on(EncryptionDisabled event) {
        status = DeliveryStreamEncryptionStatus.DISABLED;
        keyFault = null;
        keyInForce = null;
        grantInForce = null;
        disablingGrant = null;
    }

    @EventSourcingHandler
    void on(EncryptionDisableFailed event) {
        status = DeliveryStreamEncryptionStatus.DISABLING_FAILED;
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

    private void clearPending() {
        pendingAttempt = null;
        pendingKey = null;
        pendingGrant = null;
    }

    private void recordCall(Instant at) {
        calls.addLast(at);
        while (calls.size() > EncryptionRules.START_STOP_CALLS_PER_WINDOW) {
            calls.removeFirst();
        }
    }
}
