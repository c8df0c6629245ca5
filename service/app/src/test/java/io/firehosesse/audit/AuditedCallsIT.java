package io.firehosesse.audit;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.Clients;
import io.firehosesse.support.SignedCallersIT;
import io.firehosesse.support.Waits;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.PutRecordResponse;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetSessionTokenResponse;

/** Every call through the wire leaves a CloudTrail record: accepted, refused by validation or by authentication. */
class AuditedCallsIT extends SignedCallersIT {

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @Autowired
    AuditSealer sealer;

    /** Read as the operator, whose admin key sees the whole trail: refusals of unknown keys belong to no caller's account. */
    JsonNode get(String pathAndQuery) throws Exception {
        HttpResponse<String> response = api().get(pathAndQuery, operatorKey());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    /** The one record of a request, found by its request id. */
    JsonNode recordOf(String requestId) {
        return Waits.background().until(() -> get("/api/audit/events?requestId=" + requestId).path("Records"),
                records -> records.size() == 1).get(0);
    }

    @Test
    void anAcceptedStartIsRecordedWithItsCallerAndParametersAndLinkedFromItsEvents() throws Exception {
        String name = uniqueName("audited");
        try (FirehoseClient firehose = Clients.firehose(port, Region.US_EAST_1, alice())) {
            createActive(firehose, name);
            String requestId = firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name))
                    .responseMetadata().requestId();
            awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);

