package io.firehosesse.deliverystream;

import static io.firehosesse.deliverystream.DeliveryStreamTest.ID;
import static io.firehosesse.deliverystream.DeliveryStreamTest.KEY;
import static io.firehosesse.deliverystream.DeliveryStreamTest.NOW;
import static io.firehosesse.deliverystream.DeliveryStreamTest.S3;
import static io.firehosesse.deliverystream.DeliveryStreamTest.created;
import static io.firehosesse.support.FirehoseErrors.error;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.deliverystream.CreateDeliveryStream;
import io.firehosesse.api.deliverystream.DeliveryStreamActivated;
import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.DestinationKind;
import io.firehosesse.api.deliverystream.DestinationUpdated;
import io.firehosesse.api.deliverystream.SourceConfiguration;
import io.firehosesse.api.deliverystream.StartDeliveryStreamEncryption;
import io.firehosesse.api.deliverystream.KeyType;
import io.firehosesse.api.deliverystream.UpdateDestination;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sources (MSK, Database) a stream may be created with, and UpdateDestination. */
class DestinationsAndSourcesTest {

    static final String DESTINATION_ID = "destinationId-000000000001";
    static final Map<String, Object> MSK = Map.of("MSKClusterARN", "arn:aws:kafka:us-east-1:123456789012:cluster/c/1",
            "TopicName", "orders", "AuthenticationConfiguration",
            Map.of("RoleARN", "arn:aws:iam::123456789012:role/msk", "Connectivity", "PRIVATE"));
    static final Destination OPENSEARCH = new Destination(DESTINATION_ID, DestinationKind.AMAZON_OPENSEARCH_SERVICE,
            Map.of("RoleARN", "arn:aws:iam::123456789012:role/firehose", "IndexName", "orders",
                    "DomainARN", "arn:aws:es:us-east-1:123456789012:domain/orders",
                    "S3Configuration", Map.of("RoleARN", "arn:aws:iam::123456789012:role/firehose",
                            "BucketARN", "arn:aws:s3:::backup")));

    private AggregateTestFixture<DeliveryStream> fixture;

    @BeforeEach
    void setUp() {
        fixture = DeliveryStreamTest.fixtureAt(NOW);
    }

    static CreateDeliveryStream create(DeliveryStreamType type, SourceConfiguration source, List<Destination> destinations) {
        return new CreateDeliveryStream(ID, KEY, type, null, destinations, Map.of(), null, null, null, "req-1", source);
    }

    static DeliveryStreamCreated createdWith(DeliveryStreamType type, SourceConfiguration source, List<Destination> destinations) {
        return new DeliveryStreamCreated(ID, KEY, KEY.arn(), type, null, destinations, new TreeMap<>(), null, NOW, source);
    }

    // ---- sources

    @Test
    void createsAStreamThatReadsFromMsk() {
        SourceConfiguration msk = new SourceConfiguration(DeliveryStreamType.MSKAsSource, MSK);
        fixture.givenNoPriorActivity()
                .when(create(DeliveryStreamType.MSKAsSource, msk, S3))
                .expectEvents(createdWith(DeliveryStreamType.MSKAsSource, msk, S3));
    }

