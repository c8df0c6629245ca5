package io.firehosesse.deliverystream;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.api.deliverystream.ActivateDeliveryStream;
import io.firehosesse.api.deliverystream.CompleteDeliveryStreamDeletion;
import io.firehosesse.api.deliverystream.CreateDeliveryStream;
import io.firehosesse.api.deliverystream.DeleteDeliveryStream;
import io.firehosesse.api.deliverystream.DeliveryStreamActivated;
import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.api.deliverystream.DeliveryStreamDeleted;
import io.firehosesse.api.deliverystream.DeliveryStreamDeletionRequested;
import io.firehosesse.api.deliverystream.DeliveryStreamStatus;
import io.firehosesse.api.deliverystream.DeliveryStreamTagged;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.DeliveryStreamUntagged;
import io.firehosesse.api.deliverystream.EncryptionRequest;
import io.firehosesse.api.deliverystream.KeyType;
import io.firehosesse.api.deliverystream.TagDeliveryStream;
import io.firehosesse.api.deliverystream.UntagDeliveryStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One delivery stream's lifecycle. Rules are checked in command handlers; state changes only in
 * event-sourcing handlers, so replaying the history rebuilds exactly this object.
 */
@Aggregate(snapshotTriggerDefinition = "deliveryStreamSnapshotTrigger", cache = "deliveryStreamCache")
class DeliveryStream {

    static final int MAX_TAGS = 50;

    @AggregateIdentifier
    private String streamId;
    private String name;
    private String accountId;
    private DeliveryStreamType type;
    private DeliveryStreamStatus status;
    private TreeMap<String, String> tags = new TreeMap<>();

    DeliveryStream() {
        // for Axon: the aggregate is rebuilt from its events or a snapshot
    }

    @CommandHandler
    DeliveryStream(CreateDeliveryStream command, Clock clock) {
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
        apply(new DeliveryStreamCreated(command.streamId(), command.key(), command.key().arn(), command.type(),
                command.kinesisSource(), List.copyOf(command.destinations()), new TreeMap<>(tags),
                command.encryption(), clock.instant()));
    }

    @CommandHandler
    void handle(ActivateDeliveryStream command, Clock clock) {
        if (status == DeliveryStreamStatus.CREATING) {
            apply(new DeliveryStreamActivated(streamId, clock.instant()));
        }
    }

    @CommandHandler
    void handle(DeleteDeliveryStream command, Clock clock) {
        switch (status) {
            case CREATING -> throw new FirehoseException(FirehoseErrorCode.ResourceInUseException,
                    "Firehose " + name + " under account " + accountId
                            + " is in CREATING state and cannot be deleted until it is ACTIVE.");
            case DELETING -> {
                // Deletion already under way: asking again changes nothing and is not an error.
            }
            default -> apply(new DeliveryStreamDeletionRequested(streamId, command.allowForceDelete(), clock.instant()));
        }
    }

    @CommandHandler
    void handle(CompleteDeliveryStreamDeletion command, Clock clock) {
        if (status == DeliveryStreamStatus.DELETING) {
            apply(new DeliveryStreamDeleted(streamId, clock.instant()));
        }
    }

    @CommandHandler
    void handle(TagDeliveryStream command, Clock clock) {
        requireNotDeleting();
        TreeMap<String, String> merged = new TreeMap<>(tags);
        merged.putAll(command.tags());
        if (merged.size() > MAX_TAGS) {
            throw new FirehoseException(FirehoseErrorCode.LimitExceededException,
                    "Adding these tags would exceed the limit of " + MAX_TAGS + " tags for Firehose " + name + ".");
        }
        apply(new DeliveryStreamTagged(streamId, new TreeMap<>(command.tags()), clock.instant()));
    }

    @CommandHandler
    void handle(UntagDeliveryStream command, Clock clock) {
        requireNotDeleting();
        List<String> present = command.tagKeys().stream().filter(tags::containsKey).distinct().toList();
        if (!present.isEmpty()) {
            apply(new DeliveryStreamUntagged(streamId, present, clock.instant()));
        }
    }

    @EventSourcingHandler
    void on(DeliveryStreamCreated event) {
        streamId = event.streamId();
        name = event.key().name();
        accountId = event.key().accountId();
        type = event.type();
        status = DeliveryStreamStatus.CREATING;
        tags = new TreeMap<>(event.tags());
    }

    @EventSourcingHandler
    void on(DeliveryStreamActivated event) {
        status = DeliveryStreamStatus.ACTIVE;
    }

    @EventSourcingHandler
    void on(DeliveryStreamDeletionRequested event) {
        status = DeliveryStreamStatus.DELETING;
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

    private void requireNotDeleting() {
        if (status == DeliveryStreamStatus.DELETING) {
            throw new FirehoseException(FirehoseErrorCode.ResourceInUseException,
                    "Firehose " + name + " under account " + accountId + " is being deleted.");
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
            throw invalid("Server-side encryption is only supported for DirectPut delivery streams, not "
                    + type + ".");
        }
        if (encryption.keyType() == KeyType.CUSTOMER_MANAGED_CMK && encryption.keyArn() == null) {
            throw invalid("KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK.");
        }
        if (encryption.keyType() == KeyType.AWS_OWNED_CMK && encryption.keyArn() != null) {
            throw invalid("KeyARN must not be specified when KeyType is AWS_OWNED_CMK.");
        }
    }

    private static FirehoseException invalid(String message) {
        return new FirehoseException(FirehoseErrorCode.InvalidArgumentException, message);
    }
}
