package io.firehosesse.deliverystream;

import static io.firehosesse.deliverystream.DeliveryStreamEncryptionTest.AWS_OWNED;
import static io.firehosesse.deliverystream.DeliveryStreamEncryptionTest.CMK_A;
import static io.firehosesse.deliverystream.DeliveryStreamEncryptionTest.GRANT_A;
import static io.firehosesse.deliverystream.DeliveryStreamEncryptionTest.KEY_A;
import static io.firehosesse.deliverystream.DeliveryStreamEncryptionTest.requested;
import static io.firehosesse.deliverystream.DeliveryStreamTest.ID;
import static io.firehosesse.deliverystream.DeliveryStreamTest.KEY;
import static io.firehosesse.deliverystream.DeliveryStreamTest.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.api.deliverystream.CompleteEncryptionEnabling;
import io.firehosesse.api.deliverystream.DeliveryStreamEncryptionStatus;
import io.firehosesse.api.deliverystream.DeliveryStreamFailureType;
import io.firehosesse.api.deliverystream.EncryptionAlreadyDisabled;
import io.firehosesse.api.deliverystream.EncryptionDisableFailed;
import io.firehosesse.api.deliverystream.EncryptionDisableRequested;
import io.firehosesse.api.deliverystream.EncryptionDisabled;
import io.firehosesse.api.deliverystream.EncryptionEnabled;
import io.firehosesse.api.deliverystream.EncryptionKeyFaulted;
import io.firehosesse.api.deliverystream.EncryptionRequested;
import io.firehosesse.api.deliverystream.EncryptionRules;
import io.firehosesse.api.deliverystream.GrantCreated;
import io.firehosesse.api.deliverystream.GrantRef;
import io.firehosesse.api.deliverystream.GrantRetirementScheduled;
import io.firehosesse.api.deliverystream.ReportKeyFault;
import io.firehosesse.api.deliverystream.ReportKeyRecovered;
import io.firehosesse.api.deliverystream.StopDeliveryStreamEncryption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.junit.jupiter.api.Test;

/**
 * The encryption member on its own: what its state makes of a command, in the cases the aggregate's tests do not
 * reach. Events reach it through Axon's model of the class, as they do inside the aggregate.
 */
class StreamEncryptionTest {

    private static final AggregateModel<StreamEncryption> MODEL =
            AnnotatedAggregateMetaModelFactory.inspectAggregate(StreamEncryption.class);

    static StreamEncryption after(List<?> events) {
        StreamEncryption encryption = new StreamEncryption();
        events.forEach(event -> MODEL.publish(GenericEventMessage.asEventMessage(event), encryption));
        return encryption;
    }

    static List<Object> enabledWithKeyA(Object... then) {
        List<Object> events = new ArrayList<>(List.of(requested("r1", CMK_A, null, NOW),
                new GrantCreated(ID, "r1", GRANT_A, "firehose-r1", NOW), new EncryptionEnabled(ID, "r1", CMK_A, NOW)));
        events.addAll(List.of(then));
        return events;
    }

    @Test
    void aStopAfterAFailedDisableTriesTheGrantLeftOverAgain() {
        StreamEncryption failed = after(enabledWithKeyA(new EncryptionDisableRequested(ID, "r2", GRANT_A, NOW),
                new GrantRetirementScheduled(ID, GRANT_A, NOW),
                new EncryptionDisableFailed(ID, DeliveryStreamFailureType.RETIRE_KMS_GRANT_FAILED, "denied", NOW)));

        assertThat(failed.status()).isEqualTo(DeliveryStreamEncryptionStatus.DISABLING_FAILED);
        assertThat(failed.stop(ID, new StopDeliveryStreamEncryption(ID, "r3"), NOW))
                .containsExactly(new EncryptionDisableRequested(ID, "r3", GRANT_A, NOW), new GrantRetirementScheduled(ID, GRANT_A, NOW));
    }

    @Test
    void aGrantBeingRetiredWhileStillInForceIsHeldOnce() {
        StreamEncryption disabling = after(enabledWithKeyA(new EncryptionDisableRequested(ID, "r2", GRANT_A, NOW),
                new GrantRetirementScheduled(ID, GRANT_A, NOW)));

        assertThat(disabling.changing()).isTrue();
        assertThat(disabling.grantsHeld()).containsExactly(GRANT_A);
    }

