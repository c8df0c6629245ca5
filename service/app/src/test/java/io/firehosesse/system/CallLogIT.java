package io.firehosesse.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.Clients;
import io.firehosesse.support.EncryptionFixtures;
import io.firehosesse.support.SecretsInLog;
import io.firehosesse.support.SignedCallersIT;
import io.firehosesse.support.Streams;
import io.firehosesse.support.Waits;
import java.util.ArrayList;
import java.util.List;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.LoggingSystem;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The log as an operator reads it, in the structured JSON format one property turns on: every line a call writes
 * carries the request id answered to it and the caller, the encryption process's lines for that call included (it
 * runs on a thread of its own, after the commit), and no secret ever reaches it.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
        "logging.structured.format.console=logstash",
        "logging.level.io.firehosesse.calls=debug",
        "logging.level.io.firehosesse.encryption.EncryptionProcess=debug"})
class CallLogIT extends SignedCallersIT {

    static final String ALICE_ARN = "arn:aws:iam::111111111111:user/alice";

    final ObjectMapper json = new ObjectMapper();

    /**
     * Spring Boot sets logging up once per JVM while a context lives, so a test context started after the run's shared
     * one would log in that one's text format. Marked as not set up, logging is set up again by this class's context,
     * with its JSON format. It stays so for the rest of the run (contexts already started do not set it up again); the
     * call log's DEBUG level is put back.
     */
    @BeforeAll
    static void setUpLoggingAgainForThisContext() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).removeObject(LoggingSystem.class.getName());
    }

    @AfterAll
    static void callLogOffAgain() {
        LoggingSystem logging = LoggingSystem.get(CallLogIT.class.getClassLoader());
        logging.setLogLevel("io.firehosesse.calls", null);
        logging.setLogLevel("io.firehosesse.encryption.EncryptionProcess", null);
    }

    @Test
    void theLinesOfAStartCarryItsRequestIdAndCaller(CapturedOutput output) {
        try (FirehoseClient firehose = Clients.firehose(port, Region.US_EAST_1, alice())) {
            String name = Streams.uniqueName("logged");
            Streams.createActive(firehose, name);
            String requestId = firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name))
                    .responseMetadata().requestId();
            EncryptionFixtures.awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);

            Waits.background().untilAsserted(() -> {
                List<JsonNode> lines = linesOf(output.getAll(), requestId);
                assertThat(lines).anySatisfy(line -> {
                    assertThat(line.path("logger_name").asText()).isEqualTo("io.firehosesse.calls");
                    assertThat(line.path("message").asText()).startsWith("StartDeliveryStreamEncryption OK in ");
                    assertThat(line.path("principal").asText()).isEqualTo(ALICE_ARN);
                    assertThat(line.path("accessKeyId").asText()).isEqualTo(ALICE);
                });
                // The encryption process, on its own thread, logs with the Start's request id and caller.
                assertThat(lines).anySatisfy(line -> {
                    assertThat(line.path("logger_name").asText()).endsWith("EncryptionProcess");
                    assertThat(line.path("message").asText()).contains("CompleteEncryptionEnabling");
                    assertThat(line.path("principal").asText()).isEqualTo(ALICE_ARN);
                    assertThat(line.path("thread_name").asText()).doesNotStartWith("http-nio");
                });
            });
        }
    }

    @Test
    void recordDataKeyMaterialAndSecretsNeverReachTheJsonLog(CapturedOutput output) {
        try (FirehoseClient firehose = Clients.firehose(port, Region.US_EAST_1, alice());
             KmsClient kms = Clients.kms(port, alice())) {
            new SecretsInLog().exercise(firehose, kms).assertAbsentFrom(output.getAll());
        }
        // The format is JSON indeed: the call log's lines parse.
        assertThat(output.getAll().lines().filter(line -> line.contains("\"io.firehosesse.calls\"")).toList())
                .isNotEmpty().allSatisfy(line -> assertThat(json.readTree(line).path("requestId").asText()).isNotEmpty());
    }

    /** The JSON lines of the output whose requestId is {@code requestId}. */
    private List<JsonNode> linesOf(String output, String requestId) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.lines().toList()) {
            if (line.startsWith("{") && line.contains(requestId)) {
                JsonNode node = json.readTree(line);
                if (requestId.equals(node.path("requestId").asText())) {
                    lines.add(node);
                }
            }
        }
        return lines;
    }
}
