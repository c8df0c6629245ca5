package io.firehosesse.admin;

import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * With {@code firehose.admin.reset-enabled=false} a reset is refused with a problem that says how to allow it. A
 * context of its own, so on a database of its own: its processors must not take the shared context's events.
 */
@TestPropertySource(properties = {TestDatabase.OWN_DATABASE + "=true", "firehose.admin.reset-enabled=false"})
@DirtiesContext
class ResetRefusedIT extends AwsClientsIT {

    @Test
    void aResetIsRefusedWhileDisabledAndNothingIsLost() throws Exception {
        String name = uniqueName("kept");
        createActive(firehose, name);

        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/admin/reset"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(403);
        JsonNode problem = new ObjectMapper().readTree(answer.body());
        assertThat(problem.path("code").asText()).isEqualTo("AccessDeniedException");
        assertThat(problem.path("detail").asText()).contains("firehose.admin.reset-enabled=true");
        assertThat(firehose.listDeliveryStreams(r -> r.limit(10000)).deliveryStreamNames()).contains(name);
    }
}
