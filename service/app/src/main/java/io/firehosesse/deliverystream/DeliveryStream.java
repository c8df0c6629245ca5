package io.firehosesse.deliverystream;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.api.deliverystream.ActivateDeliveryStream;
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
import io.firehosesse.api.deliverystream.DeliveryStreamStatus;
import io.firehosesse.api.deliverystream.DeliveryStreamTagged;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.DeliveryStreamUntagged;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.DestinationKind;
import io.firehosesse.api.deliverystream.DestinationUpdated;
import io.firehosesse.api.deliverystream.EncryptionRequested;
import io.firehosesse.api.deliverystream.FailDeliveryStreamDeletion;
import io.firehosesse.api.deliverystream.FailEncryptionEnabling;
import io.firehosesse.api.deliverystream.FailGrantRetirement;
import io.firehosesse.api.deliverystream.ReportKeyFault;
import io.firehosesse.api.deliverystream.ReportKeyRecovered;
import io.firehosesse.api.deliverystream.StartDeliveryStreamEncryption;
import io.firehosesse.api.deliverystream.StopDeliveryStreamEncryption;
import io.firehosesse.api.deliverystream.StreamKey;
import io.firehosesse.api.deliverystream.TagDeliveryStream;
import io.firehosesse.api.deliverystream.UntagDeliveryStream;
import io.firehosesse.api.deliverystream.UpdateDestination;
import io.firehosesse.encryption.KmsKeys;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.AggregateMember;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One delivery stream: its lifecycle (CREATING, ACTIVE, DELETING and their failures), its tags, and the routing of
 * every command, encryption's included; the server-side encryption state machine is its member
 * {@link StreamEncryption}. Rules are checked in command handlers, in the order AWS checks them; state changes only
 * in event-sourcing handlers (this class's and the member's), so replaying the history rebuilds exactly this object.
 * The KMS work is done by the encryption process, which reports back with Complete…/Fail… commands naming the attempt.
 *
 * <p>Snapshots are these fields as Jackson writes them, and Jackson here reads another form without complaint
 * (unknown fields skipped, missing ones left at their defaults). {@code @Revision} names the form, so Axon's snapshot
 * filter passes over a snapshot of any other revision and the stream is rebuilt from its events: bump it whenever a
 * field, here or in the member, is added, removed, renamed or changes meaning.
 *
 * <p>Public only because the bean definitions Spring's ahead-of-time processing generates for Axon's aggregate
 * factory live in Axon's packages and name this class; nothing outside the package uses it.
 */
@Revision("3")
@Aggregate(snapshotTriggerDefinition = "deliveryStreamSnapshotTrigger", cache = "deliveryStreamCache")
public class DeliveryStream {

    static final int MAX_TAGS = 50;

    @AggregateIdentifier
    private String streamId;
    private StreamKey key;
    private DeliveryStreamType type;
    private DeliveryStreamStatus status;
    private TreeMap<String, String> tags = new TreeMap<>();
    /** Describe's VersionId: 1 at creation, one more with each destination update. */
    private long versionId;
    private List<Destination> destinations = new ArrayList<>();
    @AggregateMember
    private StreamEncryption encryption = new StreamEncryption();

    DeliveryStream() {
        // for Axon: the aggregate is rebuilt from its events or a snapshot
    }

    @CommandHandler
    DeliveryStream(CreateDeliveryStream command, Clock clock, KmsKeys kms) {
        requireSourceMatchesType(command);
        StreamEncryption.requireAllowedAtCreation(command.type(), command.encryption());
        if (command.destinations() == null || command.destinations().size() != 1) {
            throw invalid("Exactly one destination configuration must be specified.");
        }
        if (command.type() == DeliveryStreamType.DatabaseAsSource
                && command.destinations().get(0).kind() != DestinationKind.ICEBERG) {
            // AWS delivers database changes to Apache Iceberg Tables only.
            throw invalid("DatabaseAsSource delivery streams only support IcebergDestinationConfiguration as destination.");
        }
        Map<String, String> tags = command.tags() == null ? Map.of() : command.tags();
        if (tags.size() > MAX_TAGS) {
            throw new FirehoseException(FirehoseErrorCode.LimitExceededException,
                    "A delivery stream can have at most " + MAX_TAGS + " tags.");
        }
        Instant now = now(clock);
        EncryptionRequested encrypt = StreamEncryption.requestAtCreation(kms, command, now);
        apply(new DeliveryStreamCreated(command.streamId(), command.key(), command.key().arn(), command.type(),
                command.kinesisSource(), List.copyOf(command.destinations()), new TreeMap<>(tags),
                command.encryption(), now, command.source()));
        if (encrypt != null) {
            apply(encrypt);
        }
    }

