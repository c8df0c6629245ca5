package io.firehosesse.dataplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.DestinationKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Splunk's HTTP Event Collector (HEC): one POST per batch to {@code <HECEndpoint>/services/collector/event} (type
 * {@code Event}) or {@code /services/collector/raw} ({@code Raw}), with {@code Authorization: Splunk <HECToken>}.
 * An Event batch is HEC's batch form, event objects one after another: a record that already is an HEC event (a JSON
 * object with an {@code event} member, as Splunk's Firehose processing functions make them) is sent as it is, any
 * other is wrapped as {@code {"event": ...}}, as JSON when it parses as JSON, else as its text. A Raw batch is the
 * records joined. Only a 200 whose JSON body has {@code "code": 0} (HEC's {@code {"text":"Success","code":0}}) is a
 * delivery. Indexer acknowledgement is not waited for (HECAcknowledgmentTimeoutInSeconds is not used): the 200 is
 * taken as the acknowledgement.
 */
@Component
class SplunkDelivery implements DestinationEndpoint {


    private final EndpointHttp http;
    private final ObjectMapper json;

    SplunkDelivery(EndpointHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    @Override
    public Set<DestinationKind> kinds() {
        return Set.of(DestinationKind.SPLUNK);
    }

    @Override
    public void send(Batch batch) throws Refused {
        Map<String, Object> settings = batch.destination().settings();
        boolean raw = "Raw".equals(settings.get("HECEndpointType"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", raw ? "text/plain; charset=utf-8" : "application/json");
        if (settings.get("HECToken") instanceof String token) {
            headers.put("Authorization", "Splunk " + token);
        }
        // HEC wants a channel on the raw endpoint (and with acknowledgement on); one per stream, the same every time.
        headers.put("X-Splunk-Request-Channel",
                UUID.nameUUIDFromBytes(batch.stream().arn().getBytes(StandardCharsets.UTF_8)).toString());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] record : batch.records()) {
            body.writeBytes(raw ? record : event(record));
        }
        URI url;
        try {
            url = URI.create(location(batch.destination()));
        } catch (IllegalArgumentException e) {
            throw new Refused("The HEC endpoint is not a URL: " + e.getMessage(), e);
        }
        JsonNode answer = http.postForJson("HEC", url, headers, body.toByteArray());
        JsonNode code = answer.path("code");
        if (!code.isIntegralNumber() || code.asInt() != 0) {
            throw new Refused("HEC answered 200 but not success (code 0): " + EndpointHttp.shown(answer.toString()));
        }
    }

    /** One HEC event: the record itself if it already is one, else the record wrapped as its {@code event}. */
    private byte[] event(byte[] record) {
        JsonNode parsed = null;
        try {
            parsed = json.readTree(record);
        } catch (IOException e) {
            // Not JSON: sent as text.
        }
        if (parsed instanceof ObjectNode object && object.has("event")) {
            return write(object);
        }
        ObjectNode wrapped = json.createObjectNode();
        if (parsed != null && !parsed.isMissingNode()) {
            wrapped.set("event", parsed);
        } else {
            wrapped.put("event", new String(record, StandardCharsets.UTF_8));
        }
        return write(wrapped);
    }

    private byte[] write(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write an HEC event", e);
        }
    }

    @Override
    public String location(Destination destination) {
        String endpoint = String.valueOf(destination.settings().get("HECEndpoint"));
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return base + ("Raw".equals(destination.settings().get("HECEndpointType"))
                ? "/services/collector/raw" : "/services/collector/event");
    }

    @Override
    public String failedFolder() {
        return "splunk-failed/";
    }
}
