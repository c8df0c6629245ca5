package io.firehosesse.deliverystream;

import static io.firehosesse.deliverystream.DestinationTypesIT.ROLE;
import static io.firehosesse.deliverystream.DestinationTypesIT.backup;
import static io.firehosesse.support.Streams.awaitStatus;
import static io.firehosesse.support.Streams.describe;
import static io.firehosesse.support.Streams.s3;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.AwsClientsIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.function.Supplier;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.firehose.model.ConcurrentModificationException;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DestinationDescription;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.ResourceInUseException;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;

class UpdateDestinationIT extends AwsClientsIT {

    static final String FIRST = "destinationId-000000000001";

    @Autowired
    EventProcessingConfiguration processing;

    private String activeS3Stream() {
        String name = uniqueName("update");
        firehose.createDeliveryStream(b -> b.deliveryStreamName(name)
                .extendedS3DestinationConfiguration(s3("orders-bucket").toBuilder().prefix("raw/").build()));
        awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);
        return name;
    }

    @Test
    void anUpdateOfTheSameTypeIsMergedAndMovesTheVersionOn() throws Exception {
        String name = activeS3Stream();
        DeliveryStreamDescription before = describe(firehose, name);

        firehose.updateDestination(r -> r.deliveryStreamName(name).currentDeliveryStreamVersionId("1").destinationId(FIRST)
                .extendedS3DestinationUpdate(u -> u.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(60))));

        DeliveryStreamDescription after = describe(firehose, name);
        assertThat(after.versionId()).isEqualTo("2");
        assertThat(after.lastUpdateTimestamp()).isNotNull();
        assertThat(before.lastUpdateTimestamp() == null || after.lastUpdateTimestamp().isAfter(before.lastUpdateTimestamp())).isTrue();
        DestinationDescription destination = after.destinations().get(0);
        assertThat(destination.destinationId()).isEqualTo(FIRST);
        assertThat(destination.extendedS3DestinationDescription().prefix()).isEqualTo("raw/");
        assertThat(destination.extendedS3DestinationDescription().bucketARN()).isEqualTo("arn:aws:s3:::orders-bucket");
        assertThat(destination.extendedS3DestinationDescription().bufferingHints().sizeInMBs()).isEqualTo(1);
        assertThat(destination.extendedS3DestinationDescription().bufferingHints().intervalInSeconds()).isEqualTo(60);

        firehose.updateDestination(r -> r.deliveryStreamName(name).currentDeliveryStreamVersionId("2").destinationId(FIRST)
                .s3DestinationUpdate(u -> u.prefix("cooked/")));
        DeliveryStreamDescription third = describe(firehose, name);
        assertThat(rest("/api/delivery-streams/" + name + "/timeline")).contains("DestinationUpdated");
        assertThat(rest("/api/delivery-streams/" + name + "/events?type=DestinationUpdated")).contains("cooked/");
        assertThat(rest("/api/audit/events?deliveryStream=" + name)).contains("UpdateDestination");
        assertThat(third.versionId()).isEqualTo("3");
        assertThat(third.destinations().get(0).extendedS3DestinationDescription().prefix()).isEqualTo("cooked/");
        assertThat(third.destinations().get(0).extendedS3DestinationDescription().bufferingHints().sizeInMBs()).isEqualTo(1);
    }

    @Test
    void anUpdateOfAnotherTypeReplacesTheDestinationWhole() {
        String name = activeS3Stream();

        firehose.updateDestination(r -> r.deliveryStreamName(name).currentDeliveryStreamVersionId("1").destinationId(FIRST)
                .httpEndpointDestinationUpdate(u -> u.endpointConfiguration(e -> e.url("https://collector.example.com")
                                .accessKey("secret-key"))
                        .s3Update(s -> s.roleARN(ROLE).bucketARN("arn:aws:s3:::backup-bucket"))));

        DeliveryStreamDescription after = describe(firehose, name);
        assertThat(after.versionId()).isEqualTo("2");
        DestinationDescription destination = after.destinations().get(0);
        assertThat(destination.extendedS3DestinationDescription()).isNull();
        assertThat(destination.s3DestinationDescription()).isNull();
        assertThat(destination.httpEndpointDestinationDescription().endpointConfiguration().url())
                .isEqualTo("https://collector.example.com");
        assertThat(destination.httpEndpointDestinationDescription().s3BackupModeAsString()).isEqualTo("FailedDataOnly");
        DestinationTypesIT.assertS3Defaults(destination.httpEndpointDestinationDescription().s3DestinationDescription());
        // Nothing of the S3 destination it replaced is left.
        assertThat(destination.httpEndpointDestinationDescription().s3DestinationDescription().prefix()).isNull();
    }

    @Test
    void anUpdateOfAnotherTypeMustBeAWholeConfiguration() {
        String name = activeS3Stream();

        assertThatThrownBy(() -> firehose.updateDestination(r -> r.deliveryStreamName(name).currentDeliveryStreamVersionId("1")
                .destinationId(FIRST).splunkDestinationUpdate(u -> u.hecEndpoint("https://splunk.example.com"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("SplunkDestinationUpdate.HECEndpointType")
                .hasMessageContaining("SplunkDestinationUpdate.S3Update");
        assertThat(describe(firehose, name).versionId()).isEqualTo("1");
    }

    @Test
    void aStaleVersionIsAConcurrentModification() {
        String name = activeS3Stream();
        firehose.updateDestination(r -> r.deliveryStreamName(name).currentDeliveryStreamVersionId("1").destinationId(FIRST)
                .extendedS3DestinationUpdate(u -> u.prefix("a/")));

        assertThatThrownBy(() -> firehose.updateDestination(r -> r.deliveryStreamName(name).currentDeliveryStreamVersionId("1")
                .destinationId(FIRST).extendedS3DestinationUpdate(u -> u.prefix("b/"))))
                .isInstanceOf(ConcurrentModificationException.class)
                .hasMessageContaining("current version id: 2 and the specified version id: 1 do not match");
        assertThat(describe(firehose, name).destinations().get(0).extendedS3DestinationDescription().prefix()).isEqualTo("a/");
    }

    @Test
    void anUnknownDestinationIdIsAnInvalidArgument() {
        String name = activeS3Stream();

        assertThatThrownBy(() -> firehose.updateDestination(r -> r.deliveryStreamName(name).currentDeliveryStreamVersionId("1")
                .destinationId("destinationId-000000000009").extendedS3DestinationUpdate(u -> u.prefix("b/"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Destination Id destinationId-000000000009 not found");
    }

    @Test
    void exactlyOneDestinationUpdateMustBeGiven() {
        String name = activeS3Stream();

        assertThatThrownBy(() -> firehose.updateDestination(r -> r.deliveryStreamName(name).currentDeliveryStreamVersionId("1")
                .destinationId(FIRST)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Exactly one destination update must be specified.");
    }

    @Test
    void anOpenSearchDestinationCannotBecomeAnotherService() {
        String name = uniqueName("os");
        firehose.createDeliveryStream(b -> b.deliveryStreamName(name).amazonopensearchserviceDestinationConfiguration(o -> o
                .roleARN(ROLE).domainARN("arn:aws:es:us-east-1:123456789012:domain/orders").indexName("orders")
                .s3Configuration(backup())));
        awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);

        assertThatThrownBy(() -> firehose.updateDestination(r -> r.deliveryStreamName(name).currentDeliveryStreamVersionId("1")
                .destinationId(FIRST).extendedS3DestinationUpdate(u -> u.roleARN(ROLE).bucketARN("arn:aws:s3:::x"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Switching between Amazon OpenSearch Service and other services is not supported.");

        // Within the service, an update merges: the index changes, the domain and backup stay.
        firehose.updateDestination(r -> r.deliveryStreamName(name).currentDeliveryStreamVersionId("1").destinationId(FIRST)
                .amazonopensearchserviceDestinationUpdate(u -> u.indexName("orders-v2")));
        var openSearch = describe(firehose, name).destinations().get(0).amazonopensearchserviceDestinationDescription();
        assertThat(openSearch.indexName()).isEqualTo("orders-v2");
        assertThat(openSearch.domainARN()).isEqualTo("arn:aws:es:us-east-1:123456789012:domain/orders");
        DestinationTypesIT.assertS3Defaults(openSearch.s3DestinationDescription());
    }

    @Test
    void onlyAnActiveStreamIsUpdated() {
        String name = uniqueName("creating");
        whileTheLifecycleWaits(() -> {
            firehose.createDeliveryStream(b -> b.deliveryStreamName(name).extendedS3DestinationConfiguration(s3("b")));
            assertThatThrownBy(() -> firehose.updateDestination(r -> r.deliveryStreamName(name)
                    .currentDeliveryStreamVersionId("1").destinationId(FIRST).extendedS3DestinationUpdate(u -> u.prefix("x/"))))
                    .isInstanceOf(ResourceInUseException.class)
                    .hasMessageContaining("is not in ACTIVE state.");
            return null;
        });
        assertThatThrownBy(() -> firehose.updateDestination(r -> r.deliveryStreamName(uniqueName("missing"))
                .currentDeliveryStreamVersionId("1").destinationId(FIRST).extendedS3DestinationUpdate(u -> u.prefix("x/"))))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    private String rest(String path) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    <T> T whileTheLifecycleWaits(Supplier<T> step) {
        return LifecyclePause.whileTheLifecycleWaits(processing, step);
    }

    static final String BACKUP = "\"S3Configuration\": {\"RoleARN\": \"" + ROLE + "\", \"BucketARN\": \"arn:aws:s3:::backup\"}";

    /** Each destination type: how it is created, a same-type update of one member, and where Describe shows it. */
    static Stream<Arguments> everyDestinationType() {
        return Stream.of(
                Arguments.of("S3", "{\"RoleARN\": \"" + ROLE + "\", \"BucketARN\": \"arn:aws:s3:::b\"}",
                        "{\"Prefix\": \"updated/\"}", "/S3DestinationDescription/Prefix", "updated/"),
                Arguments.of("ExtendedS3", "{\"RoleARN\": \"" + ROLE + "\", \"BucketARN\": \"arn:aws:s3:::b\"}",
                        "{\"Prefix\": \"updated/\"}", "/ExtendedS3DestinationDescription/Prefix", "updated/"),
                Arguments.of("Redshift", "{\"RoleARN\": \"" + ROLE + "\", \"ClusterJDBCURL\": "
                                + "\"jdbc:redshift://orders.abc123.us-east-1.redshift.amazonaws.com:5439/dev\", "
                                + "\"CopyCommand\": {\"DataTableName\": \"orders\"}, \"Username\": \"firehose\", "
                                + "\"Password\": \"s3cret-password\", " + BACKUP + "}",
                        "{\"Username\": \"loader\"}", "/RedshiftDestinationDescription/Username", "loader"),
                Arguments.of("Elasticsearch", "{\"RoleARN\": \"" + ROLE + "\", \"DomainARN\": "
                                + "\"arn:aws:es:us-east-1:123456789012:domain/orders\", \"IndexName\": \"orders\", " + BACKUP + "}",
                        "{\"IndexName\": \"orders-v2\"}", "/ElasticsearchDestinationDescription/IndexName", "orders-v2"),
                Arguments.of("Amazonopensearchservice", "{\"RoleARN\": \"" + ROLE + "\", \"DomainARN\": "
                                + "\"arn:aws:es:us-east-1:123456789012:domain/orders\", \"IndexName\": \"orders\", " + BACKUP + "}",
                        "{\"IndexName\": \"orders-v2\"}", "/AmazonopensearchserviceDestinationDescription/IndexName",
                        "orders-v2"),
                Arguments.of("AmazonOpenSearchServerless", "{\"RoleARN\": \"" + ROLE + "\", \"CollectionEndpoint\": "
                                + "\"https://abc123.us-east-1.aoss.amazonaws.com\", \"IndexName\": \"orders\", " + BACKUP + "}",
                        "{\"IndexName\": \"orders-v2\"}", "/AmazonOpenSearchServerlessDestinationDescription/IndexName",
                        "orders-v2"),
                Arguments.of("Splunk", "{\"HECEndpoint\": \"https://splunk.example.com:8088\", \"HECEndpointType\": "
                                + "\"Event\", \"HECToken\": \"token\", " + BACKUP + "}",
                        "{\"HECAcknowledgmentTimeoutInSeconds\": 300}",
                        "/SplunkDestinationDescription/HECAcknowledgmentTimeoutInSeconds", "300"),
                Arguments.of("HttpEndpoint", "{\"EndpointConfiguration\": {\"Url\": \"https://collector.example.com\"}, "
                                + BACKUP + "}",
                        "{\"RetryOptions\": {\"DurationInSeconds\": 120}}",
                        "/HttpEndpointDestinationDescription/RetryOptions/DurationInSeconds", "120"),
                Arguments.of("Snowflake", "{\"AccountUrl\": \"https://orders-account.snowflakecomputing.com\", "
                                + "\"Database\": \"ORDERS\", \"Schema\": \"PUBLIC\", \"Table\": \"EVENTS\", "
                                + "\"RoleARN\": \"" + ROLE + "\", " + BACKUP + "}",
                        "{\"Table\": \"EVENTS_V2\"}", "/SnowflakeDestinationDescription/Table", "EVENTS_V2"),
                Arguments.of("Iceberg", "{\"RoleARN\": \"" + ROLE + "\", \"CatalogConfiguration\": {\"CatalogARN\": "
                                + "\"arn:aws:glue:us-east-1:123456789012:catalog\"}, " + BACKUP + "}",
                        "{\"AppendOnly\": true}", "/IcebergDestinationDescription/AppendOnly", "true"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDestinationType")
    void everyDestinationTypeTakesAnUpdateOfItsOwnType(String type, String configuration, String update, String shownAt,
                                                       String shown) throws Exception {
        String name = uniqueName("update-" + type.toLowerCase());
        JsonNode created = call("CreateDeliveryStream", "{\"DeliveryStreamName\": \"" + name + "\", \"" + type
                + "DestinationConfiguration\": " + configuration + "}");
        assertThat(created.path("status").asInt()).as(created.toString()).isEqualTo(200);
        awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);

        JsonNode updated = call("UpdateDestination", "{\"DeliveryStreamName\": \"" + name
                + "\", \"CurrentDeliveryStreamVersionId\": \"1\", \"DestinationId\": \"" + FIRST + "\", \"" + type
                + "DestinationUpdate\": " + update + "}");

        assertThat(updated.path("status").asInt()).as(updated.toString()).isEqualTo(200);
        JsonNode stream = call("DescribeDeliveryStream", "{\"DeliveryStreamName\": \"" + name + "\"}")
                .path("body").path("DeliveryStreamDescription");
        assertThat(stream.path("VersionId").asText()).isEqualTo("2");
        assertThat(stream.path("Destinations").path(0).at(shownAt).asText()).as(stream.toString()).isEqualTo(shown);
    }

    /** A Firehose call as a raw AWS JSON 1.1 request (open mode takes it unsigned): its status and body. */
    private JsonNode call(String operation, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Firehose_20150804." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        ObjectMapper json = new ObjectMapper();
        return json.createObjectNode().put("status", response.statusCode()).set("body", json.readTree(response.body()));
    }
}
