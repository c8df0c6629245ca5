package io.firehosesse.readmodel.deliverystream;

import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.api.deliverystream.DeliveryStreamActivated;
import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.api.deliverystream.DeliveryStreamCreationFailed;
import io.firehosesse.api.deliverystream.DeliveryStreamDeleted;
import io.firehosesse.api.deliverystream.DeliveryStreamFailureType;
import io.firehosesse.api.deliverystream.DeliveryStreamStatus;
import io.firehosesse.api.deliverystream.DeliveryStreamTagged;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.DeliveryStreamUntagged;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.DestinationKind;
import io.firehosesse.api.deliverystream.DestinationUpdated;
import io.firehosesse.api.deliverystream.SourceConfiguration;
import io.firehosesse.api.deliverystream.EncryptionDisableRequested;
import io.firehosesse.api.deliverystream.EncryptionDisabled;
import io.firehosesse.api.deliverystream.EncryptionEnabled;
import io.firehosesse.api.deliverystream.EncryptionFailed;
import io.firehosesse.api.deliverystream.EncryptionRequested;
import io.firehosesse.api.deliverystream.GrantCreated;
import io.firehosesse.api.deliverystream.GrantRef;
import io.firehosesse.api.deliverystream.KeyChoice;
import io.firehosesse.api.deliverystream.KeyType;
import io.firehosesse.api.deliverystream.KinesisStreamSource;
import io.firehosesse.api.deliverystream.StreamKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Given events, the view Describe shows: the projection and time travel both stand on this function. */
class DeliveryStreamViewFoldTest {

    static final String ID = "s-1";
    static final StreamKey KEY = new StreamKey("123456789012", "us-east-1", "orders");
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Instant T1 = T0.plusSeconds(60);
    static final KeyChoice OLD = new KeyChoice(KeyType.CUSTOMER_MANAGED_CMK, "arn:aws:kms:us-east-1:123456789012:key/old",
            "arn:aws:kms:us-east-1:123456789012:key/old");
    static final KeyChoice NEW = new KeyChoice(KeyType.CUSTOMER_MANAGED_CMK, "arn:aws:kms:us-east-1:123456789012:alias/new",
            "arn:aws:kms:us-east-1:123456789012:key/new");

    static DeliveryStreamView fold(Object... events) {
        DeliveryStreamView view = null;
        for (int i = 0; i < events.length; i++) {
            view = DeliveryStreamViewFold.apply(view, events[i], i);
        }
        return view;
    }

    static DeliveryStreamCreated created(DeliveryStreamType type, KinesisStreamSource source) {
        return new DeliveryStreamCreated(ID, KEY, KEY.arn(), type, source,
                List.of(new Destination("destinationId-000000000001", DestinationKind.S3, Map.of("BucketARN", "arn:aws:s3:::b"))),
                new TreeMap<>(Map.of("team", "data")), null, T0);
    }

    static EncryptionRequested start(String attempt, KeyChoice key, Instant at) {
        return new EncryptionRequested(ID, KEY, EncryptionRequested.START, attempt, key, null, null, null, at);
    }

    @Test
    void aDestinationUpdateReplacesTheDestinationAndMovesTheVersionOn() {
        Destination updated = new Destination("destinationId-000000000001", DestinationKind.EXTENDED_S3,
                Map.of("BucketARN", "arn:aws:s3:::other"));
        DeliveryStreamView view = fold(created(DeliveryStreamType.DirectPut, null), new DeliveryStreamActivated(ID, T0),
                new DestinationUpdated(ID, updated, 2, T1));

        assertThat(view.destinations()).containsExactly(updated);
        assertThat(view.versionId()).isEqualTo(2);
        assertThat(view.lastUpdateTimestamp()).isEqualTo(T1);
        assertThat(view.lastSequence()).isEqualTo(2);
    }

    @Test
    void anMskStreamKeepsItsSourceAndStartsReadingWhenActive() {
        SourceConfiguration msk = new SourceConfiguration(DeliveryStreamType.MSKAsSource, Map.of("TopicName", "orders"));
        DeliveryStreamView view = fold(new DeliveryStreamCreated(ID, KEY, KEY.arn(), DeliveryStreamType.MSKAsSource, null,
                List.of(new Destination("destinationId-000000000001", DestinationKind.S3, Map.of())), new TreeMap<>(),
                null, T0, msk), new DeliveryStreamActivated(ID, T1));

        assertThat(view.source()).isEqualTo(msk);
        assertThat(view.deliveryStartTimestamp()).isEqualTo(T1);
    }