    @Test
    void cannotCreateAnMskStreamWithoutItsSourceConfiguration() {
        fixture.givenNoPriorActivity()
                .when(create(DeliveryStreamType.MSKAsSource, null, S3))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException,
                        "MSKSourceConfiguration is required when DeliveryStreamType is MSKAsSource."));
    }

    @Test
    void cannotGiveAnMskSourceConfigurationToADirectPutStream() {
        fixture.givenNoPriorActivity()
                .when(create(DeliveryStreamType.DirectPut, new SourceConfiguration(DeliveryStreamType.MSKAsSource, MSK), S3))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException,
                        "MSKSourceConfiguration is only allowed when DeliveryStreamType is MSKAsSource."));
    }

    @Test
    void aDatabaseSourceDeliversOnlyToIceberg() {
        SourceConfiguration database = new SourceConfiguration(DeliveryStreamType.DatabaseAsSource, Map.of("Type", "MySQL"));
        fixture.givenNoPriorActivity()
                .when(create(DeliveryStreamType.DatabaseAsSource, database, S3))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException, "only support IcebergDestinationConfiguration"));
    }

    @Test
    void cannotStartEncryptionOnAnMskSource() {
        SourceConfiguration msk = new SourceConfiguration(DeliveryStreamType.MSKAsSource, MSK);
        fixture.given(createdWith(DeliveryStreamType.MSKAsSource, msk, S3), new DeliveryStreamActivated(ID, NOW))
                .when(new StartDeliveryStreamEncryption(ID, KeyType.AWS_OWNED_CMK, null, null, null, "req-2"))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException,
                        "This operation is not permitted on MSKAsSource delivery stream type."));
    }

    // ---- UpdateDestination

    @Test
    void mergesAnUpdateOfTheSameTypeIntoTheDestination() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(new UpdateDestination(ID, "1", DESTINATION_ID, DestinationKind.EXTENDED_S3,
                        Map.of("Prefix", "raw/", "BufferingHints", Map.of("SizeInMBs", 1, "IntervalInSeconds", 60))))
                .expectEvents(new DestinationUpdated(ID, new Destination(DESTINATION_ID, DestinationKind.EXTENDED_S3, Map.of(
                        "RoleARN", "arn:aws:iam::123456789012:role/firehose", "BucketARN", "arn:aws:s3:::orders",
                        "Prefix", "raw/", "BufferingHints", Map.of("SizeInMBs", 1, "IntervalInSeconds", 60))), 2, NOW));
    }

    @Test
    void mergesNestedStructuresMemberByMember() {
        Destination merged = OPENSEARCH.updatedWith(DestinationKind.AMAZON_OPENSEARCH_SERVICE,
                Map.of("S3Configuration", Map.of("BucketARN", "arn:aws:s3:::other")));
        fixture.given(createdWith(DeliveryStreamType.DirectPut, null, List.of(OPENSEARCH)), new DeliveryStreamActivated(ID, NOW))
                .when(new UpdateDestination(ID, "1", DESTINATION_ID, DestinationKind.AMAZON_OPENSEARCH_SERVICE,
                        Map.of("S3Configuration", Map.of("BucketARN", "arn:aws:s3:::other"))))
                .expectEvents(new DestinationUpdated(ID, merged, 2, NOW));
        org.assertj.core.api.Assertions.assertThat(merged.s3Settings())
                .containsEntry("RoleARN", "arn:aws:iam::123456789012:role/firehose")
                .containsEntry("BucketARN", "arn:aws:s3:::other");
    }

    @Test
    void replacesTheDestinationWithAnUpdateOfAnotherType() {
        Map<String, Object> splunk = Map.of("HECEndpoint", "https://splunk.example.com", "HECEndpointType", "Raw",
                "S3Configuration", Map.of("RoleARN", "arn:aws:iam::123456789012:role/firehose", "BucketARN", "arn:aws:s3:::backup"));
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(new UpdateDestination(ID, "1", DESTINATION_ID, DestinationKind.SPLUNK, splunk))
                .expectEvents(new DestinationUpdated(ID, new Destination(DESTINATION_ID, DestinationKind.SPLUNK, splunk), 2, NOW));
    }

    @Test
    void theNextUpdateNamesTheNewVersion() {
        DestinationUpdated first = new DestinationUpdated(ID, S3.get(0), 2, NOW);
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW), first)
                .when(new UpdateDestination(ID, "1", DESTINATION_ID, DestinationKind.EXTENDED_S3, Map.of("Prefix", "x/")))
                .expectException(error(FirehoseErrorCode.ConcurrentModificationException,
                        "current version id: 2 and the specified version id: 1 do not match"));
        DeliveryStreamTest.fixtureAt(NOW).given(created(), new DeliveryStreamActivated(ID, NOW), first)
                .when(new UpdateDestination(ID, "2", DESTINATION_ID, DestinationKind.EXTENDED_S3, Map.of("Prefix", "x/")))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void refusesAnUnknownDestinationId() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(new UpdateDestination(ID, "1", "destinationId-000000000002", DestinationKind.EXTENDED_S3, Map.of()))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException,
                        "Destination Id destinationId-000000000002 not found"));
    }

    @Test
    void cannotSwitchBetweenOpenSearchAndAnotherService() {
        fixture.given(createdWith(DeliveryStreamType.DirectPut, null, List.of(OPENSEARCH)), new DeliveryStreamActivated(ID, NOW))
                .when(new UpdateDestination(ID, "1", DESTINATION_ID, DestinationKind.EXTENDED_S3, S3.get(0).settings()))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException,
                        "Switching between Amazon OpenSearch Service and other services is not supported."));
        DeliveryStreamTest.fixtureAt(NOW).given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(new UpdateDestination(ID, "1", DESTINATION_ID, DestinationKind.AMAZON_OPENSEARCH_SERVICE,
                        OPENSEARCH.settings()))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException,
                        "Switching between Amazon OpenSearch Service and other services is not supported."));
    }

    @Test
    void anEnabledBackupCannotBeDisabled() {
        Destination backedUp = new Destination(DESTINATION_ID, DestinationKind.EXTENDED_S3, Map.of(
                "RoleARN", "arn:aws:iam::123456789012:role/firehose", "BucketARN", "arn:aws:s3:::orders",
                "S3BackupMode", "Enabled"));
        fixture.given(createdWith(DeliveryStreamType.DirectPut, null, List.of(backedUp)), new DeliveryStreamActivated(ID, NOW))
                .when(new UpdateDestination(ID, "1", DESTINATION_ID, DestinationKind.EXTENDED_S3, Map.of("S3BackupMode", "Disabled")))
                .expectException(error(FirehoseErrorCode.InvalidArgumentException,
                        "S3BackupMode cannot be changed from Enabled to Disabled."));
    }

    @Test
    void aDisabledBackupCanBeEnabled() {
        fixture.given(created(), new DeliveryStreamActivated(ID, NOW))
                .when(new UpdateDestination(ID, "1", DESTINATION_ID, DestinationKind.EXTENDED_S3, Map.of("S3BackupMode", "Enabled")))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void cannotUpdateAStreamThatIsNotActive() {
        fixture.given(created())
                .when(new UpdateDestination(ID, "1", DESTINATION_ID, DestinationKind.EXTENDED_S3, Map.of("Prefix", "x/")))
                .expectException(error(FirehoseErrorCode.ResourceInUseException, "is not in ACTIVE state."));
    }
}
