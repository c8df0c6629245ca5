package io.firehosesse.deliverystream;

import static io.firehosesse.support.Streams.awaitStatus;
import static io.firehosesse.support.Streams.describe;
import static io.firehosesse.support.Streams.s3;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.EncryptionFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.AmazonOpenSearchServerlessDestinationDescription;
import software.amazon.awssdk.services.firehose.model.AmazonopensearchserviceDestinationDescription;
import software.amazon.awssdk.services.firehose.model.CreateDeliveryStreamRequest;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.DestinationDescription;
import software.amazon.awssdk.services.firehose.model.ElasticsearchDestinationDescription;
import software.amazon.awssdk.services.firehose.model.HttpEndpointDestinationDescription;
import software.amazon.awssdk.services.firehose.model.IcebergDestinationDescription;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.RedshiftDestinationDescription;
import software.amazon.awssdk.services.firehose.model.S3DestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.S3DestinationDescription;
import software.amazon.awssdk.services.firehose.model.SnowflakeDestinationDescription;
import software.amazon.awssdk.services.firehose.model.SplunkDestinationDescription;

/** Every destination type of the model created and described, and the MSK and Database sources. */
class DestinationTypesIT extends AwsClientsIT {

    static final String ROLE = "arn:aws:iam::123456789012:role/firehose";

    static S3DestinationConfiguration backup() {
        return S3DestinationConfiguration.builder().roleARN(ROLE).bucketARN("arn:aws:s3:::backup-bucket").build();
    }

