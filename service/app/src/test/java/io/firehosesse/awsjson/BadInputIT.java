package io.firehosesse.awsjson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.FirehoseIntegrationTest;
import io.firehosesse.support.Streams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Inputs {@link WireFuzzIT} found answered with a 500, each pinned by the smallest request that showed it.
 */
@FirehoseIntegrationTest
class BadInputIT {

    static final String JSON_11 = "application/x-amz-json-1.1";
    static final String ROLE = "arn:aws:iam::123456789012:role/firehose-delivery";

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final ObjectMapper json = new ObjectMapper();

    HttpResponse<String> post(String target, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode post(String target, String body) throws Exception {
        HttpResponse<String> response = post(target, JSON_11, body);
        return json.createObjectNode().put("status", response.statusCode()).set("body", json.readTree(response.body()));
    }

    @Test
    void aMultipartContentTypeIsOnlyAWrongLabelOnAJsonBody() throws Exception {
        HttpResponse<String> response = post("Firehose_20150804.ListDeliveryStreams", "multipart/form-data; boundary=x",
                "{\"Limit\": 1}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body()).has("DeliveryStreamNames")).isTrue();
    }

    @Test
    void anStsFormWithABrokenPercentEscapeIsMalformedQueryString() throws Exception {
        HttpResponse<String> response = post(null, "application/x-www-form-urlencoded", "Action=GetCallerIdentity&x=%zz");

        // AWS's common errors give MalformedQueryString the status 404.
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("<Code>MalformedQueryString</Code>");
    }

    @Test
    void nullMembersOfADestinationAreAbsentMembers() throws Exception {
        String name = Streams.uniqueName("nulls");
        JsonNode created = post("Firehose_20150804.CreateDeliveryStream", """
                {"DeliveryStreamName": "%s", "ExtendedS3DestinationConfiguration": {"RoleARN": "%s",
                 "BucketARN": "arn:aws:s3:::b", "Prefix": null, "BufferingHints": {"SizeInMBs": null, "IntervalInSeconds": 60}}}
                """.formatted(name, ROLE));
        JsonNode described = post("Firehose_20150804.DescribeDeliveryStream", "{\"DeliveryStreamName\": \"" + name + "\"}");

        assertThat(created.path("status").asInt()).isEqualTo(200);
        JsonNode destination = described.at("/body/DeliveryStreamDescription/Destinations/0/ExtendedS3DestinationDescription");
        assertThat(destination.has("Prefix")).isFalse();
        assertThat(destination.at("/BufferingHints/SizeInMBs").asInt()).isEqualTo(5);
        assertThat(destination.at("/BufferingHints/IntervalInSeconds").asInt()).isEqualTo(60);
    }

    @Test
    void aNumberBeyondSixtyFourBitsIsOutOfRangeNotWrappedIntoIt() throws Exception {
        String name = Streams.uniqueName("wrap");
        // 2^64 + 5: read as a long it wraps round to 5, which is within 1..128.
        JsonNode answer = post("Firehose_20150804.CreateDeliveryStream", """
                {"DeliveryStreamName": "%s", "ExtendedS3DestinationConfiguration": {"RoleARN": "%s",
                 "BucketARN": "arn:aws:s3:::b", "BufferingHints": {"SizeInMBs": 18446744073709551621}}}
                """.formatted(name, ROLE));

        assertThat(answer.path("status").asInt()).isEqualTo(400);
        assertThat(answer.at("/body/__type").asText()).isEqualTo("ValidationException");
        assertThat(answer.at("/body/message").asText()).contains("Value '18446744073709551621' at"
                + " 'extendedS3DestinationConfiguration.bufferingHints.sizeInMBs' failed to satisfy constraint:"
                + " Member must have value less than or equal to 128");
        assertThat(notFound(name)).isTrue();
    }

    @Test
    void aNulCharacterTheDatabaseCannotHoldIsAValidationErrorAndStoresNothing() throws Exception {
        String name = Streams.uniqueName("nul");
        JsonNode stream = post("Firehose_20150804.CreateDeliveryStream", """
                {"DeliveryStreamName": "%s", "ExtendedS3DestinationConfiguration": {"RoleARN": "%s",
                 "BucketARN": "arn:aws:s3:::b", "Prefix": "a\\u0000b"}}
                """.formatted(name, ROLE));
        JsonNode key = post("TrentService.CreateKey", "{\"Description\": \"a\\u0000b\"}");
        JsonNode lookup = post("TrentService.DescribeKey", "{\"KeyId\": \"alias/a\\u0000b\"}");

        assertThat(stream.path("status").asInt()).isEqualTo(400);
        assertThat(stream.at("/body/__type").asText()).isEqualTo("ValidationException");
        assertThat(notFound(name)).isTrue();
        assertThat(key.path("status").asInt()).isEqualTo(400);
        assertThat(key.at("/body/__type").asText()).isEqualTo("ValidationException");
        assertThat(lookup.path("status").asInt()).isEqualTo(400);
    }

    private boolean notFound(String name) throws Exception {
        JsonNode described = post("Firehose_20150804.DescribeDeliveryStream", "{\"DeliveryStreamName\": \"" + name + "\"}");
        return described.path("status").asInt() == 400
                && described.at("/body/__type").asText().equals("ResourceNotFoundException");
    }
}