            JsonNode record = recordOf(requestId);
            assertThat(record.path("eventVersion").asText()).isEqualTo("1.11");
            assertThat(record.path("eventSource").asText()).isEqualTo("firehose.amazonaws.com");
            assertThat(record.path("eventName").asText()).isEqualTo("StartDeliveryStreamEncryption");
            assertThat(record.path("awsRegion").asText()).isEqualTo("us-east-1");
            assertThat(record.path("eventTime").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
            assertThat(record.path("userIdentity").path("type").asText()).isEqualTo("IAMUser");
            assertThat(record.path("userIdentity").path("arn").asText()).isEqualTo("arn:aws:iam::111111111111:user/alice");
            assertThat(record.path("userIdentity").path("accountId").asText()).isEqualTo("111111111111");
            assertThat(record.path("userIdentity").path("accessKeyId").asText()).isEqualTo(ALICE);
            assertThat(record.path("userIdentity").path("userName").asText()).isEqualTo("alice");
            assertThat(record.path("requestParameters").path("deliveryStreamName").asText()).isEqualTo(name);
            assertThat(record.path("readOnly").asBoolean()).isFalse();
            assertThat(record.path("managementEvent").asBoolean()).isTrue();
            assertThat(record.path("eventType").asText()).isEqualTo("AwsApiCall");
            assertThat(record.path("recipientAccountId").asText()).isEqualTo("111111111111");
            assertThat(record.path("userAgent").asText()).startsWith("aws-sdk-java/");
            assertThat(record.has("errorCode")).isFalse();
            assertThat(record.path("resources").get(0).path("ARN").asText()).endsWith(":deliverystream/" + name);

            // The events of the call are in the store under the same request id, and point at this record.
            JsonNode events = get("/api/delivery-streams/arn%3Aaws%3Afirehose%3Aus-east-1%3A111111111111%3Adeliverystream%2F"
                    + name + "/events").path("events");
            assertThat(events.findValuesAsText("auditRecord")).contains("/api/audit/events?requestId=" + requestId);
        }
    }

    @Test
    void aValidationFailureAndAnAuthenticationFailureAreRecordedWithTheirErrors() {
        try (FirehoseClient firehose = Clients.firehose(port, Region.US_EAST_1, alice());
             FirehoseClient stranger = Clients.firehose(port, Region.US_EAST_1, Clients.credentials("AKIASTRANGER00000000", "x"))) {
            String name = uniqueName("refused");
            createActive(firehose, name);
            InvalidArgumentException refused = catchThrowableOfType(InvalidArgumentException.class, () ->
                    firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name)
                            .deliveryStreamEncryptionConfigurationInput(c -> c.keyType("AWS_OWNED_CMK").keyARN(
                                    "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000"))));
            JsonNode validation = recordOf(refused.requestId());
            assertThat(validation.path("errorCode").asText()).isEqualTo("InvalidArgumentException");
            assertThat(validation.path("errorMessage").asText()).isEqualTo(refused.awsErrorDetails().errorMessage());
            assertThat(validation.path("responseElements").isNull()).isTrue();

            FirehoseException unknown = catchThrowableOfType(FirehoseException.class, () ->
                    stranger.describeDeliveryStream(r -> r.deliveryStreamName(name)));
            JsonNode authentication = recordOf(unknown.requestId());
            assertThat(authentication.path("errorCode").asText()).isEqualTo("UnrecognizedClientException");
            assertThat(authentication.path("eventName").asText()).isEqualTo("DescribeDeliveryStream");
            assertThat(authentication.path("userIdentity").path("accessKeyId").asText()).isEqualTo("AKIASTRANGER00000000");
            assertThat(authentication.path("userIdentity").path("arn").isTextual()).isFalse();
            assertThat(authentication.path("readOnly").asBoolean()).isTrue();
        }
    }

    @Test
    void recordDataAndSecretsNeverReachTheTrailButReadingContentsIsRecorded() throws Exception {
        String name = uniqueName("secret-data");
        try (FirehoseClient firehose = Clients.firehose(port, Region.US_EAST_1, alice()); StsClient sts = Clients.sts(port, alice())) {
            createActive(firehose, name);
            String secret = "card 4111-1111-1111-1111";
            PutRecordResponse put = firehose.putRecord(r -> r.deliveryStreamName(name).record(x -> x.data(SdkBytes.fromUtf8String(secret))));
            JsonNode putRecord = recordOf(put.responseMetadata().requestId());
            assertThat(putRecord.toString()).doesNotContain("4111")
                    .doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
            assertThat(putRecord.path("managementEvent").asBoolean()).isFalse();
            assertThat(putRecord.path("eventCategory").asText()).isEqualTo("Data");

            GetSessionTokenResponse session = sts.getSessionToken();
            JsonNode issued = recordOf(session.responseMetadata().requestId());
            assertThat(issued.path("eventSource").asText()).isEqualTo("sts.amazonaws.com");
            assertThat(issued.toString()).doesNotContain(session.credentials().sessionToken())
                    .doesNotContain(session.credentials().secretAccessKey());
            assertThat(issued.path("responseElements").path("credentials").path("accessKeyId").asText())
                    .isEqualTo(session.credentials().accessKeyId());

            HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/api/delivery-streams/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/records?decrypt=true")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unsigned.statusCode()).isEqualTo(403);
            // Refused before any route was chosen (auth.ApiAuthentication), so recorded by method and path.
            JsonNode refusedReads = Waits.background().until(() -> get(
                    "/api/audit/events?eventName=GetApiResource&errorCode=MissingAuthenticationTokenException").path("Records"),
                    records -> records.findValuesAsText("path").stream().anyMatch(path -> path.contains(name)));
            assertThat(refusedReads.findValuesAsText("eventSource")).contains("firehose-sse.api");
        }
    }

    @Test
    void theChainOfRecordsVerifies() throws Exception {
        try (StsClient sts = Clients.sts(port, alice())) {
            sts.getCallerIdentity();
        }
        // The sealer runs before each look, as its scheduler runs it every seal interval; a record behind a gap waits
        // out the gap grace (a second here) before it is sealed.
        JsonNode verified = Waits.background().until(() -> {
            sealer.sealCommitted();
            return get("/api/audit/verify");
        }, result -> result.path("unsealed").asLong() == 0);
        assertThat(verified.path("intact").asBoolean()).isTrue();
        assertThat(verified.path("verified").asLong()).isPositive();
    }

    @Test
    void aVerifiedCallerReadsBufferedRecordsInPlainAndTheReadIsRecorded() throws Exception {
        String name = uniqueName("decrypted");
        try (FirehoseClient firehose = Clients.firehose(port, Region.US_EAST_1, alice())) {
            createActive(firehose, name);
            firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
            awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
            String recordId = firehose.putRecord(r -> r.deliveryStreamName(name).record(x -> x.data(SdkBytes.fromUtf8String("opened"))))
                    .recordId();

            HttpResponse<String> read = http.send(signedGet("/api/delivery-streams/" + name + "/records", "decrypt=true"),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            JsonNode record = json.readTree(read.body()).path("records").get(0);
            assertThat(record.path("recordId").asText()).isEqualTo(recordId);
            assertThat(record.path("encrypted").asBoolean()).isTrue();
            assertThat(new String(Base64.getDecoder().decode(record.path("data").asText()), StandardCharsets.UTF_8)).isEqualTo("opened");
            JsonNode audited = recordOf(read.headers().firstValue("x-amzn-RequestId").orElseThrow());
            assertThat(audited.path("eventName").asText()).isEqualTo("GetRecordContents");
            assertThat(audited.path("userIdentity").path("arn").asText()).isEqualTo("arn:aws:iam::111111111111:user/alice");
            assertThat(audited.has("errorCode")).isFalse();
            assertThat(audited.toString()).doesNotContain("opened");
        }
    }

    /** A GET signed by Alice with the SDK's signer, every signed header sent. */
    HttpRequest signedGet(String path, String query) {
        software.amazon.awssdk.http.SdkHttpRequest request = software.amazon.awssdk.http.SdkHttpRequest.builder()
                .method(software.amazon.awssdk.http.SdkHttpMethod.GET).protocol("http").host("localhost").port(port)
                .encodedPath(path).rawQueryParameters(java.util.Map.of(query.split("=")[0], java.util.List.of(query.split("=")[1])))
                .build();
        software.amazon.awssdk.http.SdkHttpRequest signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create()
                .sign(r -> r.identity(software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(ALICE, ALICE_SECRET))
                        .request(request)
                        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "firehose"))
                .request();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path + "?" + query));
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                builder.header(name, values.get(0));
            }
        });
        return builder.build();
    }
}