    @Test
    void aNewGrantOnTheKeyInForceReplacesTheOldOne() {
        GrantRef second = new GrantRef(KEY_A, "c".repeat(64));
        List<Object> history = enabledWithKeyA(requested("r2", CMK_A, GRANT_A, NOW));
        StreamEncryption reenabling = after(history);

        assertThat(reenabling.awaits("r1")).isFalse();
        assertThat(reenabling.awaits("r2")).isTrue();
        List<Object> events = reenabling.completeEnabling(ID, new CompleteEncryptionEnabling(ID, "r2", second.grantId(), "firehose-r2"),
                NOW);
        assertThat(events).containsExactly(new GrantCreated(ID, "r2", second, "firehose-r2", NOW),
                new GrantRetirementScheduled(ID, GRANT_A, NOW), new EncryptionEnabled(ID, "r2", CMK_A, NOW));

        history.addAll(events);
        assertThat(after(history).grantsHeld()).containsExactly(GRANT_A, second);
    }

    @Test
    void startsAndStopsCountTowardTheLimitButTheCreatesRequestDoesNot() {
        Instant start = NOW.minus(Duration.ofHours(12));
        List<Object> history = new ArrayList<>(List.of(
                new EncryptionRequested(ID, KEY, EncryptionRequested.CREATE, "r0", AWS_OWNED, null, null, null, start),
                new EncryptionEnabled(ID, "r0", AWS_OWNED, start)));
        for (int call = 1; call < EncryptionRules.START_STOP_CALLS_PER_WINDOW; call++) {
            Instant at = start.plus(Duration.ofMinutes(call));
            history.addAll(call % 2 == 1
                    ? List.of(requested("r" + call, AWS_OWNED, null, at), new EncryptionEnabled(ID, "r" + call, AWS_OWNED, at))
                    : List.of(new EncryptionDisableRequested(ID, "r" + call, null, at), new EncryptionDisabled(ID, at)));
        }

        after(history).requireChangeAllowed(KEY, NOW);
        history.add(new EncryptionAlreadyDisabled(ID, NOW)); // a Stop while off counts too
        assertThatThrownBy(() -> after(history).requireChangeAllowed(KEY, NOW))
                .isInstanceOfSatisfying(FirehoseException.class,
                        e -> assertThat(e.code()).isEqualTo(FirehoseErrorCode.LimitExceededException))
                .hasMessageContaining("limit of 25 StartDeliveryStreamEncryption and StopDeliveryStreamEncryption calls")
                .hasMessageContaining("in a 24-hour period. The next call will be accepted after "
                        + start.plus(Duration.ofMinutes(1)).plus(Duration.ofHours(24)) + ".");
    }

    @Test
    void aFaultIsRecordedOncePerKindAndForgottenWhenTheKeyIsEnabledAgain() {
        List<Object> history = enabledWithKeyA(
                new EncryptionKeyFaulted(ID, CMK_A, DeliveryStreamFailureType.DISABLED_KMS_KEY, "disabled", NOW));
        StreamEncryption faulted = after(history);

        assertThat(faulted.reportKeyFault(ID, new ReportKeyFault(ID, KEY_A, DeliveryStreamFailureType.DISABLED_KMS_KEY, "again"),
                NOW)).isEmpty();
        assertThat(faulted.reportKeyFault(ID, new ReportKeyFault(ID, KEY_A, DeliveryStreamFailureType.KMS_ACCESS_DENIED, "denied"),
                NOW)).containsExactly(new EncryptionKeyFaulted(ID, CMK_A, DeliveryStreamFailureType.KMS_ACCESS_DENIED, "denied", NOW));

        history.addAll(List.of(requested("r2", CMK_A, GRANT_A, NOW), new EncryptionEnabled(ID, "r2", CMK_A, NOW)));
        assertThat(after(history).reportKeyRecovered(ID, new ReportKeyRecovered(ID, KEY_A), NOW)).isEmpty();
    }

    @Test
    void reportsWhileTheKeyIsBeingDisabledAreIgnored() {
        StreamEncryption disabling = after(enabledWithKeyA(new EncryptionDisableRequested(ID, "r2", GRANT_A, NOW)));

        assertThat(disabling.reportKeyFault(ID, new ReportKeyFault(ID, KEY_A, DeliveryStreamFailureType.DISABLED_KMS_KEY, "x"),
                NOW)).isEmpty();
    }
}
