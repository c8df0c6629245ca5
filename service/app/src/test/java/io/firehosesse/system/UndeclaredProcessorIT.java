package io.firehosesse.system;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.FirehoseSseApplication;
import io.firehosesse.api.deliverystream.DeliveryStreamCreated;
import io.firehosesse.support.FirehoseIntegrationTest;
import io.firehosesse.support.TestDatabase;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A processing group without a ProcessorDeclaration stops start-up, naming the group: whether it is subscribing
 * (and so whether a limit is exact) is never left to Axon's default.
 */
@ExtendWith(TestDatabase.class)
class UndeclaredProcessorIT {

    @ProcessingGroup("undeclared-projection")
    static class UndeclaredProjection {

        @EventHandler
        void on(DeliveryStreamCreated created) {
            // never reached: the service does not start with this handler
        }
    }

    @Test
    void aProcessingGroupWithoutADeclarationStopsStartUp() {
        String url = TestDatabase.freshDatabaseUrl();
        assertThatThrownBy(() -> new SpringApplicationBuilder(FirehoseSseApplication.class, UndeclaredProjection.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + TestDatabase.username(),
                "--spring.datasource.password=" + TestDatabase.password(),
                "--firehose.kms.master-key=" + FirehoseIntegrationTest.TEST_MASTER_KEY,
                "--spring.main.banner-mode=off").close())
                .hasStackTraceContaining("undeclared-projection")
                .hasStackTraceContaining("ProcessorDeclaration");
    }
}
