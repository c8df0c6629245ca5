package io.firehosesse.awsjson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.Streams;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * The limits on what one request may make the service read and parse: a body larger than
 * {@code firehose.wire.max-body-bytes} is refused before it is read, and a body within it that nests too
 * deep or carries too long a string or number fails in the parser. Neither limit stops the largest
 * request AWS allows.
 */
class RequestLimitsIT extends AwsClientsIT {

    static final String JSON_11 = "application/x-amz-json-1.1";
    static final String LIST = "Firehose_20150804.ListDeliveryStreams";

    @Autowired
    WireProperties wire;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final ObjectMapper json = new ObjectMapper();

    int limit() {
        return (int) wire.maxBodyBytes().toBytes();
    }

    HttpResponse<String> post(String target, String contentType, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .header("Content-Type", contentType).POST(body);
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String target, byte[] body) throws Exception {
        return post(target, JSON_11, HttpRequest.BodyPublishers.ofByteArray(body));
    }

    HttpResponse<String> post(String target, String body) throws Exception {
        return post(target, body.getBytes(StandardCharsets.UTF_8));
    }

    JsonNode error(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).isEqualTo(400);
        return json.readTree(response.body());
    }

    /** {"Limit":1} padded with whitespace after its brace to exactly {@code size} bytes: the same request. */
    static byte[] padded(int size) {
        byte[] content = "\"Limit\":1}".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        System.arraycopy(content, 0, body, size - content.length, content.length);
        return body;
    }

    @Test
    void aBodyOfExactlyTheLimitIsRead() throws Exception {
        HttpResponse<String> response = post(LIST, padded(limit()));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyOneByteOverTheLimitIsASerializationErrorWithTypeAndRequestId() throws Exception {
        HttpResponse<String> response = post(LIST, padded(limit() + 1));

        assertThat(error(response).path("__type").asText()).isEqualTo("SerializationException");
        assertThat(error(response).path("message").asText()).contains("exceeds the limit of " + limit() + " bytes");
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("SerializationException");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(response.headers().firstValue("Content-Type")).hasValue(JSON_11);
    }

    @Test
    void aChunkedBodyIsCutOffOneByteOverTheLimit() throws Exception {
        byte[] body = padded(limit() + 1);
        HttpResponse<String> response = post(LIST, JSON_11,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertThat(error(response).path("__type").asText()).isEqualTo("SerializationException");
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedWithoutWaitingForTheBody() throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            // Tomcat waits 60 s (its connection timeout) for a body that does not come, so an answer within 30 s did not
            // wait for it; the half minute leaves a busy machine all the time it needs for an answer that does not wait.
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            // A gibibyte announced, two bytes sent: only an answer that does not wait for the rest arrives in time.
            out.write(("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + JSON_11 + "\r\nX-Amz-Target: " + LIST
                    + "\r\nContent-Length: 1073741824\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readAnswer(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 400").contains("\"__type\":\"SerializationException\"")
                    .contains("The request body of 1073741824 bytes exceeds the limit");
        }
    }

    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder answer = new StringBuilder();
        byte[] buffer = new byte[4096];
        int read;
        while (!answer.toString().contains("}") && (read = in.read(buffer)) > 0) {
            answer.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
        }
        return answer.toString();
    }

    @Test
    void anStsFormOverTheLimitIsRefusedInStsDialect() throws Exception {
        byte[] body = new byte[limit() + 1];
        Arrays.fill(body, (byte) 'a');
        HttpResponse<String> response = post(null, "application/x-www-form-urlencoded",
                HttpRequest.BodyPublishers.ofByteArray(body));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
        assertThat(response.body()).contains("<Code>ValidationError</Code>").contains("exceeds the limit");
    }

    @Test
    void nestingBeyondThirtyTwoLevelsFailsInTheParser() throws Exception {
        String shallow = "{\"Limit\":1,\"Extra\":" + "[".repeat(30) + "]".repeat(30) + "}";
        String deep = "{\"Limit\":1,\"Extra\":" + "[".repeat(32) + "]".repeat(32) + "}";
        String hostile = "[".repeat(1_000_000);

        assertThat(post(LIST, shallow).statusCode()).isEqualTo(200);
        assertThat(error(post(LIST, deep)).path("__type").asText()).isEqualTo("SerializationException");
        assertThat(error(post(LIST, deep)).path("message").asText()).contains("nesting depth");
        assertThat(error(post(LIST, hostile)).path("__type").asText()).isEqualTo("SerializationException");
    }

    @Test
    void aStringOverTwoMebibytesOrANumberOverAHundredCharactersFailsInTheParser() throws Exception {
        String longString = "{\"Limit\":1,\"Extra\":\"" + "a".repeat(2 * 1024 * 1024 + 1) + "\"}";
        String longNumber = "{\"Limit\":1" + "0".repeat(100) + "}";

        assertThat(error(post(LIST, longString)).path("message").asText()).contains("String value length");
        assertThat(error(post(LIST, longNumber)).path("message").asText()).contains("Number value length");
    }

    @Test
    void aMemberGivenTwiceIsASerializationError() throws Exception {
        JsonNode error = error(post(LIST, "{\"Limit\":1,\"Limit\":2}"));

        assertThat(error.path("__type").asText()).isEqualTo("SerializationException");
        assertThat(error.path("message").asText()).contains("Duplicate field 'Limit'");
    }

    @Test
    void theLargestLegalRequestsPassEveryLimit() {
        String name = Streams.uniqueName("limits");
        Streams.createActive(firehose, name);
        // 500 records of 8,388 bytes: 4,194,000 bytes, just under PutRecordBatch's 4 MiB, ~5.6 MB as JSON.
        List<Record> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(Record.builder().data(SdkBytes.fromByteArray(new byte[8_388])).build());
        }
        PutRecordBatchResponse put = firehose.putRecordBatch(r -> r.deliveryStreamName(name).records(batch));
        // One record of 1,000 KiB: the longest string AWS allows, 1,365,336 base64 characters.
        String recordId = firehose.putRecord(r -> r.deliveryStreamName(name)
                .record(Record.builder().data(SdkBytes.fromByteArray(new byte[1_024_000])).build())).recordId();

        assertThat(put.failedPutCount()).isZero();
        assertThat(put.requestResponses()).hasSize(500);
        assertThat(recordId).isNotBlank();
    }
}
