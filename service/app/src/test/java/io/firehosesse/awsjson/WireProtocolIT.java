package io.firehosesse.awsjson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.FirehoseIntegrationTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the SDKs never send but raw callers do: the endpoint must answer every malformed request with
 * the AWS error a client expects, never a 500, and always with a request id.
 */
@FirehoseIntegrationTest
class WireProtocolIT {

    static final String JSON_11 = "application/x-amz-json-1.1";

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        String type() {
            return body.path("__type").asText();
        }

        String message() {
            return body.path("message").asText();
        }
    }

    Answer post(String target, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .header("Content-Type", JSON_11)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), json.readTree(response.body()), response);
    }

    @Test
    void anUnknownOrMissingTargetIsUnknownOperation() throws Exception {
        Answer unknown = post("Firehose_20150804.LaunchRocket", "{}");
        Answer missing = post(null, "{}");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.type()).isEqualTo("UnknownOperationException");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.type()).isEqualTo("UnknownOperationException");
    }

    @Test
    void aBodyThatIsNotJsonIsASerializationError() throws Exception {
        Answer garbage = post("Firehose_20150804.DescribeDeliveryStream", "{\"DeliveryStreamName\": ");
        Answer array = post("Firehose_20150804.DescribeDeliveryStream", "[1,2]");

        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.type()).isEqualTo("SerializationException");
        assertThat(array.type()).isEqualTo("SerializationException");
    }

    @Test
    void aMemberOfTheWrongTypeIsASerializationError() throws Exception {
        Answer number = post("Firehose_20150804.DescribeDeliveryStream", "{\"DeliveryStreamName\": 42}");
        Answer text = post("Firehose_20150804.ListDeliveryStreams", "{\"Limit\": \"ten\"}");

        assertThat(number.status()).isEqualTo(400);
        assertThat(number.type()).isEqualTo("SerializationException");
        assertThat(text.type()).isEqualTo("SerializationException");
    }

    @Test
    void constraintViolationsAreAllListedInOneValidationError() throws Exception {
        Answer answer = post("Firehose_20150804.CreateDeliveryStream", """
                {"DeliveryStreamName": "no spaces allowed", "DeliveryStreamType": "Carrier pigeon",
                 "ExtendedS3DestinationConfiguration": {"BucketARN": "arn:aws:s3:::b"}}
                """);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.type()).isEqualTo("ValidationException");
        assertThat(answer.message())
                .startsWith("3 validation errors detected: ")
                .contains("Value 'no spaces allowed' at 'deliveryStreamName' failed to satisfy constraint:"
                        + " Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
                .contains("Value 'Carrier pigeon' at 'deliveryStreamType' failed to satisfy constraint:"
                        + " Member must satisfy enum value set: [DirectPut, KinesisStreamAsSource, MSKAsSource, DatabaseAsSource]")
                .contains("Value null at 'extendedS3DestinationConfiguration.roleARN' failed to satisfy constraint:"
                        + " Member must not be null");
    }

    @Test
    void lengthsAndRangesComeFromTheModel() throws Exception {
        Answer longName = post("Firehose_20150804.DescribeDeliveryStream",
                "{\"DeliveryStreamName\": \"" + "x".repeat(65) + "\"}");
        Answer zeroLimit = post("Firehose_20150804.ListDeliveryStreams", "{\"Limit\": 0}");
        Answer missingName = post("Firehose_20150804.DescribeDeliveryStream", "{}");

        assertThat(longName.message()).isEqualTo("1 validation error detected: Value '" + "x".repeat(65)
                + "' at 'deliveryStreamName' failed to satisfy constraint: Member must have length less than or equal to 64");
        assertThat(zeroLimit.message()).contains("Member must have value greater than or equal to 1");
        assertThat(missingName.message()).isEqualTo("1 validation error detected: Value null at 'deliveryStreamName'"
                + " failed to satisfy constraint: Member must not be null");
    }

    @Test
    void anEmptyBodyIsNoInputAndSuccessSpeaksAmzJson() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .header("Content-Type", JSON_11)
                .header("X-Amz-Target", "Firehose_20150804.ListDeliveryStreams")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(JSON_11);
        assertThat(json.readTree(response.body()).has("DeliveryStreamNames")).isTrue();
        assertThat(json.readTree(response.body()).path("HasMoreDeliveryStreams").isBoolean()).isTrue();
    }

    @Test
    void theBodyIsReadAsSentWhateverTheContentTypeClaims() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Amz-Target", "Firehose_20150804.ListDeliveryStreams")
                .POST(HttpRequest.BodyPublishers.ofString("{\"Limit\": 1}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body()).has("DeliveryStreamNames")).isTrue();
    }

    @Test
    void everyAnswerCarriesARequestIdAndErrorsCarryTheirTypeTwice() throws Exception {
        Answer ok = post("Firehose_20150804.ListDeliveryStreams", "{}");
        Answer error = post("Firehose_20150804.DescribeDeliveryStream", "{\"DeliveryStreamName\": \"absent\"}");

        assertThat(ok.raw().headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(error.raw().headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.type()).isEqualTo("ResourceNotFoundException");
        assertThat(error.raw().headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
    }
}
