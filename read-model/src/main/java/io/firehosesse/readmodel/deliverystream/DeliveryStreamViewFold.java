package io.firehosesse.readmodel.deliverystream;

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
import io.firehosesse.api.deliverystream.DestinationUpdated;
import io.firehosesse.api.deliverystream.EncryptionAlreadyDisabled;
import io.firehosesse.api.deliverystream.EncryptionDisableFailed;
import io.firehosesse.api.deliverystream.EncryptionDisableRequested;
import io.firehosesse.api.deliverystream.EncryptionDisabled;
import io.firehosesse.api.deliverystream.EncryptionEnabled;
import io.firehosesse.api.deliverystream.EncryptionFailed;
import io.firehosesse.api.deliverystream.EncryptionKeyFaulted;
import io.firehosesse.api.deliverystream.EncryptionKeyRecovered;
import io.firehosesse.api.deliverystream.EncryptionRequested;
import io.firehosesse.api.deliverystream.KeyChoice;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView.EncryptionView;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView.FailureView;
import java.util.TreeMap;

/**
 * What each event does to the view, as a pure function. The live projection and time travel both use
 * it, so the state "as of" an instant is exactly what the live view showed then.
 */
public final class DeliveryStreamViewFold {

    private DeliveryStreamViewFold() {
    }

    /**
     * The view after {@code event}, the {@code sequence}-th of its stream; null when the stream is gone
     * (or not created yet). Events that change nothing Describe shows leave the view as it was, its
     * {@code lastSequence} included.
     */
    public static DeliveryStreamView apply(DeliveryStreamView view, Object event, long sequence) {
        DeliveryStreamView next = next(view, event);
        // lastSequence marks the last event that changed the view, however the view was built.
        return next == null ? null : next == view ? view : next.atSequence(sequence);
    }

    private static DeliveryStreamView next(DeliveryStreamView view, Object event) {
        if (event instanceof DeliveryStreamCreated created) {
            return new DeliveryStreamView(created.streamId(), created.key().accountId(), created.key().region(),
                    created.key().name(), created.arn(), DeliveryStreamStatus.CREATING, created.type(), 1,
                    created.createdAt(), null, null, created.kinesisSource(), created.source(), created.destinations(),
                    new TreeMap<>(created.tags()), EncryptionView.DISABLED, null, 0);
        }
        if (view == null) {
            return null;
        }
        if (event instanceof DeliveryStreamActivated activated) {
            DeliveryStreamView active = view.with(DeliveryStreamStatus.ACTIVE, view.failure());
            // A stream that reads from a source (Kinesis, MSK, a database) starts reading once ACTIVE.
            return view.type() != DeliveryStreamType.DirectPut ? active.withDeliveryStart(activated.activatedAt()) : active;
        }
        if (event instanceof DeliveryStreamCreationFailed failed) {
            return view.with(DeliveryStreamStatus.CREATING_FAILED, new FailureView(failed.failureType().name(), failed.details()));
        }
        if (event instanceof DeliveryStreamDeletionRequested) {
            return view.with(DeliveryStreamStatus.DELETING, null);
        }
        if (event instanceof DeliveryStreamDeletionFailed failed) {
            return view.with(DeliveryStreamStatus.DELETING_FAILED, new FailureView(failed.failureType().name(), failed.details()));
        }
        if (event instanceof DeliveryStreamDeleted) {
            return null;
        }
        if (event instanceof DestinationUpdated updated) {
            return view.withDestination(updated.destination(), updated.versionId(), updated.updatedAt());
        }
        if (event instanceof DeliveryStreamTagged tagged) {
            TreeMap<String, String> tags = new TreeMap<>(view.tags());
            tags.putAll(tagged.tags());
            return view.withTags(tags);
        }
        if (event instanceof DeliveryStreamUntagged untagged) {
            TreeMap<String, String> tags = new TreeMap<>(view.tags());
            untagged.tagKeys().forEach(tags::remove);
            return view.withTags(tags);
        }
        return encryption(view, event);
    }

    private static DeliveryStreamView encryption(DeliveryStreamView view, Object event) {
        if (event instanceof EncryptionRequested requested) {
            // While ENABLING, Describe shows the key asked for. Only a Start (on an ACTIVE stream) is an update.
            DeliveryStreamView enabling = view.withEncryption(shown("ENABLING", requested.requested(), null));
            return requested.isStart() ? enabling.withLastUpdate(requested.requestedAt()) : enabling;
        }
        if (event instanceof EncryptionEnabled enabled) {
            return view.withEncryption(shown("ENABLED", enabled.key(), null));
        }
        if (event instanceof EncryptionFailed failed) {
            // After a failed key change the key still in force; after a failed first enable, the one asked for.
            KeyChoice shownKey = failed.stillInForce() != null ? failed.stillInForce() : failed.requested();
            return view.withEncryption(shown("ENABLING_FAILED", shownKey,
                    new FailureView(failed.failureType().name(), failed.details())));
        }
        if (event instanceof EncryptionDisableRequested requested) {
            EncryptionView current = view.encryption();
            return view.withEncryption(new EncryptionView("DISABLING", current.keyType(), current.keyArn(), null))
                    .withLastUpdate(requested.requestedAt());
        }
        if (event instanceof EncryptionDisabled) {
            return view.withEncryption(EncryptionView.DISABLED);
        }
        if (event instanceof EncryptionDisableFailed failed) {
            EncryptionView current = view.encryption();
            return view.withEncryption(new EncryptionView("DISABLING_FAILED", current.keyType(), current.keyArn(),
                    new FailureView(failed.failureType().name(), failed.details())));
        }
        if (event instanceof EncryptionKeyFaulted faulted) {
            // Still ENABLED (the key is configured), but records are refused: the failure says why.
            return view.withEncryption(shown("ENABLED", faulted.key(),
                    new FailureView(faulted.failureType().name(), faulted.details())));
        }
        if (event instanceof EncryptionKeyRecovered recovered) {
            return view.withEncryption(shown("ENABLED", recovered.key(), null));
        }
        if (event instanceof EncryptionAlreadyDisabled already) {
            return view.withLastUpdate(already.requestedAt());
        }
        return view;
    }

    private static EncryptionView shown(String status, KeyChoice key, FailureView failure) {
        return new EncryptionView(status, key.keyType().name(), key.keyArn(), failure);
    }
}
