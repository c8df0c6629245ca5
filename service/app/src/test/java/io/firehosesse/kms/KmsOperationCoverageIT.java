package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.AwsClientsIT;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Walks every operation of the KMS model over the wire with a minimal request (a key id where one is required)
 * and checks that the endpoint knows each one: an answer may be a success or any of AWS's refusals, a
 * validation error included, but never UnknownOperationException, and never a 5xx. Only the custom key store
 * family may say it is not supported.
 */
class KmsOperationCoverageIT extends AwsClientsIT {

    private static final Set<String> CUSTOM_KEY_STORE_FAMILY = Set.of("CreateCustomKeyStore", "ConnectCustomKeyStore",
            "DisconnectCustomKeyStore", "DeleteCustomKeyStore", "UpdateCustomKeyStore", "DescribeCustomKeyStores");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyOperationOfTheModelIsServed() throws Exception {
        JsonNode model;
        try (InputStream in = getClass().getResourceAsStream("/aws-models/kms-2014-11-01.service-2.json")) {
            model = json.readTree(in);
        }
        String keyId = newKey("coverage").keyId();
        List<String> unknown = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> names = new ArrayList<>();
        model.path("operations").fieldNames().forEachRemaining(names::add);
        assertThat(names).hasSizeGreaterThan(50);
        for (String operation : names) {
            HttpResponse<String> answer = send(operation, "{\"KeyId\":\"" + keyId + "\"}");
            JsonNode body = answer.body().isEmpty() ? json.createObjectNode() : json.readTree(answer.body());
            String type = body.path("__type").asText("");
            String message = body.path("message").asText(body.path("Message").asText(""));
            if (answer.statusCode() >= 500) {
                failed.add(operation + ": " + answer.statusCode() + " " + answer.body());
            }
            boolean saysUnsupported = message.contains("is not supported") || message.contains("are not supported");
            if (type.equals("UnknownOperationException")
                    || (saysUnsupported && type.equals("UnsupportedOperationException")
                        && !CUSTOM_KEY_STORE_FAMILY.contains(operation))) {
                unknown.add(operation + ": " + type + " " + message);
            }
        }
        assertThat(failed).isEmpty();
        assertThat(unknown).isEmpty();
    }

    private HttpResponse<String> send(String operation, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "TrentService." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
