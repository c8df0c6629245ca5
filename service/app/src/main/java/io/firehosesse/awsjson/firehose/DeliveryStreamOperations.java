package io.firehosesse.awsjson.firehose;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.api.deliverystream.CreateDeliveryStream;
import io.firehosesse.api.deliverystream.DeleteDeliveryStream;
import io.firehosesse.api.deliverystream.DeliveryStreamStatus;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.SourceConfiguration;
import io.firehosesse.api.deliverystream.EncryptionRequest;
import io.firehosesse.api.deliverystream.KeyType;
import io.firehosesse.api.deliverystream.KinesisStreamSource;
import io.firehosesse.api.deliverystream.StreamKey;
import io.firehosesse.api.deliverystream.StartDeliveryStreamEncryption;
import io.firehosesse.api.deliverystream.StopDeliveryStreamEncryption;
import io.firehosesse.api.deliverystream.TagDeliveryStream;
import io.firehosesse.api.deliverystream.UntagDeliveryStream;
import io.firehosesse.api.deliverystream.UpdateDestination;
import io.firehosesse.awsjson.AwsOperation;
import io.firehosesse.awsjson.AwsOperations;
import io.firehosesse.awsjson.firehose.FirehoseShapes.CreateDeliveryStreamInput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.CreateDeliveryStreamOutput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.DeleteDeliveryStreamInput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.DeliveryStreamDescription;
import io.firehosesse.awsjson.firehose.FirehoseShapes.DeliveryStreamEncryptionConfiguration;
import io.firehosesse.awsjson.firehose.FirehoseShapes.DeliveryStreamEncryptionConfigurationInput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.StartDeliveryStreamEncryptionInput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.StopDeliveryStreamEncryptionInput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.DescribeDeliveryStreamInput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.DescribeDeliveryStreamOutput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.EmptyOutput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.FailureDescription;
import io.firehosesse.awsjson.firehose.FirehoseShapes.KinesisStreamSourceDescription;
import io.firehosesse.awsjson.firehose.FirehoseShapes.ListDeliveryStreamsInput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.ListDeliveryStreamsOutput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.ListTagsForDeliveryStreamInput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.ListTagsForDeliveryStreamOutput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.SourceDescription;
import io.firehosesse.awsjson.firehose.FirehoseShapes.Tag;
import io.firehosesse.awsjson.firehose.FirehoseShapes.TagDeliveryStreamInput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.UntagDeliveryStreamInput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.UpdateDestinationInput;
import io.firehosesse.deliverystream.DeliveryStreams;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamViews;
import io.firehosesse.readmodel.deliverystream.StreamNamePage;
import io.firehosesse.auth.Caller;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The delivery-stream lifecycle operations: wire shapes in, commands to the aggregate or reads of the
 * view out. Writes go through the aggregate; reads come from the view, which the same transaction
 * updated, so a Describe after an acknowledged call always sees it.
 */
@Component
class DeliveryStreamOperations implements AwsOperations {

    private static final String PREFIX = "Firehose_20150804.";
    private static final int DEFAULT_LIST_LIMIT = 10;
    private static final int DEFAULT_TAG_LIMIT = 50;

    private final DeliveryStreams streams;
    private final DeliveryStreamViews views;
    private final DestinationConfigurations configurations;
    private final DestinationDescriptions descriptions;

    DeliveryStreamOperations(DeliveryStreams streams, DeliveryStreamViews views, DestinationConfigurations configurations,
                             DestinationDescriptions descriptions) {
        this.streams = streams;
        this.views = views;
        this.configurations = configurations;
        this.descriptions = descriptions;
    }

    @Override
    public List<AwsOperation<?>> operations() {
        return List.of(
                AwsOperation.of(PREFIX + "CreateDeliveryStream", CreateDeliveryStreamInput.class, this::create),
                AwsOperation.of(PREFIX + "DescribeDeliveryStream", DescribeDeliveryStreamInput.class, this::describe),
                AwsOperation.of(PREFIX + "ListDeliveryStreams", ListDeliveryStreamsInput.class, this::list),
                AwsOperation.of(PREFIX + "DeleteDeliveryStream", DeleteDeliveryStreamInput.class, this::delete),
                AwsOperation.of(PREFIX + "TagDeliveryStream", TagDeliveryStreamInput.class, this::tag),
                AwsOperation.of(PREFIX + "UntagDeliveryStream", UntagDeliveryStreamInput.class, this::untag),
                AwsOperation.of(PREFIX + "ListTagsForDeliveryStream", ListTagsForDeliveryStreamInput.class, this::listTags),
                AwsOperation.of(PREFIX + "StartDeliveryStreamEncryption", StartDeliveryStreamEncryptionInput.class,
                        this::startEncryption),
                AwsOperation.of(PREFIX + "StopDeliveryStreamEncryption", StopDeliveryStreamEncryptionInput.class,
                        this::stopEncryption),
                AwsOperation.of(PREFIX + "UpdateDestination", UpdateDestinationInput.class, this::updateDestination));
    }