    @CommandHandler
    void handle(ActivateDeliveryStream command, Clock clock) {
        // While the encryption asked for at creation is being enabled, its completion activates the stream instead.
        if (status == DeliveryStreamStatus.CREATING && !encryption.enabling()) {
            apply(new DeliveryStreamActivated(streamId, now(clock)));
        }
    }

    // ---- server-side encryption: the lifecycle's rules here, the encryption's in StreamEncryption

    @CommandHandler
    void handle(StartDeliveryStreamEncryption command, Clock clock, KmsKeys kms) {
        requireDirectPut();
        StreamEncryption.requireKeyArnMatchesType(command.keyType(), command.keyArn());
        requireActive();
        Instant now = now(clock);
        encryption.requireChangeAllowed(key, now);
        apply(encryption.start(kms, streamId, key, command, now));
    }

    @CommandHandler
    void handle(StopDeliveryStreamEncryption command, Clock clock) {
        requireDirectPut();
        requireActive();
        Instant now = now(clock);
        encryption.requireChangeAllowed(key, now);
        applyAll(encryption.stop(streamId, command, now));
    }

    @CommandHandler
    void handle(CompleteEncryptionEnabling command, Clock clock) {
        if (!encryption.awaits(command.attemptId())) {
            return; // a late or repeated report about an attempt that is over
        }
        Instant now = now(clock);
        applyAll(encryption.completeEnabling(streamId, command, now));
        if (status == DeliveryStreamStatus.CREATING) {
            apply(new DeliveryStreamActivated(streamId, now));
        }
    }

    @CommandHandler
    void handle(FailEncryptionEnabling command, Clock clock) {
        if (!encryption.awaits(command.attemptId())) {
            return;
        }
        Instant now = now(clock);
        apply(encryption.failEnabling(streamId, command, now));
        if (status == DeliveryStreamStatus.CREATING) {
            apply(new DeliveryStreamCreationFailed(streamId, command.failureType(), command.details(), now));
        }
    }

    @CommandHandler
    void handle(CompleteEncryptionDisabling command, Clock clock) {
        applyAll(encryption.completeDisabling(streamId, now(clock)));
    }

    @CommandHandler
    void handle(CompleteGrantRetirement command, Clock clock) {
        applyAll(encryption.completeGrantRetirement(streamId, command, now(clock)));
    }

    @CommandHandler
    void handle(FailGrantRetirement command, Clock clock) {
        applyAll(encryption.failGrantRetirement(streamId, command, now(clock)));
    }

    @CommandHandler
    void handle(ReportKeyFault command, Clock clock) {
        applyAll(encryption.reportKeyFault(streamId, command, now(clock)));
    }

    @CommandHandler
    void handle(ReportKeyRecovered command, Clock clock) {
        applyAll(encryption.reportKeyRecovered(streamId, command, now(clock)));
    }

    // ---- destinations

    @CommandHandler
    void handle(UpdateDestination command, Clock clock) {
        requireActive();
        if (!Long.toString(versionId).equals(command.currentVersionId())) {
            throw new FirehoseException(FirehoseErrorCode.ConcurrentModificationException,
                    "Cannot update firehose: " + key.name() + " since the current version id: " + versionId
                            + " and the specified version id: " + command.currentVersionId() + " do not match.");
        }
        Destination current = destinations.stream()
                .filter(destination -> destination.destinationId().equals(command.destinationId()))
                .findFirst()
                .orElseThrow(() -> invalid("Destination Id " + command.destinationId() + " not found for firehose "
                        + key.name() + " under account " + key.accountId() + "."));
        if (current.kind().openSearchService() != command.kind().openSearchService()) {
            throw invalid("Switching between Amazon OpenSearch Service and other services is not supported.");
        }
        BackupModeChanges.requireAllowed(current, command.kind(), command.settings());
        apply(new DestinationUpdated(streamId, current.updatedWith(command.kind(), command.settings()), versionId + 1,
                now(clock)));
    }

