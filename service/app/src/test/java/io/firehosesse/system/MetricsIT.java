package io.firehosesse.system;

import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.EncryptionFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;

/** What an operator scrapes and probes: the call meters on /actuator/prometheus, Axon's meters, health groups, info. */
class MetricsIT extends AwsClientsIT {

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void prometheusCountsEachCallByOperationAndErrorCode() throws Exception {
        String name = uniqueName("metrics");
        createActive(firehose, name);
        double describedBefore = count("firehose", "DescribeDeliveryStream", "none");
        double missingBefore = count("firehose", "DescribeDeliveryStream", "ResourceNotFoundException");
        double startedBefore = count("firehose", "StartDeliveryStreamEncryption", "none");

        for (int i = 0; i < 3; i++) {
            firehose.describeDeliveryStream(r -> r.deliveryStreamName(name));
        }
        assertThat(catchThrowable(() -> firehose.describeDeliveryStream(r -> r.deliveryStreamName(name + "-missing"))))
                .isInstanceOf(ResourceNotFoundException.class);
        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        EncryptionFixtures.awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        kms.listKeys();

        String scrape = get("/actuator/prometheus");
        // awaitEncryption described the stream too, so at least the three above.
        assertThat(count(scrape, "firehose", "DescribeDeliveryStream", "none")).isGreaterThanOrEqualTo(describedBefore + 3);
        assertThat(count(scrape, "firehose", "DescribeDeliveryStream", "ResourceNotFoundException")).isEqualTo(missingBefore + 1);
        assertThat(count(scrape, "firehose", "StartDeliveryStreamEncryption", "none")).isEqualTo(startedBefore + 1);
        assertThat(count(scrape, "kms", "ListKeys", "none")).isGreaterThanOrEqualTo(1);
        // The latency histogram, and Axon's own meters for commands and event processors.
        assertThat(scrape).contains("firehose_calls_seconds_bucket{");
        scrape.lines().filter(line -> line.matches("(commandBus|eventProcessor|eventStore)\\w*\\{.*"))
                .forEach(line -> System.out.println("MetricsIT Axon meter: " + line));
        assertThat(scrape).containsPattern("(?m)^commandBus\\w*\\{[^}]*payloadType=\"[^\"]*StartDeliveryStreamEncryption\"");
        assertThat(scrape).containsPattern("(?m)^eventProcessor\\w*\\{[^}]*\"encryption-process\"");
        // The in-progress limits, buffered records and data-key cache.
        assertThat(scrape).contains("firehose_limit_in_progress{", "firehose_records_buffered{",
                "firehose_records_buffered_bytes{", "firehose_data_keys_total{");
    }

    @Test
    void anUnknownTargetIsCountedWithoutMakingANewSeries() throws Exception {
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .header("X-Amz-Target", "Firehose_20150804.NoSuch" + System.nanoTime())
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        String scrape = get("/actuator/prometheus");
        assertThat(count(scrape, "firehose", "unknown", "UnknownOperationException")).isGreaterThanOrEqualTo(1);
        assertThat(scrape).doesNotContain("NoSuch");
    }

    @Test
    void healthGroupsAndBuildInfoAnswer() throws Exception {
        assertThat(get("/actuator/health/liveness")).contains("\"status\":\"UP\"");
        String readiness = get("/actuator/health/readiness");
        assertThat(readiness).contains("\"status\":\"UP\"", "\"eventProcessors\"", "\"db\"", "encryption-process");
        String dependencies = get("/actuator/health/dependencies");
        assertThat(dependencies).contains("\"kms\"", "\"deliveryTargets\"", "embedded");
        assertThat(get("/actuator/info")).contains("\"build\"", "\"artifact\":\"firehose-sse-app\"");
    }

    private double count(String service, String operation, String error) throws Exception {
        return count(get("/actuator/prometheus"), service, operation, error);
    }

    private static double count(String scrape, String service, String operation, String error) {
        Matcher line = Pattern.compile("(?m)^firehose_calls_seconds_count\\{([^}]*)\\} (\\S+)$").matcher(scrape);
        while (line.find()) {
            String tags = line.group(1);
            if (tags.contains("service=\"" + service + "\"") && tags.contains("operation=\"" + operation + "\"")
                    && tags.contains("error=\"" + error + "\"")) {
                return Double.parseDouble(line.group(2));
            }
        }
        return 0;
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }
}
