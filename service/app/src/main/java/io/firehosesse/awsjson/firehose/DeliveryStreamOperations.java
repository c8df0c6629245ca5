package io.firehosesse.awsjson.firehose;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.api.deliverystream.CreateDeliveryStream;
import io.firehosesse.api.deliverystream.DeleteDeliveryStream;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.DestinationKind;
import io.firehosesse.api.deliverystream.EncryptionRequest;
import io.firehosesse.api.deliverystream.KeyType;
import io.firehosesse.api.deliverystream.KinesisStreamSource;
import io.firehosesse.api.deliverystream.StreamKey;
import io.firehosesse.api.deliverystream.StartDeliveryStreamEncryption;
import io.firehosesse.api.deliverystream.StopDeliveryStreamEncryption;
import io.firehosesse.api.deliverystream.TagDeliveryStream;
import io.firehosesse.api.deliverystream.UntagDeliveryStream;
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
import io.firehosesse.awsjson.firehose.FirehoseShapes.DestinationDescription;
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
import io.firehosesse.deliverystream.DeliveryStreams;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamViews;
import io.firehosesse.readmodel.deliverystream.StreamNamePage;
import io.firehosesse.auth.Caller;
import java.util.ArrayList;
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
    private static final String FIRST_DESTINATION_ID = "destinationId-000000000001";
    private static final int DEFAULT_LIST_LIMIT = 10;
    private static final int DEFAULT_TAG_LIMIT = 50;

    private final DeliveryStreams streams;
    private final DeliveryStreamViews views;

    DeliveryStreamOperations(DeliveryStreams streams, DeliveryStreamViews views) {
        this.streams = streams;
        this.views = views;
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
                        this::stopEncryption));
    }

    CreateDeliveryStreamOutput create(CreateDeliveryStreamInput input, Caller caller) {
        StreamKey key = key(input.deliveryStreamName(), caller);
        if (input.mSKSourceConfiguration() != null || input.databaseSourceConfiguration() != null) {
            throw invalid("MSKSourceConfiguration and DatabaseSourceConfiguration are not supported by this service.");
        }
        DeliveryStreamType type = input.deliveryStreamType() == null
                ? DeliveryStreamType.DirectPut
                : DeliveryStreamType.valueOf(input.deliveryStreamType());
        KinesisStreamSource source = input.kinesisStreamSourceConfiguration() == null ? null
                : new KinesisStreamSource(input.kinesisStreamSourceConfiguration().kinesisStreamARN(),
                        input.kinesisStreamSourceConfiguration().roleARN());
        EncryptionRequest encryption = input.deliveryStreamEncryptionConfigurationInput() == null ? null
                : new EncryptionRequest(KeyType.valueOf(input.deliveryStreamEncryptionConfigurationInput().keyType()),
                        input.deliveryStreamEncryptionConfigurationInput().keyARN());
        streams.send(new CreateDeliveryStream(UUID.randomUUID().toString(), key, type, source, destinations(input),
                tags(input.tags()), encryption, caller.principal(), caller.sessionIssuedAt(), caller.requestId()), caller);
        return new CreateDeliveryStreamOutput(key.arn());
    }

    DescribeDeliveryStreamOutput describe(DescribeDeliveryStreamInput input, Caller caller) {
        StreamKey key = key(input.deliveryStreamName(), caller);
        DeliveryStreamView view = views.find(key).orElseThrow(() -> DeliveryStreams.notFound(key));
        int limit = input.limit() == null ? Integer.MAX_VALUE : input.limit();
        List<DestinationDescription> destinations = view.destinations().stream()
                .filter(d -> input.exclusiveStartDestinationId() == null
                        || d.destinationId().compareTo(input.exclusiveStartDestinationId()) > 0)
                .map(DestinationDescriptions::describe)
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

    private static List<Destination> destinations(CreateDeliveryStreamInput input) {
        Map<String, Object> unsupported = new LinkedHashMap<>();
        unsupported.put("RedshiftDestinationConfiguration", input.redshiftDestinationConfiguration());
        unsupported.put("ElasticsearchDestinationConfiguration", input.elasticsearchDestinationConfiguration());
        unsupported.put("AmazonopensearchserviceDestinationConfiguration", input.amazonopensearchserviceDestinationConfiguration());
        unsupported.put("SplunkDestinationConfiguration", input.splunkDestinationConfiguration());
        unsupported.put("HttpEndpointDestinationConfiguration", input.httpEndpointDestinationConfiguration());
        unsupported.put("AmazonOpenSearchServerlessDestinationConfiguration", input.amazonOpenSearchServerlessDestinationConfiguration());
        unsupported.put("SnowflakeDestinationConfiguration", input.snowflakeDestinationConfiguration());
        unsupported.put("IcebergDestinationConfiguration", input.icebergDestinationConfiguration());
        unsupported.forEach((member, value) -> {
            if (value != null) {
                throw invalid(member + " is not supported by this service; use ExtendedS3DestinationConfiguration"
                        + " or S3DestinationConfiguration.");
            }
        });
        List<Destination> destinations = new ArrayList<>();
        if (input.s3DestinationConfiguration() != null) {
            destinations.add(new Destination(FIRST_DESTINATION_ID, DestinationKind.S3,
                    withoutNulls(input.s3DestinationConfiguration())));
        }
        if (input.extendedS3DestinationConfiguration() != null) {
            destinations.add(new Destination(FIRST_DESTINATION_ID, DestinationKind.EXTENDED_S3,
                    withoutNulls(input.extendedS3DestinationConfiguration())));
        }
        return destinations;
    }

    /**
     * A configuration document with its null members left out, at every depth: in AWS JSON a null member
     * is an absent one, and a document keeps only what was given.
     */
    static Map<String, Object> withoutNulls(Map<String, Object> document) {
        Map<String, Object> kept = new LinkedHashMap<>();
        document.forEach((member, value) -> {
            if (value != null) {
                kept.put(member, withoutNulls(value));
            }
        });
        return kept;
    }

    @SuppressWarnings("unchecked")
    private static Object withoutNulls(Object value) {
        if (value instanceof Map<?, ?> map) {
            return withoutNulls((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            // Null elements of modelled lists were refused by the validator; an unknown member's list stays as sent.
            return list.stream().map(element -> element == null ? null : withoutNulls(element)).collect(
                    ArrayList::new, ArrayList::add, ArrayList::addAll);
        }
        return value;
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        if (tags != null) {
            tags.forEach(tag -> map.put(tag.key(), tag.value() == null ? "" : tag.value()));
        }
        return map;
    }

    private static SourceDescription source(DeliveryStreamView view) {
        if (view.kinesisSource() == null) {
            return null;
        }
        return new SourceDescription(new KinesisStreamSourceDescription(view.kinesisSource().kinesisStreamArn(),
                view.kinesisSource().roleArn(), view.deliveryStartTimestamp()));
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