    @Test
    void aNewStreamIsCreatingWithEncryptionDisabled() {
        DeliveryStreamView view = fold(created(DeliveryStreamType.DirectPut, null));

        assertThat(view.status()).isEqualTo(DeliveryStreamStatus.CREATING);
        assertThat(view.versionId()).isEqualTo(1);
        assertThat(view.encryption().status()).isEqualTo("DISABLED");
        assertThat(view.encryption().keyType()).isNull();
        assertThat(view.tags()).containsEntry("team", "data");
        assertThat(view.lastSequence()).isZero();
    }

    @Test
    void aKinesisSourcedStreamStartsDeliveringWhenActive() {
        DeliveryStreamView view = fold(created(DeliveryStreamType.KinesisStreamAsSource,
                new KinesisStreamSource("arn:aws:kinesis:us-east-1:123456789012:stream/s", "arn:aws:iam::123456789012:role/r")),
                new DeliveryStreamActivated(ID, T1));

        assertThat(view.status()).isEqualTo(DeliveryStreamStatus.ACTIVE);
        assertThat(view.deliveryStartTimestamp()).isEqualTo(T1);
    }

    @Test
    void tagsFollowTagAndUntag() {
        DeliveryStreamView view = fold(created(DeliveryStreamType.DirectPut, null),
                new DeliveryStreamTagged(ID, Map.of("env", "prod"), T1), new DeliveryStreamUntagged(ID, List.of("team"), T1));

        assertThat(view.tags()).containsExactly(Map.entry("env", "prod"));
    }

    @Test
    void whileEnablingTheRequestedKeyShowsAndAFailedChangeShowsTheKeyStillInForce() {
        DeliveryStreamView enabling = fold(created(DeliveryStreamType.DirectPut, null), new DeliveryStreamActivated(ID, T0),
                start("r1", OLD, T0), new EncryptionEnabled(ID, "r1", OLD, T0), start("r2", NEW, T1));
        DeliveryStreamView failed = fold(created(DeliveryStreamType.DirectPut, null), new DeliveryStreamActivated(ID, T0),
                start("r1", OLD, T0), new EncryptionEnabled(ID, "r1", OLD, T0), start("r2", NEW, T1),
                new EncryptionFailed(ID, "r2", NEW, OLD, DeliveryStreamFailureType.DISABLED_KMS_KEY, "new is disabled.", T1));

        assertThat(enabling.encryption().status()).isEqualTo("ENABLING");
        assertThat(enabling.encryption().keyArn()).isEqualTo(NEW.keyArn());
        assertThat(enabling.lastUpdateTimestamp()).isEqualTo(T1);
        assertThat(failed.encryption().status()).isEqualTo("ENABLING_FAILED");
        assertThat(failed.encryption().keyArn()).isEqualTo(OLD.keyArn());
        assertThat(failed.encryption().failure().type()).isEqualTo("DISABLED_KMS_KEY");
    }

    @Test
    void afterStopOnlyTheStatusRemains() {
        DeliveryStreamView view = fold(created(DeliveryStreamType.DirectPut, null), new DeliveryStreamActivated(ID, T0),
                start("r1", OLD, T0), new GrantCreated(ID, "r1", new GrantRef(OLD.keyId(), "g"), "firehose-r1", T0),
                new EncryptionEnabled(ID, "r1", OLD, T0), new EncryptionDisableRequested(ID, "r2", new GrantRef(OLD.keyId(), "g"), T1),
                new EncryptionDisabled(ID, T1));

        assertThat(view.encryption()).isEqualTo(new DeliveryStreamView.EncryptionView("DISABLED", null, null, null));
        assertThat(view.lastSequence()).isEqualTo(6);
        assertThat(DeliveryStreamViewFold.apply(view, new GrantCreated(ID, "r3", new GrantRef(OLD.keyId(), "h"), "n", T1), 7))
                .as("an event Describe does not show leaves the view, sequence included").isSameAs(view);
    }

    @Test
    void aFailedCreationCarriesTheStreamLevelFailureAndDeletionRemovesTheView() {
        DeliveryStreamView failed = fold(created(DeliveryStreamType.DirectPut, null),
                new EncryptionRequested(ID, KEY, EncryptionRequested.CREATE, "r1", OLD, null, null, null, T0),
                new DeliveryStreamCreationFailed(ID, DeliveryStreamFailureType.KMS_ACCESS_DENIED, "denied", T1));

        assertThat(failed.status()).isEqualTo(DeliveryStreamStatus.CREATING_FAILED);
        assertThat(failed.failure()).isEqualTo(new DeliveryStreamView.FailureView("KMS_ACCESS_DENIED", "denied"));
        assertThat(failed.lastUpdateTimestamp()).isNull();
        assertThat(fold(created(DeliveryStreamType.DirectPut, null), new DeliveryStreamDeleted(ID, T1))).isNull();
    }
}