    CreateDeliveryStreamOutput create(CreateDeliveryStreamInput input, Caller caller) {
        StreamKey key = key(input.deliveryStreamName(), caller);
        if (input.mSKSourceConfiguration() != null && input.databaseSourceConfiguration() != null) {
            throw invalid("Only one source configuration may be specified.");
        }
        DeliveryStreamType type = input.deliveryStreamType() == null
                ? DeliveryStreamType.DirectPut
                : DeliveryStreamType.valueOf(input.deliveryStreamType());
        KinesisStreamSource kinesis = input.kinesisStreamSourceConfiguration() == null ? null
                : new KinesisStreamSource(input.kinesisStreamSourceConfiguration().kinesisStreamARN(),
                        input.kinesisStreamSourceConfiguration().roleARN());
        SourceConfiguration source = input.mSKSourceConfiguration() != null
                ? new SourceConfiguration(DeliveryStreamType.MSKAsSource, Documents.withoutNulls(input.mSKSourceConfiguration()))
                : input.databaseSourceConfiguration() != null
                ? new SourceConfiguration(DeliveryStreamType.DatabaseAsSource,
                        Documents.withoutNulls(input.databaseSourceConfiguration()))
                : null;
        EncryptionRequest encryption = input.deliveryStreamEncryptionConfigurationInput() == null ? null
                : new EncryptionRequest(KeyType.valueOf(input.deliveryStreamEncryptionConfigurationInput().keyType()),
                        input.deliveryStreamEncryptionConfigurationInput().keyARN());
        streams.send(new CreateDeliveryStream(UUID.randomUUID().toString(), key, type, kinesis,
                configurations.fromCreate(input), tags(input.tags()), encryption, caller.principal(),
                caller.sessionIssuedAt(), caller.requestId(), source), caller);
        return new CreateDeliveryStreamOutput(key.arn());
    }

    DescribeDeliveryStreamOutput describe(DescribeDeliveryStreamInput input, Caller caller) {
        StreamKey key = key(input.deliveryStreamName(), caller);
        DeliveryStreamView view = views.find(key).orElseThrow(() -> DeliveryStreams.notFound(key));
        int limit = input.limit() == null ? Integer.MAX_VALUE : input.limit();
        List<Map<String, Object>> destinations = view.destinations().stream()
                .filter(d -> input.exclusiveStartDestinationId() == null
                        || d.destinationId().compareTo(input.exclusiveStartDestinationId()) > 0)
                .map(descriptions::describe)
                .toList();
        boolean hasMore = destinations.size() > limit;
        return new DescribeDeliveryStreamOutput(new DeliveryStreamDescription(
                view.name(),
                view.arn(),
                view.status().name(),
                failure(view.failure()),
                encryption(view.encryption()),
                view.type().name(),
                Long.toString(view.versionId()),
                view.createTimestamp(),
                view.lastUpdateTimestamp(),
                source(view),
                hasMore ? destinations.subList(0, limit) : destinations,
                hasMore));
    }

    ListDeliveryStreamsOutput list(ListDeliveryStreamsInput input, Caller caller) {
        StreamNamePage page = views.names(caller.accountId(), caller.region(),
                input.deliveryStreamType() == null ? null : DeliveryStreamType.valueOf(input.deliveryStreamType()),
                input.exclusiveStartDeliveryStreamName(),
                input.limit() == null ? DEFAULT_LIST_LIMIT : input.limit());
        return new ListDeliveryStreamsOutput(page.names(), page.hasMore());
    }

    EmptyOutput delete(DeleteDeliveryStreamInput input, Caller caller) {
        boolean force = Boolean.TRUE.equals(input.allowForceDelete());
        streams.sendTo(key(input.deliveryStreamName(), caller), id -> new DeleteDeliveryStream(id, force), caller);
        return new EmptyOutput();
    }

    EmptyOutput tag(TagDeliveryStreamInput input, Caller caller) {
        Map<String, String> tags = tags(input.tags());
        streams.sendTo(key(input.deliveryStreamName(), caller), id -> new TagDeliveryStream(id, tags), caller);
        return new EmptyOutput();
    }

    EmptyOutput untag(UntagDeliveryStreamInput input, Caller caller) {
        streams.sendTo(key(input.deliveryStreamName(), caller), id -> new UntagDeliveryStream(id, input.tagKeys()), caller);
        return new EmptyOutput();
    }

