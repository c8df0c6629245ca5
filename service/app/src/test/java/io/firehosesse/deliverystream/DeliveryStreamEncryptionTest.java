package io.firehosesse.deliverystream;

import static io.firehosesse.deliverystream.DeliveryStreamTest.ID;
import static io.firehosesse.deliverystream.DeliveryStreamTest.KEY;
import static io.firehosesse.deliverystream.DeliveryStreamTest.NOW;
import static io.firehosesse.deliverystream.DeliveryStreamTest.created;
import static io.firehosesse.support.FirehoseErrors.error;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.InvalidKmsResourceException;
import io.firehosesse.api.deliverystream.CompleteEncryptionDisabling;
import io.firehosesse.api.deliverystream.CompleteEncryptionEnabling;
import io.firehosesse.api.deliverystream.CompleteGrantRetirement;
import io.firehosesse.api.deliverystream.CreateDeliveryStream;
import io.firehosesse.api.deliverystream.DeleteDeliveryStream;
import io.firehosesse.api.deliverystream.DeliveryStreamActivated;
import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.api.deliverystream.DeliveryStreamCreationFailed;
import io.firehosesse.api.deliverystream.DeliveryStreamDeletionRequested;
import io.firehosesse.api.deliverystream.DeliveryStreamFailureType;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.EncryptionAlreadyDisabled;
import io.firehosesse.api.deliverystream.EncryptionDisableFailed;
import io.firehosesse.api.deliverystream.EncryptionDisableRequested;
import io.firehosesse.api.deliverystream.EncryptionDisabled;
import io.firehosesse.api.deliverystream.EncryptionEnabled;
import io.firehosesse.api.deliverystream.EncryptionKeyFaulted;
import io.firehosesse.api.deliverystream.EncryptionKeyRecovered;
import io.firehosesse.api.deliverystream.ReportKeyFault;
import io.firehosesse.api.deliverystream.ReportKeyRecovered;
import io.firehosesse.api.deliverystream.EncryptionFailed;
import io.firehosesse.api.deliverystream.EncryptionRequest;
import io.firehosesse.api.deliverystream.EncryptionRequested;
import io.firehosesse.api.deliverystream.FailEncryptionEnabling;
import io.firehosesse.api.deliverystream.FailGrantRetirement;
import io.firehosesse.api.deliverystream.GrantCreated;
import io.firehosesse.api.deliverystream.GrantRef;
import io.firehosesse.api.deliverystream.GrantRetired;
import io.firehosesse.api.deliverystream.GrantRetirementFailed;
import io.firehosesse.api.deliverystream.GrantRetirementScheduled;
import io.firehosesse.api.deliverystream.KeyChoice;
import io.firehosesse.api.deliverystream.KeyType;
import io.firehosesse.api.deliverystream.KinesisStreamSource;
import io.firehosesse.api.deliverystream.StartDeliveryStreamEncryption;
import io.firehosesse.api.deliverystream.StopDeliveryStreamEncryption;
import io.firehosesse.support.FakeKmsKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.Description;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliveryStreamEncryptionTest {

    static final String KEY_A = "arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-0000-0000-0000-000000000001";
    static final String KEY_B = "arn:aws:kms:us-east-1:123456789012:key/bbbbbbbb-0000-0000-0000-000000000002";
    static final String ALIAS_B = "arn:aws:kms:us-east-1:123456789012:alias/orders";
    static final KeyChoice AWS_OWNED = new KeyChoice(KeyType.AWS_OWNED_CMK, null, null);
    static final KeyChoice CMK_A = new KeyChoice(KeyType.CUSTOMER_MANAGED_CMK, KEY_A, KEY_A);
    static final KeyChoice CMK_B_BY_ALIAS = new KeyChoice(KeyType.CUSTOMER_MANAGED_CMK, ALIAS_B, KEY_B);
    static final GrantRef GRANT_A = new GrantRef(KEY_A, "a".repeat(64));
    static final GrantRef GRANT_B = new GrantRef(KEY_B, "b".repeat(64));

    private AggregateTestFixture<DeliveryStream> fixture;

    @BeforeEach
    void setUp() {
        fixture = fixtureAt(NOW);
    }

    static AggregateTestFixture<DeliveryStream> fixtureAt(Instant now) {
        AggregateTestFixture<DeliveryStream> fixture = new AggregateTestFixture<>(DeliveryStream.class);
        fixture.registerInjectableResource(Clock.fixed(now, ZoneOffset.UTC));
        fixture.registerInjectableResource(new FakeKmsKeys().withKey(KEY_A, KEY_A).withKey(ALIAS_B, KEY_B).withKey(KEY_B, KEY_B));
        return fixture;
    }

    static StartDeliveryStreamEncryption start(KeyType type, String keyArn, String attempt) {
        return new StartDeliveryStreamEncryption(ID, type, keyArn, null, null, attempt);
    }

    static EncryptionRequested requested(String attempt, KeyChoice key, GrantRef reusable, Instant at) {
        return new EncryptionRequested(ID, KEY, EncryptionRequested.START, attempt, key, reusable, null, null, at);
    }

    static Object[] activeWithKeyA() {
        return new Object[] {created(), new DeliveryStreamActivated(ID, NOW),
                requested("r1", CMK_A, null, NOW), new GrantCreated(ID, "r1", GRANT_A, "firehose-r1", NOW),
                new EncryptionEnabled(ID, "r1", CMK_A, NOW)};
    }

    @Test
    void canStartWithTheAwsOwnedKey() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(start(KeyType.AWS_OWNED_CMK, null, "r1"))
                .expectEvents(requested("r1", AWS_OWNED, null, NOW));
    }

    @Test
    void aCustomerKeyIsResolvedThroughKmsAndShownAsGiven() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(start(KeyType.CUSTOMER_MANAGED_CMK, ALIAS_B, "r1"))
                .expectEvents(requested("r1", CMK_B_BY_ALIAS, null, NOW));
    }

    @Test
    void aMissingCustomerKeyIsAnInvalidKmsResourceAtOnce() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(start(KeyType.CUSTOMER_MANAGED_CMK, "arn:aws:kms:us-east-1:123456789012:key/missing", "r1"))
                .expectException(new TypeSafeMatcher<InvalidKmsResourceException>() {
                    @Override
                    protected boolean matchesSafely(InvalidKmsResourceException e) {
                        return e.kmsErrorCode().equals("NotFoundException");
                    }

                    @Override
                    public void describeTo(Description description) {
                        description.appendText("InvalidKMSResourceException with code NotFoundException");
                    }
                })
                .expectNoEvents();
    }

    @Test
    void anUnreachableKmsDoesNotStopTheStart() {
        AggregateTestFixture<DeliveryStream> offline = new AggregateTestFixture<>(DeliveryStream.class);
        offline.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        offline.registerInjectableResource(new FakeKmsKeys().unreachable());
        offline.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(start(KeyType.CUSTOMER_MANAGED_CMK, KEY_A, "r1"))
                .expectEvents(requested("r1", new KeyChoice(KeyType.CUSTOMER_MANAGED_CMK, KEY_A, null), null, NOW));
    }

    @Test
    void cannotStartOnKinesisSource() {
        KinesisStreamSource source = new KinesisStreamSource("arn:aws:kinesis:us-east-1:123456789012:stream/in", "arn:aws:iam::123456789012:role/r");
        fixture.given(new DeliveryStreamCreated(ID, KEY, KEY.arn(), DeliveryStreamType.KinesisStreamAsSource, source,
                        DeliveryStreamTest.S3, new TreeMap<>(), null, NOW), new DeliveryStreamActivated(ID, NOW))
                .when(start(KeyType.AWS_OWNED_CMK, null, "r1"))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException,
                        "This operation is not permitted on KinesisStreamAsSource delivery stream type."));
    }

    @Test
    void cannotStartWithACustomerKeyTypeButNoArnOrAnAwsOwnedTypeWithOne() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(start(KeyType.CUSTOMER_MANAGED_CMK, null, "r1"))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException, "KeyARN is required"));
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(start(KeyType.AWS_OWNED_CMK, KEY_A, "r1"))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException, "KeyARN must not be specified"));
    }

    @Test
    void cannotStartUnlessTheStreamIsActive() {
        fixture.given(created())
                .when(start(KeyType.AWS_OWNED_CMK, null, "r1"))
                .expectException(error(FirehoseErrorCode.ResourceInUseException, "is not in ACTIVE state."));
    }

    @Test
    void cannotStartOrStopWhileEncryptionIsChanging() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW), requested("r1", AWS_OWNED, null, NOW))
                .when(start(KeyType.AWS_OWNED_CMK, null, "r2"))
                .expectException(error(FirehoseErrorCode.ResourceInUseException, "ENABLING"));
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW), requested("r1", AWS_OWNED, null, NOW))
                .when(new StopDeliveryStreamEncryption(ID, "r2"))
                .expectException(error(FirehoseErrorCode.ResourceInUseException, "ENABLING"));
    }

    @Test
    void rejectsTheTwentySixthCallWithinADay() {
        fixture.given(twentyFiveCallsEndingAt(NOW))
                .when(start(KeyType.AWS_OWNED_CMK, null, "r26"))
                .expectException(error(FirehoseErrorCode.LimitExceededException,
                        "The next call will be accepted after " + NOW.minus(Duration.ofHours(20)).plus(Duration.ofHours(24))))
                .expectNoEvents();
    }

    @Test
    void allowsACallAgainAfterTheWindowSlides() {
        Instant justAfterTheFirstCallLeavesTheWindow = NOW.plus(Duration.ofHours(4)).plusSeconds(1);
        fixtureAt(justAfterTheFirstCallLeavesTheWindow).given(twentyFiveCallsEndingAt(NOW))
                .when(new StopDeliveryStreamEncryption(ID, "r26"))
                .expectEvents(new EncryptionDisableRequested(ID, "r26", null, justAfterTheFirstCallLeavesTheWindow));
    }

    /** 25 accepted calls, the first 20 hours before {@code end}: alternating AWS-owned Starts and Stops. */
    static Object[] twentyFiveCallsEndingAt(Instant end) {
        List<Object> events = new ArrayList<>(List.of(created(), new DeliveryStreamActivated(ID, end.minus(Duration.ofDays(2)))));
        Instant at = end.minus(Duration.ofHours(20));
        for (int call = 1; call <= 25; call++) {
            if (call % 2 == 1) {
                events.add(requested("r" + call, AWS_OWNED, null, at));
                events.add(new EncryptionEnabled(ID, "r" + call, AWS_OWNED, at));
            } else {
                events.add(new EncryptionDisableRequested(ID, "r" + call, null, at));
                events.add(new EncryptionDisabled(ID, at));
            }
            at = call == 24 ? end : at.plus(Duration.ofMinutes(30));
        }
        return events.toArray();
    }

    @Test
    void completingTheAttemptEnablesTheKeyWithItsGrant() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW), requested("r1", CMK_A, null, NOW))
                .when(new CompleteEncryptionEnabling(ID, "r1", GRANT_A.grantId(), "firehose-r1"))
                .expectEvents(new GrantCreated(ID, "r1", GRANT_A, "firehose-r1", NOW), new EncryptionEnabled(ID, "r1", CMK_A, NOW));
    }

    @Test
    void aKeyChangeSchedulesTheOldGrantForRetirementOnceTheNewKeyIsEnabled() {
        fixture.given(activeWithKeyA())
                .andGiven(requested("r2", CMK_B_BY_ALIAS, null, NOW))
                .when(new CompleteEncryptionEnabling(ID, "r2", GRANT_B.grantId(), "firehose-r2"))
                .expectEvents(new GrantCreated(ID, "r2", GRANT_B, "firehose-r2", NOW),
                        new GrantRetirementScheduled(ID, GRANT_A, NOW),
                        new EncryptionEnabled(ID, "r2", CMK_B_BY_ALIAS, NOW));
    }

    @Test
    void startingAgainWithTheSameKeyOffersItsGrantForReuse() {
        fixture.given(activeWithKeyA())
                .when(start(KeyType.CUSTOMER_MANAGED_CMK, KEY_A, "r2"))
                .expectEvents(requested("r2", CMK_A, GRANT_A, NOW));
        fixture.given(activeWithKeyA())
                .andGiven(requested("r2", CMK_A, GRANT_A, NOW))
                .when(new CompleteEncryptionEnabling(ID, "r2", null, null))
                .expectEvents(new EncryptionEnabled(ID, "r2", CMK_A, NOW));
    }

    @Test
    void aFailedKeyChangeKeepsTheOldKeyInForce() {
        fixture.given(activeWithKeyA())
                .andGiven(requested("r2", CMK_B_BY_ALIAS, null, NOW))
                .when(new FailEncryptionEnabling(ID, "r2", DeliveryStreamFailureType.DISABLED_KMS_KEY, KEY_B + " is disabled."))
                .expectEvents(new EncryptionFailed(ID, "r2", CMK_B_BY_ALIAS, CMK_A, DeliveryStreamFailureType.DISABLED_KMS_KEY,
                        KEY_B + " is disabled.", NOW));
    }

    @Test
    void aLateReportAboutAnAttemptThatIsOverChangesNothing() {
        fixture.given(activeWithKeyA())
                .when(new CompleteEncryptionEnabling(ID, "r1", GRANT_A.grantId(), "firehose-r1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW), requested("r2", CMK_A, null, NOW))
                .when(new FailEncryptionEnabling(ID, "r1", DeliveryStreamFailureType.UNKNOWN_ERROR, "old"))
                .expectNoEvents();
    }

    @Test
    void stopOnAStreamWithoutEncryptionCountsButChangesNothing() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(new StopDeliveryStreamEncryption(ID, "r1"))
                .expectEvents(new EncryptionAlreadyDisabled(ID, NOW));
    }

    @Test
    void stopWithACustomerKeyRetiresItsGrantAndThenDisables() {
        fixture.given(activeWithKeyA())
                .when(new StopDeliveryStreamEncryption(ID, "r2"))
                .expectEvents(new EncryptionDisableRequested(ID, "r2", GRANT_A, NOW), new GrantRetirementScheduled(ID, GRANT_A, NOW));
        fixture.given(activeWithKeyA())
                .andGiven(new EncryptionDisableRequested(ID, "r2", GRANT_A, NOW), new GrantRetirementScheduled(ID, GRANT_A, NOW))
                .when(new CompleteGrantRetirement(ID, GRANT_A.grantId()))
                .expectEvents(new GrantRetired(ID, GRANT_A, NOW), new EncryptionDisabled(ID, NOW));
    }

    @Test
    void stopWithTheAwsOwnedKeyDisablesWhenTheProcessSaysSo() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW), requested("r1", AWS_OWNED, null, NOW),
                        new EncryptionEnabled(ID, "r1", AWS_OWNED, NOW), new EncryptionDisableRequested(ID, "r2", null, NOW))
                .when(new CompleteEncryptionDisabling(ID, "r2"))
                .expectEvents(new EncryptionDisabled(ID, NOW));
    }

    @Test
    void aGrantThatCannotBeRetiredLeavesDisablingFailed() {
        fixture.given(activeWithKeyA())
                .andGiven(new EncryptionDisableRequested(ID, "r2", GRANT_A, NOW), new GrantRetirementScheduled(ID, GRANT_A, NOW))
                .when(new FailGrantRetirement(ID, GRANT_A.grantId(), "AccessDeniedException: no"))
                .expectEvents(new GrantRetirementFailed(ID, GRANT_A, "AccessDeniedException: no", NOW),
                        new EncryptionDisableFailed(ID, DeliveryStreamFailureType.RETIRE_KMS_GRANT_FAILED, "AccessDeniedException: no", NOW));
    }

    @Test
    void createWithEncryptionRequestsItAndFailsCreationIfTheKeyCannotBeUsed() {
        fixture.givenNoPriorActivity()
                .when(new CreateDeliveryStream(ID, KEY, DeliveryStreamType.DirectPut, null, DeliveryStreamTest.S3,
                        Map.of("team", "data"), new EncryptionRequest(KeyType.CUSTOMER_MANAGED_CMK, KEY_A), null, null, "r1"))
                .expectEvents(new DeliveryStreamCreated(ID, KEY, KEY.arn(), DeliveryStreamType.DirectPut, null, DeliveryStreamTest.S3,
                        new TreeMap<>(Map.of("team", "data")), new EncryptionRequest(KeyType.CUSTOMER_MANAGED_CMK, KEY_A), NOW),
                        new EncryptionRequested(ID, KEY, EncryptionRequested.CREATE, "r1", CMK_A, null, null, null, NOW));
        fixture.given(created(), new EncryptionRequested(ID, KEY, EncryptionRequested.CREATE, "r1", CMK_A, null, null, null, NOW))
                .when(new FailEncryptionEnabling(ID, "r1", DeliveryStreamFailureType.KMS_ACCESS_DENIED, "denied"))
                .expectEvents(new EncryptionFailed(ID, "r1", CMK_A, null, DeliveryStreamFailureType.KMS_ACCESS_DENIED, "denied", NOW),
                        new DeliveryStreamCreationFailed(ID, DeliveryStreamFailureType.KMS_ACCESS_DENIED, "denied", NOW));
        fixture.given(created(), new EncryptionRequested(ID, KEY, EncryptionRequested.CREATE, "r1", CMK_A, null, null, null, NOW))
                .when(new CompleteEncryptionEnabling(ID, "r1", GRANT_A.grantId(), "firehose-r1"))
                .expectEvents(new GrantCreated(ID, "r1", GRANT_A, "firehose-r1", NOW), new EncryptionEnabled(ID, "r1", CMK_A, NOW),
                        new DeliveryStreamActivated(ID, NOW));
    }

    @Test
    void deletionRetiresTheGrantsTheStreamHolds() {
        fixture.given(activeWithKeyA())
                .when(new DeleteDeliveryStream(ID, false))
                .expectEvents(new DeliveryStreamDeletionRequested(ID, false, List.of(GRANT_A), NOW));
    }

    @Test
    void cannotDeleteWhileEncryptionIsChanging() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW), requested("r1", CMK_A, null, NOW))
                .when(new DeleteDeliveryStream(ID, true))
                .expectException(error(FirehoseErrorCode.ResourceInUseException, "while its encryption is ENABLING"));
    }

    // ---- faults on the data path

    @Test
    void aDataPathRefusalOfTheKeyInForceIsRecordedOnce() {
        Object[] faulted = append(activeWithKeyA(), new EncryptionKeyFaulted(ID, CMK_A, DeliveryStreamFailureType.DISABLED_KMS_KEY,
                "DisabledException: disabled", NOW));
        fixture.given(activeWithKeyA())
                .when(new ReportKeyFault(ID, KEY_A, DeliveryStreamFailureType.DISABLED_KMS_KEY, "DisabledException: disabled"))
                .expectEvents(faulted[faulted.length - 1]);
        fixtureAt(NOW).given(faulted)
                .when(new ReportKeyFault(ID, KEY_A, DeliveryStreamFailureType.DISABLED_KMS_KEY, "DisabledException: again"))
                .expectNoEvents();
    }

    @Test
    void aReportAboutAKeyNoLongerInForceIsIgnored() {
        fixture.given(activeWithKeyA())
                .when(new ReportKeyFault(ID, KEY_B, DeliveryStreamFailureType.KMS_ACCESS_DENIED, "AccessDeniedException"))
                .expectNoEvents();
    }

    @Test
    void recoveryIsRecordedOnlyAfterAFault() {
        fixture.given(activeWithKeyA())
                .when(new ReportKeyRecovered(ID, KEY_A))
                .expectNoEvents();
        fixtureAt(NOW).given(append(activeWithKeyA(), new EncryptionKeyFaulted(ID, CMK_A,
                        DeliveryStreamFailureType.DISABLED_KMS_KEY, "DisabledException", NOW)))
                .when(new ReportKeyRecovered(ID, KEY_A))
                .expectEvents(new EncryptionKeyRecovered(ID, CMK_A, NOW));
    }

    private static Object[] append(Object[] events, Object event) {
        Object[] all = java.util.Arrays.copyOf(events, events.length + 1);
        all[events.length] = event;
        return all;
    }
}
