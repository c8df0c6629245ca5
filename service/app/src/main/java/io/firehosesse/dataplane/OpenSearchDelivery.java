package io.firehosesse.dataplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.DestinationKind;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.WeekFields;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Amazon OpenSearch Service (under both its names) and OpenSearch Serverless: one {@code _bulk} request per batch to
 * the {@code ClusterEndpoint} (Serverless: {@code CollectionEndpoint}), NDJSON of an {@code index} action and the
 * record as the document, each record to {@code IndexName} with the suffix of its {@code IndexRotationPeriod} taken
 * from its arrival time (UTC), as AWS documents ("Index rotation for the OpenSearch Service destination"). Only a 200
 * whose body says {@code "errors": false} is a delivery: a bulk answer with any failed item fails the whole batch
 * (AWS backs up only the failed documents; per-document outcomes are not followed here). A destination given only a
 * {@code DomainARN} cannot be reached (there are no domains to look the endpoint up in), so its batches go to the S3
 * backup at once. Requests are not signed (no SigV4 to the cluster): a cluster that requires signing refuses them.
 */
@Component
class OpenSearchDelivery implements DestinationEndpoint {

    /** AWS's weeks: starting on Sunday; its example puts 2016-02-25 in 2016-w08, days before the first Sunday in w00. */
    private static final WeekFields WEEKS = WeekFields.of(DayOfWeek.SUNDAY, 7);

    private final EndpointHttp http;
    private final ObjectMapper json;

    OpenSearchDelivery(EndpointHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    @Override
    public Set<DestinationKind> kinds() {
        return Set.of(DestinationKind.ELASTICSEARCH, DestinationKind.AMAZON_OPENSEARCH_SERVICE,
                DestinationKind.AMAZON_OPENSEARCH_SERVERLESS);
    }

    @Override
    public void send(Batch batch) throws Refused {
        Destination destination = batch.destination();
        String endpoint = endpoint(destination);
        if (endpoint == null) {
            throw Refused.unreachable("Only a DomainARN is given; domains are not looked up here, so there is no"
                    + " cluster endpoint to index into");
        }
        Map<String, Object> settings = destination.settings();
        String index = String.valueOf(settings.get("IndexName"));
        String rotation = settings.get("IndexRotationPeriod") instanceof String given ? given
                // Serverless has no rotation; the others rotate daily unless told otherwise (the model's default).
                : destination.kind() == DestinationKind.AMAZON_OPENSEARCH_SERVERLESS ? "NoRotation" : "OneDay";
        String type = settings.get("TypeName") instanceof String given && !given.isEmpty() ? given : null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < batch.records().size(); i++) {
            ObjectNode action = json.createObjectNode();
            ObjectNode target = action.putObject("index");
            target.put("_index", indexName(index, rotation, batch.arrivedAt().get(i)));
            if (type != null) {
                target.put("_type", type); // Elasticsearch 6.x's document type, when the configuration names one
            }
            body.writeBytes(write(action));
            body.write('\n');
            body.writeBytes(document(batch.records().get(i)));
            body.write('\n');
        }
        URI url;
        try {
            url = URI.create(location(destination) + "/_bulk");
        } catch (IllegalArgumentException e) {
            throw new Refused("The cluster endpoint is not a URL: " + e.getMessage(), e);
        }
        JsonNode answer = http.postForJson("The cluster", url, Map.of("Content-Type", "application/x-ndjson"),
                body.toByteArray());
        JsonNode errors = answer.path("errors");
        if (!errors.isBoolean() || errors.asBoolean()) {
            throw new Refused("The cluster did not index every document (errors: " + errors + "): "
                    + EndpointHttp.shown(answer.toString()));
        }
    }

    /** The index a record goes to: the name with the rotation's suffix of its UTC arrival time. */
    static String indexName(String index, String rotation, Instant arrival) {
        ZonedDateTime at = arrival.atZone(ZoneOffset.UTC);
        return switch (rotation) {
            case "OneHour" -> index + "-" + DateTimeFormatter.ofPattern("yyyy-MM-dd-HH").format(at);
            case "OneDay" -> index + "-" + DateTimeFormatter.ofPattern("yyyy-MM-dd").format(at);
            case "OneWeek" -> index + "-" + at.getYear() + "-w" + String.format("%02d", at.get(WEEKS.weekOfYear()));
            case "OneMonth" -> index + "-" + DateTimeFormatter.ofPattern("yyyy-MM").format(at);
            default -> index;
        };
    }

    /** The record as one NDJSON line: a record's own trailing line break would end the bulk body's line early. */
    private static byte[] document(byte[] record) {
        int end = record.length;
        while (end > 0 && (record[end - 1] == '\n' || record[end - 1] == '\r')) {
            end--;
        }
        return java.util.Arrays.copyOf(record, end);
    }

    private static String endpoint(Destination destination) {
        Object given = destination.settings().get(
                destination.kind() == DestinationKind.AMAZON_OPENSEARCH_SERVERLESS ? "CollectionEndpoint"
                        : "ClusterEndpoint");
        return given instanceof String url && !url.isBlank() ? url : null;
    }

    @Override
    public String location(Destination destination) {
        String endpoint = endpoint(destination);
        if (endpoint == null) {
            return String.valueOf(destination.settings().get("DomainARN"));
        }
        return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    }

    /** The folder the model names for every OpenSearch kind ("AmazonOpenSearchService-failed/ appended to the prefix"). */
    @Override
    public String failedFolder() {
        return "AmazonOpenSearchService-failed/";
    }

    private byte[] write(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a bulk action", e);
        }
    }
}