    EmptyOutput startEncryption(StartDeliveryStreamEncryptionInput input, Caller caller) {
        // No input means the AWS-owned key, as the model's KeyType documentation says.
        DeliveryStreamEncryptionConfigurationInput requested = input.deliveryStreamEncryptionConfigurationInput();
        KeyType keyType = requested == null ? KeyType.AWS_OWNED_CMK : KeyType.valueOf(requested.keyType());
        String keyArn = requested == null ? null : requested.keyARN();
        streams.sendTo(key(input.deliveryStreamName(), caller), id -> new StartDeliveryStreamEncryption(id, keyType, keyArn,
                caller.principal(), caller.sessionIssuedAt(), caller.requestId()), caller);
        return new EmptyOutput();
    }

    EmptyOutput stopEncryption(StopDeliveryStreamEncryptionInput input, Caller caller) {
        streams.sendTo(key(input.deliveryStreamName(), caller),
                id -> new StopDeliveryStreamEncryption(id, caller.requestId()), caller);
        return new EmptyOutput();
    }

    EmptyOutput updateDestination(UpdateDestinationInput input, Caller caller) {
        StreamKey key = key(input.deliveryStreamName(), caller);
        DestinationConfigurations.Update update = configurations.fromUpdate(input);
        // An update of another type replaces the destination, so it must be whole; checked here because only the
        // edge knows the model. The view is at the version the aggregate checks CurrentDeliveryStreamVersionId
        // against (both change in one transaction): if the caller's version is current, the type seen here is the
        // aggregate's. Otherwise the aggregate's own refusal (not ACTIVE, stale version, ...) is the answer.
        views.find(key)
                .filter(view -> view.status() == DeliveryStreamStatus.ACTIVE
                        && Long.toString(view.versionId()).equals(input.currentDeliveryStreamVersionId()))
                .flatMap(view -> view.destinations().stream()
                        .filter(destination -> destination.destinationId().equals(input.destinationId())).findFirst())
                .filter(current -> !current.kind().sameTypeAs(update.kind())
                        && current.kind().openSearchService() == update.kind().openSearchService())
                .ifPresent(current -> configurations.requireWhole(update));
        streams.sendTo(key, id -> new UpdateDestination(id, input.currentDeliveryStreamVersionId(), input.destinationId(),
                update.kind(), update.settings()), caller);
        return new EmptyOutput();
    }

    ListTagsForDeliveryStreamOutput listTags(ListTagsForDeliveryStreamInput input, Caller caller) {
        StreamKey key = key(input.deliveryStreamName(), caller);
        DeliveryStreamView view = views.find(key).orElseThrow(() -> DeliveryStreams.notFound(key));
        int limit = input.limit() == null ? DEFAULT_TAG_LIMIT : input.limit();
        String after = input.exclusiveStartTagKey();
        List<Tag> tags = (after == null ? view.tags() : view.tags().tailMap(after + Character.MIN_VALUE))
                .entrySet().stream()
                .map(tag -> new Tag(tag.getKey(), tag.getValue()))
                .toList();
        boolean hasMore = tags.size() > limit;
        return new ListTagsForDeliveryStreamOutput(hasMore ? tags.subList(0, limit) : tags, hasMore);
    }

    private static StreamKey key(String name, Caller caller) {
        return new StreamKey(caller.accountId(), caller.region(), name);
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        if (tags != null) {
            tags.forEach(tag -> map.put(tag.key(), tag.value() == null ? "" : tag.value()));
        }
        return map;
    }

    private SourceDescription source(DeliveryStreamView view) {
        if (view.kinesisSource() != null) {
            return new SourceDescription(new KinesisStreamSourceDescription(view.kinesisSource().kinesisStreamArn(),
                    view.kinesisSource().roleArn(), view.deliveryStartTimestamp()), null, null);
        }
        if (view.source() == null) {
            return null;
        }
        return switch (view.source().type()) {
            case MSKAsSource -> new SourceDescription(null,
                    descriptions.mskSource(view.source().settings(), view.deliveryStartTimestamp()), null);
            case DatabaseAsSource -> new SourceDescription(null, null,
                    descriptions.databaseSource(view.source().settings()));
            default -> null;
        };
    }

    private static DeliveryStreamEncryptionConfiguration encryption(DeliveryStreamView.EncryptionView encryption) {
        return new DeliveryStreamEncryptionConfiguration(encryption.keyArn(), encryption.keyType(), encryption.status(),
                failure(encryption.failure()));
    }

    private static FailureDescription failure(DeliveryStreamView.FailureView failure) {
        return failure == null ? null : new FailureDescription(failure.type(), failure.details());
    }

    private static FirehoseException invalid(String message) {
        return new FirehoseException(FirehoseErrorCode.InvalidArgumentException, message);
    }
}
