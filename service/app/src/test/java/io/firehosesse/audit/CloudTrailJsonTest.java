package io.firehosesse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The canonical CloudTrail text of a record: exact bytes, since the chain hashes them. */
class CloudTrailJsonTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String STREAM_ARN = "arn:aws:firehose:us-east-1:123456789012:deliverystream/orders";
    static final String KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    static final UserIdentity ALICE = new UserIdentity(UserIdentity.IAM_USER, "AIDAEXAMPLE",
            "arn:aws:iam::123456789012:user/alice", "123456789012", "AKIAIOSFODNN7EXAMPLE", "alice", null, null, true);

    static AuditRecord record(UserIdentity who, JsonNode request, JsonNode response, String errorCode, String errorMessage,
                              boolean readOnly, boolean management, List<String> resources) {
        return new AuditRecord(UUID.fromString("3b1f6a52-8c1e-4f0a-9d1e-2a7c5b9e0f11"),
                Instant.parse("2026-11-27T10:15:30.123456Z"), AuditRecord.FIREHOSE, "CreateDeliveryStream", "us-east-1",
                "127.0.0.1", "aws-cli/2.15.0", who, request, response, errorCode, errorMessage, "req-1", readOnly,
                management, "123456789012", resources);
    }

    @Test
    void aSuccessfulCallIsWrittenInCloudTrailOrderWithoutWhitespace() throws Exception {
        AuditRecord record = record(ALICE, JSON.readTree("{\"deliveryStreamName\":\"orders\"}"),
                JSON.readTree("{\"deliveryStreamARN\":\"" + STREAM_ARN + "\"}"), null, null, false, true,
                List.of(STREAM_ARN, KEY_ARN));

        assertThat(CloudTrailJson.write(record)).isEqualTo("{\"eventVersion\":\"1.11\","
                + "\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLE\","
                + "\"arn\":\"arn:aws:iam::123456789012:user/alice\",\"accountId\":\"123456789012\","
                + "\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"userName\":\"alice\"},"
                + "\"eventTime\":\"2026-11-27T10:15:30Z\",\"eventSource\":\"firehose.amazonaws.com\","
                + "\"eventName\":\"CreateDeliveryStream\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"127.0.0.1\","
                + "\"userAgent\":\"aws-cli/2.15.0\",\"requestParameters\":{\"deliveryStreamName\":\"orders\"},"
                + "\"responseElements\":{\"deliveryStreamARN\":\"" + STREAM_ARN + "\"},"
                + "\"requestID\":\"req-1\",\"eventID\":\"3b1f6a52-8c1e-4f0a-9d1e-2a7c5b9e0f11\",\"readOnly\":false,"
                + "\"resources\":[{\"ARN\":\"" + STREAM_ARN + "\",\"accountId\":\"123456789012\","
                + "\"type\":\"AWS::KinesisFirehose::DeliveryStream\"},"
                + "{\"ARN\":\"" + KEY_ARN + "\",\"accountId\":\"123456789012\",\"type\":\"AWS::KMS::Key\"}],"
                + "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"123456789012\","
                + "\"eventCategory\":\"Management\"}");
    }

    @Test
    void aRefusedCallCarriesItsErrorAndNullParameters() throws Exception {
        JsonNode written = JSON.readTree(CloudTrailJson.write(
                record(ALICE, null, null, "ResourceNotFoundException", "Firehose orders not found.", true, true, List.of())));

        assertThat(fieldNames(written)).containsExactly("eventVersion", "userIdentity", "eventTime", "eventSource",
                "eventName", "awsRegion", "sourceIPAddress", "userAgent", "requestParameters", "responseElements",
                "errorCode", "errorMessage", "requestID", "eventID", "readOnly", "eventType", "managementEvent",
                "recipientAccountId", "eventCategory");
        assertThat(written.get("requestParameters").isNull()).isTrue();
        assertThat(written.get("responseElements").isNull()).isTrue();
        assertThat(written.get("errorCode").asText()).isEqualTo("ResourceNotFoundException");
        assertThat(written.get("errorMessage").asText()).isEqualTo("Firehose orders not found.");
    }

    @Test
    void anAssumedRoleShowsItsSessionIssuerAndAnUnverifiedCallerIsMarked() throws Exception {
        UserIdentity builder = new UserIdentity(UserIdentity.ASSUMED_ROLE, "AROAEXAMPLEROLEID:builder",
                "arn:aws:sts::123456789012:assumed-role/Builder/builder", "123456789012", "ASIAEXAMPLE", "not-shown",
                Instant.parse("2026-11-27T09:00:00.500Z"), "arn:aws:iam::123456789012:role/ops/Builder", false);

        String written = CloudTrailJson.write(record(builder, null, null, null, null, true, false, List.of()));

        assertThat(written).contains("\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLEROLEID:builder\","
                + "\"arn\":\"arn:aws:sts::123456789012:assumed-role/Builder/builder\",\"accountId\":\"123456789012\","
                + "\"accessKeyId\":\"ASIAEXAMPLE\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\","
                + "\"principalId\":\"AROAEXAMPLEROLEID\",\"arn\":\"arn:aws:iam::123456789012:role/ops/Builder\","
                + "\"accountId\":\"123456789012\",\"userName\":\"Builder\"},"
                + "\"attributes\":{\"creationDate\":\"2026-11-27T09:00:00Z\",\"mfaAuthenticated\":\"false\"}},"
                + "\"verified\":false}");
        assertThat(written).contains("\"readOnly\":true").contains("\"managementEvent\":false")
                .contains("\"eventCategory\":\"Data\"").doesNotContain("\"resources\"").doesNotContain("errorCode");
    }

    @Test
    void longTermCredentialsHaveNoSessionContextAndOnlyAnIamUserHasAUserName() throws Exception {
        UserIdentity root = new UserIdentity(UserIdentity.ROOT, "123456789012", "arn:aws:iam::123456789012:root",
                "123456789012", "AKIAROOTEXAMPLE", "root", null, null, true);

        JsonNode identity = JSON.readTree(CloudTrailJson.write(record(root, null, null, null, null, true, true, List.of())))
                .get("userIdentity");

        assertThat(fieldNames(identity)).containsExactly("type", "principalId", "arn", "accountId", "accessKeyId");
    }

    @Test
    void theSameRecordIsAlwaysTheSameText() throws Exception {
        AuditRecord record = record(ALICE, JSON.readTree("{\"b\":1,\"a\":[true,null]}"), null, null, null, false, true,
                List.of(STREAM_ARN));

        assertThat(CloudTrailJson.write(record)).isEqualTo(CloudTrailJson.write(record))
                .contains("\"requestParameters\":{\"b\":1,\"a\":[true,null]}");
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