    private DeliveryStreamDescription createActive(String name, Consumer<CreateDeliveryStreamRequest.Builder> request) {
        firehose.createDeliveryStream(b -> request.accept(b.deliveryStreamName(name)));
        return awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);
    }

    private DestinationDescription createAndDescribe(Consumer<CreateDeliveryStreamRequest.Builder> destination) {
        DeliveryStreamDescription described = createActive(uniqueName("dest"), destination);
        assertThat(described.destinations()).hasSize(1);
        return described.destinations().get(0);
    }

    /** The describe answer as it went over the wire, to see what the SDK's shapes would hide (secrets). */
    private String rawDescribe(String name) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Firehose_20150804.DescribeDeliveryStream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"DeliveryStreamName\":\"" + name + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    static void assertS3Defaults(S3DestinationDescription s3) {
        assertThat(s3.roleARN()).isEqualTo(ROLE);
        assertThat(s3.bucketARN()).isEqualTo("arn:aws:s3:::backup-bucket");
        assertThat(s3.bufferingHints().sizeInMBs()).isEqualTo(5);
        assertThat(s3.bufferingHints().intervalInSeconds()).isEqualTo(300);
        assertThat(s3.compressionFormatAsString()).isEqualTo("UNCOMPRESSED");
        assertThat(s3.encryptionConfiguration().noEncryptionConfigAsString()).isEqualTo("NoEncryption");
        assertThat(s3.cloudWatchLoggingOptions().enabled()).isFalse();
    }

    @Test
    void anExtendedS3DestinationIsDescribedInBothFormsWithItsDefaults() {
        DestinationDescription described = createAndDescribe(b -> b.extendedS3DestinationConfiguration(s3("orders-bucket")));

        assertThat(described.destinationId()).isEqualTo("destinationId-000000000001");
        assertThat(described.extendedS3DestinationDescription().s3BackupModeAsString()).isEqualTo("Disabled");
        assertThat(described.extendedS3DestinationDescription().cloudWatchLoggingOptions().enabled()).isFalse();
        assertThat(described.extendedS3DestinationDescription().bufferingHints().sizeInMBs()).isEqualTo(5);
        assertThat(described.s3DestinationDescription().bucketARN()).isEqualTo("arn:aws:s3:::orders-bucket");
        assertThat(described.redshiftDestinationDescription()).isNull();
    }

    @Test
    void aRedshiftDestinationIsDescribedWithItsDefaultsAndWithoutItsPassword() throws Exception {
        String name = uniqueName("redshift");
        DeliveryStreamDescription stream = createActive(name, b -> b.redshiftDestinationConfiguration(r -> r
                .roleARN(ROLE)
                .clusterJDBCURL("jdbc:redshift://orders.abc123.us-east-1.redshift.amazonaws.com:5439/dev")
                .copyCommand(c -> c.dataTableName("orders"))
                .username("firehose").password("s3cret-password")
                .s3Configuration(backup())));
        RedshiftDestinationDescription redshift = stream.destinations().get(0).redshiftDestinationDescription();

        assertThat(redshift.clusterJDBCURL()).startsWith("jdbc:redshift://orders.");
        assertThat(redshift.copyCommand().dataTableName()).isEqualTo("orders");
        assertThat(redshift.username()).isEqualTo("firehose");
        assertThat(redshift.retryOptions().durationInSeconds()).isEqualTo(3600);
        assertThat(redshift.s3BackupModeAsString()).isEqualTo("Disabled");
        assertThat(redshift.cloudWatchLoggingOptions().enabled()).isFalse();
        assertS3Defaults(redshift.s3DestinationDescription());
        assertThat(stream.destinations().get(0).extendedS3DestinationDescription()).isNull();
        assertThat(stream.destinations().get(0).s3DestinationDescription()).isNull();
        assertThat(rawDescribe(name)).doesNotContain("s3cret-password").doesNotContain("Password");
        assertThat(rest("/api/delivery-streams/" + name)).doesNotContain("s3cret-password").contains("HIDDEN_DUE_TO_SECURITY_REASONS");
        assertThat(rest("/api/delivery-streams/" + name + "/events")).doesNotContain("s3cret-password")
                .contains("DeliveryStreamCreated");
        assertThat(rest("/api/audit/events?deliveryStream=" + name)).doesNotContain("s3cret-password");
    }

    private String rest(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void aRedshiftStagingBucketCannotBeSnappyOrZip() {
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName(uniqueName("redshift"))
                .redshiftDestinationConfiguration(r -> r.roleARN(ROLE)
                        .clusterJDBCURL("jdbc:redshift://orders.abc123.us-east-1.redshift.amazonaws.com:5439/dev")
                        .copyCommand(c -> c.dataTableName("orders"))
                        .s3Configuration(backup().toBuilder().compressionFormat("ZIP").build()))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("CompressionFormat ZIP is not supported for a Redshift destination");
    }

    @Test
    void anElasticsearchDestinationIsDescribedWithItsDefaults() {
        ElasticsearchDestinationDescription elasticsearch = createAndDescribe(b -> b.elasticsearchDestinationConfiguration(e -> e
                .roleARN(ROLE).domainARN("arn:aws:es:us-east-1:123456789012:domain/orders").indexName("orders")
                .s3Configuration(backup()))).elasticsearchDestinationDescription();

        assertThat(elasticsearch.indexName()).isEqualTo("orders");
        assertThat(elasticsearch.indexRotationPeriodAsString()).isEqualTo("OneDay");
        assertThat(elasticsearch.bufferingHints().intervalInSeconds()).isEqualTo(300);
        assertThat(elasticsearch.bufferingHints().sizeInMBs()).isEqualTo(5);
        assertThat(elasticsearch.retryOptions().durationInSeconds()).isEqualTo(300);
        assertThat(elasticsearch.s3BackupModeAsString()).isEqualTo("FailedDocumentsOnly");
        assertS3Defaults(elasticsearch.s3DestinationDescription());
    }

    @Test
    void anOpenSearchDomainIsNamedByArnOrByEndpointNotBoth() {
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName(uniqueName("os"))
                .amazonopensearchserviceDestinationConfiguration(o -> o.roleARN(ROLE).indexName("orders")
                        .s3Configuration(backup()))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Either DomainARN or ClusterEndpoint must be specified.");
    }

    @Test
    void anOpenSearchServiceDestinationIsDescribedWithItsDefaults() {
        AmazonopensearchserviceDestinationDescription openSearch = createAndDescribe(b -> b
                .amazonopensearchserviceDestinationConfiguration(o -> o.roleARN(ROLE)
                        .clusterEndpoint("https://search-orders.us-east-1.es.amazonaws.com").indexName("orders")
                        .s3Configuration(backup())))
                .amazonopensearchserviceDestinationDescription();

        assertThat(openSearch.clusterEndpoint()).isEqualTo("https://search-orders.us-east-1.es.amazonaws.com");
        assertThat(openSearch.indexRotationPeriodAsString()).isEqualTo("OneDay");
        assertThat(openSearch.retryOptions().durationInSeconds()).isEqualTo(300);
        assertThat(openSearch.s3BackupModeAsString()).isEqualTo("FailedDocumentsOnly");
        assertS3Defaults(openSearch.s3DestinationDescription());
    }

    @Test
    void anOpenSearchServerlessDestinationIsDescribedWithItsDefaults() {
        AmazonOpenSearchServerlessDestinationDescription serverless = createAndDescribe(b -> b
                .amazonOpenSearchServerlessDestinationConfiguration(o -> o.roleARN(ROLE)
                        .collectionEndpoint("https://abc123.us-east-1.aoss.amazonaws.com").indexName("orders")
                        .s3Configuration(backup())))
                .amazonOpenSearchServerlessDestinationDescription();

        assertThat(serverless.bufferingHints().sizeInMBs()).isEqualTo(5);
        assertThat(serverless.retryOptions().durationInSeconds()).isEqualTo(300);
        assertThat(serverless.s3BackupModeAsString()).isEqualTo("FailedDocumentsOnly");
        assertS3Defaults(serverless.s3DestinationDescription());
    }

    @Test
    void aSplunkDestinationIsDescribedWithItsDefaults() {
        SplunkDestinationDescription splunk = createAndDescribe(b -> b.splunkDestinationConfiguration(s -> s
                .hecEndpoint("https://splunk.example.com:8088").hecEndpointType("Raw").hecToken("token")
                .s3Configuration(backup()))).splunkDestinationDescription();

        assertThat(splunk.hecEndpoint()).isEqualTo("https://splunk.example.com:8088");
        assertThat(splunk.bufferingHints().intervalInSeconds()).isEqualTo(60);
        assertThat(splunk.bufferingHints().sizeInMBs()).isEqualTo(5);
        assertThat(splunk.hecAcknowledgmentTimeoutInSeconds()).isEqualTo(180);
        assertThat(splunk.retryOptions().durationInSeconds()).isEqualTo(3600);
        assertThat(splunk.s3BackupModeAsString()).isEqualTo("FailedEventsOnly");
        assertS3Defaults(splunk.s3DestinationDescription());
    }

    @Test
    void anHttpEndpointDestinationIsDescribedWithItsDefaultsAndWithoutItsAccessKey() throws Exception {
        String name = uniqueName("http");
        HttpEndpointDestinationDescription http = createActive(name, b -> b.httpEndpointDestinationConfiguration(h -> h
                .endpointConfiguration(e -> e.url("https://collector.example.com/firehose").name("collector")
                        .accessKey("very-secret-access-key"))
                .s3Configuration(backup()))).destinations().get(0).httpEndpointDestinationDescription();

        assertThat(http.endpointConfiguration().url()).isEqualTo("https://collector.example.com/firehose");
        assertThat(http.endpointConfiguration().name()).isEqualTo("collector");
        assertThat(http.bufferingHints().sizeInMBs()).isEqualTo(5);
        assertThat(http.bufferingHints().intervalInSeconds()).isEqualTo(300);
        assertThat(http.retryOptions().durationInSeconds()).isEqualTo(300);
        assertThat(http.s3BackupModeAsString()).isEqualTo("FailedDataOnly");
        assertThat(http.requestConfiguration().contentEncodingAsString()).isEqualTo("NONE");
        assertS3Defaults(http.s3DestinationDescription());
        assertThat(rawDescribe(name)).doesNotContain("very-secret-access-key").doesNotContain("AccessKey");
    }

    @Test
    void anHttpEndpointMustBeHttps() {
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName(uniqueName("http"))
                .httpEndpointDestinationConfiguration(h -> h.endpointConfiguration(e -> e.url("http://collector.example.com"))
                        .s3Configuration(backup()))))
                .hasMessageContaining("Member must satisfy regular expression pattern: https://.*");
    }

    @Test
    void aSnowflakeDestinationIsDescribedWithItsDefaultsAndWithoutItsKey() throws Exception {
        String name = uniqueName("snowflake");
        SnowflakeDestinationDescription snowflake = createActive(name, b -> b.snowflakeDestinationConfiguration(s -> s
                .accountUrl("https://orders-account.snowflakecomputing.com").database("ORDERS").schema("PUBLIC")
                .table("EVENTS").user("FIREHOSE").privateKey("QUJD".repeat(80))
                .keyPassphrase("key-passphrase-secret").roleARN(ROLE).s3Configuration(backup())))
                .destinations().get(0).snowflakeDestinationDescription();

        assertThat(snowflake.accountUrl()).isEqualTo("https://orders-account.snowflakecomputing.com");
        assertThat(snowflake.user()).isEqualTo("FIREHOSE");
        assertThat(snowflake.bufferingHints().sizeInMBs()).isEqualTo(128);
        assertThat(snowflake.bufferingHints().intervalInSeconds()).isEqualTo(0);
        assertThat(snowflake.retryOptions().durationInSeconds()).isEqualTo(60);
        assertThat(snowflake.dataLoadingOptionAsString()).isEqualTo("JSON_MAPPING");
        assertThat(snowflake.s3BackupModeAsString()).isEqualTo("FailedDataOnly");
        assertS3Defaults(snowflake.s3DestinationDescription());
        assertThat(rawDescribe(name)).doesNotContain("QUJDQUJD").doesNotContain("key-passphrase-secret")
                .doesNotContain("PrivateKey").doesNotContain("KeyPassphrase");
    }

    @Test
    void anIcebergDestinationIsDescribedWithItsDefaults() {
        IcebergDestinationDescription iceberg = createAndDescribe(b -> b.icebergDestinationConfiguration(i -> i
                .roleARN(ROLE).catalogConfiguration(c -> c.catalogARN("arn:aws:glue:us-east-1:123456789012:catalog"))
                .s3Configuration(backup()))).icebergDestinationDescription();

        assertThat(iceberg.catalogConfiguration().catalogARN()).isEqualTo("arn:aws:glue:us-east-1:123456789012:catalog");
        assertThat(iceberg.bufferingHints().sizeInMBs()).isEqualTo(5);
        assertThat(iceberg.retryOptions().durationInSeconds()).isEqualTo(300);
        assertThat(iceberg.s3BackupModeAsString()).isEqualTo("FailedDataOnly");
        assertThat(iceberg.appendOnly()).isFalse();
        assertS3Defaults(iceberg.s3DestinationDescription());
    }

    @Test
    void anMskSourceIsDescribedWithWhenItStartedReading() {
        Instant before = Instant.now().minusSeconds(1);
        DeliveryStreamDescription stream = createActive(uniqueName("msk"), b -> b
                .deliveryStreamType(DeliveryStreamType.MSK_AS_SOURCE)
                .mskSourceConfiguration(m -> m.mskClusterARN("arn:aws:kafka:us-east-1:123456789012:cluster/orders/1")
                        .topicName("orders").authenticationConfiguration(a -> a.roleARN(ROLE).connectivity("PRIVATE")))
                .extendedS3DestinationConfiguration(s3("msk-bucket")));

        assertThat(stream.deliveryStreamTypeAsString()).isEqualTo("MSKAsSource");
        var msk = stream.source().mskSourceDescription();
        assertThat(msk.mskClusterARN()).isEqualTo("arn:aws:kafka:us-east-1:123456789012:cluster/orders/1");
        assertThat(msk.topicName()).isEqualTo("orders");
        assertThat(msk.authenticationConfiguration().connectivityAsString()).isEqualTo("PRIVATE");
        assertThat(msk.deliveryStartTimestamp()).isAfter(before);
        assertThat(msk.readFromTimestamp()).isEqualTo(msk.deliveryStartTimestamp());
        assertThat(stream.source().kinesisStreamSourceDescription()).isNull();
    }

    @Test
    void anMskSourceKeepsTheTimestampItWasToldToReadFrom() {
        Instant from = Instant.parse("2026-01-02T03:04:05.678Z");
        DeliveryStreamDescription stream = createActive(uniqueName("msk"), b -> b
                .deliveryStreamType(DeliveryStreamType.MSK_AS_SOURCE)
                .mskSourceConfiguration(m -> m.mskClusterARN("arn:aws:kafka:us-east-1:123456789012:cluster/orders/1")
                        .topicName("orders").authenticationConfiguration(a -> a.roleARN(ROLE).connectivity("PUBLIC"))
                        .readFromTimestamp(from))
                .extendedS3DestinationConfiguration(s3("msk-bucket")));

        assertThat(stream.source().mskSourceDescription().readFromTimestamp()).isEqualTo(from);
        assertThat(stream.source().mskSourceDescription().deliveryStartTimestamp()).isAfter(from);
    }

    @Test
    void anMskStreamTakesNoRecordsAndNoEncryption() {
        String name = uniqueName("msk");
        createActive(name, b -> b.deliveryStreamType(DeliveryStreamType.MSK_AS_SOURCE)
                .mskSourceConfiguration(m -> m.mskClusterARN("arn:aws:kafka:us-east-1:123456789012:cluster/orders/1")
                        .topicName("orders").authenticationConfiguration(a -> a.roleARN(ROLE).connectivity("PUBLIC")))
                .extendedS3DestinationConfiguration(s3("msk-bucket")));

        assertThatThrownBy(() -> firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("This operation is not permitted on MSKAsSource delivery stream type.");
        assertThatThrownBy(() -> firehose.putRecord(r -> r.deliveryStreamName(name).record(d -> d.data(SdkBytes.fromUtf8String("x")))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("This operation is not permitted on MSKAsSource delivery stream type.");
    }

    @Test
    void anMskStreamNeedsItsSourceConfiguration() {
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName(uniqueName("msk"))
                .deliveryStreamType(DeliveryStreamType.MSK_AS_SOURCE).extendedS3DestinationConfiguration(s3("b"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("MSKSourceConfiguration is required when DeliveryStreamType is MSKAsSource.");
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName(uniqueName("msk"))
                .mskSourceConfiguration(m -> m.mskClusterARN("arn:aws:kafka:us-east-1:123456789012:cluster/orders/1")
                        .topicName("orders").authenticationConfiguration(a -> a.roleARN(ROLE).connectivity("PUBLIC")))
                .extendedS3DestinationConfiguration(s3("b"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("MSKSourceConfiguration is only allowed when DeliveryStreamType is MSKAsSource.");
    }

    @Test
    void aDatabaseSourceIsDescribedAsGiven() {
        DeliveryStreamDescription stream = createActive(uniqueName("db"), b -> b
                .deliveryStreamType(DeliveryStreamType.DATABASE_AS_SOURCE)
                .databaseSourceConfiguration(d -> d.type("PostgreSQL").endpoint("orders.cluster.us-east-1.rds.amazonaws.com")
                        .port(5432).databases(l -> l.include("orders")).tables(l -> l.include("public.orders"))
                        .snapshotWatermarkTable("public.watermark")
                        .databaseSourceAuthenticationConfiguration(a -> a.secretsManagerConfiguration(s -> s.enabled(true)
                                .secretARN("arn:aws:secretsmanager:us-east-1:123456789012:secret:db")))
                        .databaseSourceVPCConfiguration(v -> v.vpcEndpointServiceName(
                                "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0")))
                .icebergDestinationConfiguration(i -> i.roleARN(ROLE)
                        .catalogConfiguration(c -> c.catalogARN("arn:aws:glue:us-east-1:123456789012:catalog"))
                        .s3Configuration(backup())));

        var database = stream.source().databaseSourceDescription();
        assertThat(database.typeAsString()).isEqualTo("PostgreSQL");
        assertThat(database.port()).isEqualTo(5432);
        assertThat(database.databases().include()).containsExactly("orders");
        assertThat(database.tables().include()).containsExactly("public.orders");
        assertThat(database.databaseSourceAuthenticationConfiguration().secretsManagerConfiguration().enabled()).isTrue();
        assertThat(stream.destinations().get(0).icebergDestinationDescription()).isNotNull();
    }

    @Test
    void aDatabaseSourceDeliversOnlyToIceberg() {
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName(uniqueName("db"))
                .deliveryStreamType(DeliveryStreamType.DATABASE_AS_SOURCE)
                .databaseSourceConfiguration(d -> d.type("MySQL").endpoint("orders.example.com").port(3306)
                        .databases(l -> l.include("orders")).tables(l -> l.include("orders.t"))
                        .snapshotWatermarkTable("orders.watermark")
                        .databaseSourceAuthenticationConfiguration(a -> a.secretsManagerConfiguration(s -> s.enabled(false)))
                        .databaseSourceVPCConfiguration(v -> v.vpcEndpointServiceName(
                                "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0")))
                .extendedS3DestinationConfiguration(s3("b"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("only support IcebergDestinationConfiguration");
    }

    @Test
    void encryptionStartsOnADirectPutStreamOfAnyDestinationType() {
        String name = uniqueName("splunk-sse");
        // Splunk is called for real now: a loopback port nobody listens on refuses at once, and with no retry
        // duration the record goes straight to the backup rather than being retried for an hour.
        createActive(name, b -> b.splunkDestinationConfiguration(s -> s
                .hecEndpoint("https://127.0.0.1:9").hecEndpointType("Event").retryOptions(o -> o.durationInSeconds(0))
                .s3Configuration(backup())));

        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name));

        EncryptionFixtures.awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        assertThat(firehose.putRecord(r -> r.deliveryStreamName(name).record(d -> d.data(SdkBytes.fromUtf8String("e1\n"))))
                .encrypted()).isTrue();
        assertThat(describe(firehose, name).deliveryStreamEncryptionConfiguration().statusAsString()).isEqualTo("ENABLED");
    }
}
