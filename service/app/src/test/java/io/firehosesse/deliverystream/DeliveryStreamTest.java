package io.firehosesse.deliverystream;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.deliverystream.ActivateDeliveryStream;
import io.firehosesse.api.deliverystream.CompleteDeliveryStreamDeletion;
import io.firehosesse.api.deliverystream.CreateDeliveryStream;
import io.firehosesse.api.deliverystream.DeleteDeliveryStream;
import io.firehosesse.api.deliverystream.DeliveryStreamActivated;
import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.api.deliverystream.DeliveryStreamDeleted;
import io.firehosesse.api.deliverystream.DeliveryStreamDeletionRequested;
import io.firehosesse.api.deliverystream.DeliveryStreamTagged;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.DeliveryStreamUntagged;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.DestinationKind;
import io.firehosesse.api.deliverystream.EncryptionRequest;
import io.firehosesse.api.deliverystream.KeyType;
import io.firehosesse.api.deliverystream.KinesisStreamSource;
import io.firehosesse.api.deliverystream.StreamKey;
import io.firehosesse.api.deliverystream.TagDeliveryStream;
import io.firehosesse.api.deliverystream.UntagDeliveryStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.test.aggregate.AggregateTestFixture;
import static io.firehosesse.support.FirehoseErrors.error;
import io.firehosesse.support.FakeKmsKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliveryStreamTest {

    static final String ID = "stream-1";
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    static final StreamKey KEY = new StreamKey("123456789012", "us-east-1", "orders");
    static final List<Destination> S3 = List.of(new Destination("destinationId-000000000001", DestinationKind.EXTENDED_S3,
            Map.of("RoleARN", "arn:aws:iam::123456789012:role/firehose", "BucketARN", "arn:aws:s3:::orders")));

    private AggregateTestFixture<DeliveryStream> fixture;

    static AggregateTestFixture<DeliveryStream> fixtureAt(Instant now) {
        AggregateTestFixture<DeliveryStream> fixture = new AggregateTestFixture<>(DeliveryStream.class);
        fixture.registerInjectableResource(Clock.fixed(now, ZoneOffset.UTC));
        fixture.registerInjectableResource(new FakeKmsKeys());
        return fixture;
    }

    static Map<String, String> tags(int count) {
        Map<String, String> tags = new HashMap<>();
        for (int i = 0; i < count; i++) {
            tags.put("k" + i, "v");
        }
        return tags;
    }

    @BeforeEach
    void setUp() {
        fixture = fixtureAt(NOW);
    }

    static CreateDeliveryStream create(DeliveryStreamType type, KinesisStreamSource source, EncryptionRequest encryption) {
        return new CreateDeliveryStream(ID, KEY, type, source, S3, Map.of("team", "data"), encryption, null, null, "req-1");
    }

    static DeliveryStreamCreated created() {
        return new DeliveryStreamCreated(ID, KEY, KEY.arn(), DeliveryStreamType.DirectPut, null, S3,
                new TreeMap<>(Map.of("team", "data")), null, NOW);
    }

    @Test
    void createsADirectPutStreamInCreatingState() {
        fixture.givenNoPriorActivity()
                .when(create(DeliveryStreamType.DirectPut, null, null))
                .expectSuccessfulHandlerExecution()
                .expectEvents(created());
    }

    @Test
    void createsAKinesisSourcedStreamWithItsSource() {
        KinesisStreamSource source = new KinesisStreamSource("arn:aws:kinesis:us-east-1:123456789012:stream/in",
                "arn:aws:iam::123456789012:role/reader");
        fixture.givenNoPriorActivity()
                .when(create(DeliveryStreamType.KinesisStreamAsSource, source, null))
                .expectEvents(new DeliveryStreamCreated(ID, KEY, KEY.arn(), DeliveryStreamType.KinesisStreamAsSource,
                        source, S3, new TreeMap<>(Map.of("team", "data")), null, NOW));
    }

    @Test
    void cannotCreateAKinesisSourcedStreamWithoutItsSource() {
        fixture.givenNoPriorActivity()
                .when(create(DeliveryStreamType.KinesisStreamAsSource, null, null))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException, "KinesisStreamSourceConfiguration is required"))
                .expectNoEvents();
    }

    @Test
    void cannotCreateWithEncryptionOnAKinesisSource() {
        KinesisStreamSource source = new KinesisStreamSource("arn:aws:kinesis:us-east-1:123456789012:stream/in",
                "arn:aws:iam::123456789012:role/reader");
        fixture.givenNoPriorActivity()
                .when(create(DeliveryStreamType.KinesisStreamAsSource, source, new EncryptionRequest(KeyType.AWS_OWNED_CMK, null)))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException, "only supported for DirectPut"));
    }

    @Test
    void cannotCreateWithACustomerKeyWithoutItsArn() {
        fixture.givenNoPriorActivity()
                .when(create(DeliveryStreamType.DirectPut, null, new EncryptionRequest(KeyType.CUSTOMER_MANAGED_CMK, null)))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException, "KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK."));
    }

    @Test
    void cannotCreateWithAnAwsOwnedKeyAndAnArn() {
        fixture.givenNoPriorActivity()
                .when(create(DeliveryStreamType.DirectPut, null,
                        new EncryptionRequest(KeyType.AWS_OWNED_CMK, "arn:aws:kms:us-east-1:123456789012:key/abc")))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException, "KeyARN must not be specified when KeyType is AWS_OWNED_CMK."));
    }

    @Test
    void cannotCreateWithoutADestination() {
        fixture.givenNoPriorActivity()
                .when(new CreateDeliveryStream(ID, KEY, DeliveryStreamType.DirectPut, null, List.of(), Map.of(), null, null, null, "req-1"))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException, "Exactly one destination configuration must be specified."));
    }

    @Test
    void becomesActiveOnce() {
        fixture.given(created())
                .when(new ActivateDeliveryStream(ID))
                .expectEvents(new DeliveryStreamActivated(ID, NOW));
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(new ActivateDeliveryStream(ID))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void cannotBeDeletedWhileCreating() {
        fixture.given(created())
                .when(new DeleteDeliveryStream(ID, false))
                .expectException(error(FirehoseErrorCode.ResourceInUseException, "CREATING"))
                .expectNoEvents();
    }

    @Test
    void deletionGoesThroughDeletingToGone() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(new DeleteDeliveryStream(ID, true))
                .expectEvents(new DeliveryStreamDeletionRequested(ID, true, List.of(), NOW));
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW), new DeliveryStreamDeletionRequested(ID, false, List.of(), NOW))
                .when(new CompleteDeliveryStreamDeletion(ID))
                .expectEvents(new DeliveryStreamDeleted(ID, NOW))
                .expectMarkedDeleted();
    }

    @Test
    void askingToDeleteTwiceIsNotAnError() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW), new DeliveryStreamDeletionRequested(ID, false, List.of(), NOW))
                .when(new DeleteDeliveryStream(ID, false))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void tagsAreAddedAndOverwritten() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(new TagDeliveryStream(ID, Map.of("team", "platform", "env", "prod")))
                .expectEvents(new DeliveryStreamTagged(ID, new TreeMap<>(Map.of("team", "platform", "env", "prod")), NOW));
    }

    @Test
    void rejectsTheFiftyFirstTag() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW), new DeliveryStreamTagged(ID, tags(49), NOW))
                .when(new TagDeliveryStream(ID, Map.of("one-more", "v")))
                .expectException(error(FirehoseErrorCode.LimitExceededException, "limit of 50 tags"))
                .expectNoEvents();
    }

    @Test
    void overwritingAnExistingTagDoesNotCountAgainstTheLimit() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW), new DeliveryStreamTagged(ID, tags(49), NOW))
                .when(new TagDeliveryStream(ID, Map.of("k1", "changed")))
                .expectEvents(new DeliveryStreamTagged(ID, new TreeMap<>(Map.of("k1", "changed")), NOW));
    }

    @Test
    void untaggingRemovesOnlyTagsThatExist() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(new UntagDeliveryStream(ID, List.of("team", "absent")))
                .expectEvents(new DeliveryStreamUntagged(ID, List.of("team"), NOW));
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(new UntagDeliveryStream(ID, List.of("absent")))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void cannotTagAStreamBeingDeleted() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW), new DeliveryStreamDeletionRequested(ID, false, List.of(), NOW))
                .when(new TagDeliveryStream(ID, Map.of("a", "b")))
                .expectException(error(FirehoseErrorCode.ResourceInUseException, "is being deleted"));
    }
}
