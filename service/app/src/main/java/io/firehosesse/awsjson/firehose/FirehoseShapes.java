package io.firehosesse.awsjson.firehose;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Firehose request and response shapes this service speaks, named and cased as in the AWS model
 * ({@code firehose-2015-08-04}); the wire mapper turns {@code deliveryStreamName} into
 * {@code DeliveryStreamName}. Destination configurations stay JSON documents: they were already
 * checked member by member against the model, and are kept as given; a {@code DestinationDescription} is a document
 * too ({@code DestinationId} and the description member of its type), rendered from the model by
 * {@link DestinationDescriptions}.
 */
final class FirehoseShapes {

    private FirehoseShapes() {
    }

    record Tag(String key, String value) {
    }

    record KinesisStreamSourceConfiguration(String kinesisStreamARN, String roleARN) {
    }

    record DeliveryStreamEncryptionConfigurationInput(String keyARN, String keyType) {
    }

    record CreateDeliveryStreamInput(
            String deliveryStreamName,
            String deliveryStreamType,
            Map<String, Object> directPutSourceConfiguration,
            KinesisStreamSourceConfiguration kinesisStreamSourceConfiguration,
            Map<String, Object> mSKSourceConfiguration,
            Map<String, Object> databaseSourceConfiguration,
            DeliveryStreamEncryptionConfigurationInput deliveryStreamEncryptionConfigurationInput,
            Map<String, Object> s3DestinationConfiguration,
            Map<String, Object> extendedS3DestinationConfiguration,
            Map<String, Object> redshiftDestinationConfiguration,
            Map<String, Object> elasticsearchDestinationConfiguration,
            Map<String, Object> amazonopensearchserviceDestinationConfiguration,
            Map<String, Object> splunkDestinationConfiguration,
            Map<String, Object> httpEndpointDestinationConfiguration,
            Map<String, Object> amazonOpenSearchServerlessDestinationConfiguration,
            Map<String, Object> snowflakeDestinationConfiguration,
            Map<String, Object> icebergDestinationConfiguration,
            List<Tag> tags) {
    }

    record CreateDeliveryStreamOutput(String deliveryStreamARN) {
    }

    record DescribeDeliveryStreamInput(String deliveryStreamName, Integer limit, String exclusiveStartDestinationId) {
    }

    record DescribeDeliveryStreamOutput(DeliveryStreamDescription deliveryStreamDescription) {
    }

    record DeliveryStreamDescription(
            String deliveryStreamName,
            String deliveryStreamARN,
            String deliveryStreamStatus,
            FailureDescription failureDescription,
            DeliveryStreamEncryptionConfiguration deliveryStreamEncryptionConfiguration,
            String deliveryStreamType,
            String versionId,
            Instant createTimestamp,
            Instant lastUpdateTimestamp,
            SourceDescription source,
            List<Map<String, Object>> destinations,
            Boolean hasMoreDestinations) {
    }

    record FailureDescription(String type, String details) {
    }

    record DeliveryStreamEncryptionConfiguration(String keyARN, String keyType, String status,
                                                 FailureDescription failureDescription) {
    }

    record SourceDescription(KinesisStreamSourceDescription kinesisStreamSourceDescription,
                             Map<String, Object> mSKSourceDescription,
                             Map<String, Object> databaseSourceDescription) {
    }

    record KinesisStreamSourceDescription(String kinesisStreamARN, String roleARN, Instant deliveryStartTimestamp) {
    }

    record UpdateDestinationInput(
            String deliveryStreamName,
            String currentDeliveryStreamVersionId,
            String destinationId,
            Map<String, Object> s3DestinationUpdate,
            Map<String, Object> extendedS3DestinationUpdate,
            Map<String, Object> redshiftDestinationUpdate,
            Map<String, Object> elasticsearchDestinationUpdate,
            Map<String, Object> amazonopensearchserviceDestinationUpdate,
            Map<String, Object> splunkDestinationUpdate,
            Map<String, Object> httpEndpointDestinationUpdate,
            Map<String, Object> amazonOpenSearchServerlessDestinationUpdate,
            Map<String, Object> snowflakeDestinationUpdate,
            Map<String, Object> icebergDestinationUpdate) {
    }

    record ListDeliveryStreamsInput(Integer limit, String deliveryStreamType, String exclusiveStartDeliveryStreamName) {
    }

    record ListDeliveryStreamsOutput(List<String> deliveryStreamNames, Boolean hasMoreDeliveryStreams) {
    }

    record DeleteDeliveryStreamInput(String deliveryStreamName, Boolean allowForceDelete) {
    }

    record TagDeliveryStreamInput(String deliveryStreamName, List<Tag> tags) {
    }

    record UntagDeliveryStreamInput(String deliveryStreamName, List<String> tagKeys) {
    }

    record ListTagsForDeliveryStreamInput(String deliveryStreamName, String exclusiveStartTagKey, Integer limit) {
    }

    record ListTagsForDeliveryStreamOutput(List<Tag> tags, Boolean hasMoreTags) {
    }

    record StartDeliveryStreamEncryptionInput(String deliveryStreamName,
                                              DeliveryStreamEncryptionConfigurationInput deliveryStreamEncryptionConfigurationInput) {
    }

    record StopDeliveryStreamEncryptionInput(String deliveryStreamName) {
    }

    /** The body of an output shape with no members. */
    record EmptyOutput() {
    }
}
