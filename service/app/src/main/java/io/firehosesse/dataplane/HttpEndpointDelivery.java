package io.firehosesse.dataplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.DestinationKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.springframework.stereotype.Component;

/**
 * Firehose's HTTP endpoint delivery, protocol version 1.0 as AWS specifies it ("HTTP endpoint delivery request and
 * response specifications"): one POST per batch to the configured URL, a JSON body of the request id, a timestamp in
 * milliseconds and the records in base64; the access key and common attributes in headers; the body gzipped when the
 * request configuration says GZIP. Only a 200 whose JSON body carries the request's own id is a delivery; anything
 * else, a timeout included, is a failure (AWS: "responses that do not adhere to the proper format" are failures).
 */
@Component
class HttpEndpointDelivery implements DestinationEndpoint {

    static final String PROTOCOL_VERSION = "1.0";

    /** How much of a refusing endpoint's answer is kept in the reason logged (AWS logs a truncated body too). */

    private final EndpointHttp http;
    private final ObjectMapper json;

    HttpEndpointDelivery(EndpointHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    private record Body(String requestId, long timestamp, List<Data> records) {
    }

    private record Data(String data) {
    }

    private record CommonAttributes(Map<String, String> commonAttributes) {
    }

    @Override
    public Set<DestinationKind> kinds() {
        return Set.of(DestinationKind.HTTP_ENDPOINT);
    }

    @Override
    public void send(Batch batch) throws Refused {
        Map<String, Object> settings = batch.destination().settings();
        Map<String, Object> endpoint = member(settings, "EndpointConfiguration");
        Map<String, Object> request = member(settings, "RequestConfiguration");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Amz-Firehose-Protocol-Version", PROTOCOL_VERSION);
        headers.put("X-Amz-Firehose-Request-Id", batch.requestId());
        headers.put("X-Amz-Firehose-Source-Arn", batch.stream().arn());
        if (endpoint.get("AccessKey") instanceof String key) {
            headers.put("X-Amz-Firehose-Access-Key", key);
        }
        if (request.get("CommonAttributes") instanceof List<?> attributes && !attributes.isEmpty()) {
            Map<String, String> common = new LinkedHashMap<>();
            for (Object attribute : attributes) {
                if (attribute instanceof Map<?, ?> given) {
                    common.put(String.valueOf(given.get("AttributeName")), String.valueOf(given.get("AttributeValue")));
                }
            }
            headers.put("X-Amz-Firehose-Common-Attributes", write(new CommonAttributes(common)));
        }
        byte[] body = write(new Body(batch.requestId(), batch.sentAt().toEpochMilli(), batch.records().stream()
                .map(record -> new Data(Base64.getEncoder().encodeToString(record))).toList())).getBytes(
                java.nio.charset.StandardCharsets.UTF_8);
        if ("GZIP".equals(request.get("ContentEncoding"))) {
            headers.put("Content-Encoding", "gzip");
            body = gzip(body);
        }
        URI url;
        try {
            url = URI.create(location(batch.destination()));
        } catch (IllegalArgumentException e) {
            throw new Refused("The endpoint URL is not one: " + e.getMessage(), e);
        }
        String answeredId = http.postForJson("The endpoint", url, headers, body).path("requestId").asText(null);
        if (!batch.requestId().equals(answeredId)) {
            throw new Refused("The endpoint answered 200 for request id " + answeredId + ", not " + batch.requestId());
        }
    }

    @Override
    public String location(Destination destination) {
        return String.valueOf(member(destination.settings(), "EndpointConfiguration").get("Url"));
    }

    @Override
    public String failedFolder() {
        return "http-endpoint-failed/";
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zipped.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> member(Map<String, Object> settings, String name) {
        return settings.get(name) instanceof Map<?, ?> given ? (Map<String, Object>) given : Map.of();
    }
}