    // ---- deletion

    @CommandHandler
    void handle(DeleteDeliveryStream command, Clock clock) {
        switch (status) {
            case CREATING -> throw inUse(key, "is in CREATING state and cannot be deleted until it is ACTIVE.");
            case DELETING -> {
                // Deletion already under way: asking again changes nothing and is not an error.
            }
            default -> {
                if (encryption.changing()) {
                    // Deleting now could strand the grant the encryption process is about to make.
                    throw inUse(key, "cannot be deleted while its encryption is " + encryption.status() + ".");
                }
                apply(new DeliveryStreamDeletionRequested(streamId, command.allowForceDelete(), encryption.grantsHeld(),
                        now(clock)));
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

    // ---- state (the encryption events are handled by StreamEncryption)

    @EventSourcingHandler
    void on(DeliveryStreamCreated event) {
        streamId = event.streamId();
        key = event.key();
        type = event.type();
        status = DeliveryStreamStatus.CREATING;
        tags = new TreeMap<>(event.tags());
        versionId = 1;
        destinations = new ArrayList<>(event.destinations());
    }

    @EventSourcingHandler
    void on(DestinationUpdated event) {
        destinations.replaceAll(destination -> destination.destinationId().equals(event.destination().destinationId())
                ? event.destination() : destination);
        versionId = event.versionId();
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

    /** In order: each event is handled (the member's state included) before the next is applied. */
    private static void applyAll(List<?> events) {
        events.forEach(AggregateLifecycle::apply);
    }

    // ---- rules

    private void requireDirectPut() {
        if (type != DeliveryStreamType.DirectPut) {
            throw invalid("This operation is not permitted on " + type + " delivery stream type.");
        }
    }

    private void requireActive() {
        if (status != DeliveryStreamStatus.ACTIVE) {
            throw inUse(key, "is not in ACTIVE state.");
        }
    }

    private void requireNotDeleting() {
        if (status == DeliveryStreamStatus.DELETING) {
            throw inUse(key, "is being deleted.");
        }
    }

    /**
     * Each source type takes its own source configuration and no other: Kinesis its KinesisStreamSourceConfiguration,
     * MSK its MSKSourceConfiguration, Database its DatabaseSourceConfiguration; DirectPut none of these.
     */
    private static void requireSourceMatchesType(CreateDeliveryStream command) {
        DeliveryStreamType type = command.type();
        if (command.kinesisSource() != null && type != DeliveryStreamType.KinesisStreamAsSource) {
            throw onlyWith(DeliveryStreamType.KinesisStreamAsSource);
        }
        if (command.source() != null && command.source().type() != type) {
            throw onlyWith(command.source().type());
        }
        boolean given = switch (type) {
            case DirectPut -> true;
            case KinesisStreamAsSource -> command.kinesisSource() != null;
            case MSKAsSource, DatabaseAsSource -> command.source() != null;
        };
        if (!given) {
            throw invalid(type.sourceConfigurationMember() + " is required when DeliveryStreamType is " + type + ".");
        }
    }

    private static FirehoseException onlyWith(DeliveryStreamType type) {
        return invalid(type.sourceConfigurationMember() + " is only allowed when DeliveryStreamType is " + type + ".");
    }

    static FirehoseException inUse(StreamKey key, String state) {
        return new FirehoseException(FirehoseErrorCode.ResourceInUseException,
                "Firehose " + key.name() + " under account " + key.accountId() + " " + state);
    }

    static FirehoseException invalid(String message) {
        return new FirehoseException(FirehoseErrorCode.InvalidArgumentException, message);
    }
}
