package io.firehosesse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The request bodies the harness sends, and the few answers it reads back. */
final class Calls {

    static final String AWS_OWNED = "AWS_OWNED_CMK";
    static final String CUSTOMER = "CUSTOMER_MANAGED_CMK";

    private Calls() {
    }

    static byte[] describe(String stream) {
        return Json.bytes(Map.of("DeliveryStreamName", stream));
    }

    static byte[] create(String stream) {
        return Json.bytes(Map.of(
                "DeliveryStreamName", stream,
                "DeliveryStreamType", "DirectPut",
                "ExtendedS3DestinationConfiguration", Map.of(
                        "RoleARN", "arn:aws:iam::123456789012:role/firehose-bench",
                        "BucketARN", "arn:aws:s3:::bench-" + stream)));
    }

    /** StartDeliveryStreamEncryption with the AWS-owned key when keyArn is null, else with that customer key. */
    static byte[] start(String stream, String keyArn) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("KeyType", keyArn == null ? AWS_OWNED : CUSTOMER);
        if (keyArn != null) {
            input.put("KeyARN", keyArn);
        }
        return Json.bytes(Map.of("DeliveryStreamName", stream, "DeliveryStreamEncryptionConfigurationInput", input));
    }

    static byte[] stop(String stream) {
        return Json.bytes(Map.of("DeliveryStreamName", stream));
    }

    static byte[] putRecord(String stream) {
        return Json.bytes(Map.of("DeliveryStreamName", stream,
                "Record", Map.of("Data", Base64.getEncoder().encodeToString("lag probe\n".getBytes()))));
    }

    /** A batch of random (incompressible) records, as a whole request body: built once, sent many times. */
    static byte[] putRecordBatch(String stream, int records, int recordBytes, long seed) {
        Random random = new Random(seed);
        List<Map<String, String>> batch = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            byte[] data = new byte[recordBytes];
            random.nextBytes(data);
            batch.add(Map.of("Data", Base64.getEncoder().encodeToString(data)));
        }
        return Json.bytes(Map.of("DeliveryStreamName", stream, "Records", batch));
    }

    static String createKey(WireClient client) {
        WireClient.Answer answer = client.kms("CreateKey", Json.bytes(Map.of("Description", "firehose-bench")));
        require(answer, "CreateKey");
        return Json.tree(answer.body()).path("KeyMetadata").path("Arn").asText();
    }

    /** The DeliveryStreamDescription, or a missing node when the call failed. */
    static JsonNode description(WireClient client, String stream) {
        WireClient.Answer answer = client.firehose("DescribeDeliveryStream", describe(stream));
        return answer.ok() ? Json.tree(answer.body()).path("DeliveryStreamDescription") : Json.MAPPER.missingNode();
    }

    static String status(JsonNode description) {
        return description.path("DeliveryStreamStatus").asText("");
    }

    static String encryptionStatus(JsonNode description) {
        return description.path("DeliveryStreamEncryptionConfiguration").path("Status").asText("");
    }

    static WireClient.Answer require(WireClient.Answer answer, String what) {
        if (!answer.ok()) {
            throw new IllegalStateException(what + " failed: HTTP " + answer.status() + " " + answer.errorType() + " "
                    + new String(answer.body()));
        }
        return answer;
    }
}
