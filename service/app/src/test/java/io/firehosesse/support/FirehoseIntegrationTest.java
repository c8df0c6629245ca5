package io.firehosesse.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole service on a random port against the test PostgreSQL, with a clock tests can move. All
 * classes share one application context, and so one database, per test run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestDatabase.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "firehose.lifecycle.creation-delay=300ms",
        "firehose.lifecycle.deletion-delay=300ms",
        "firehose.snapshot-threshold=5",
        // Several contexts (and child services) live at once in one test run; idle ones give back their connections.
        "spring.datasource.hikari.idle-timeout=10000",
        "firehose.delivery.directory=target/delivered-it",
        "firehose.delivery.poll-interval=200ms",
        "firehose.audit.gap-grace=" + FirehoseIntegrationTest.AUDIT_GAP_GRACE,
        "firehose.kms.master-key=" + FirehoseIntegrationTest.TEST_MASTER_KEY
})
@ContextConfiguration(initializers = TestDatabase.class)
// Metrics exported as in production (Spring's tests otherwise swap the Prometheus registry for a simple one), so
// /actuator/prometheus answers; no tracing, which the service does not use.
@AutoConfigureObservability(tracing = false)
@Import(TestClockConfiguration.class)
public @interface FirehoseIntegrationTest {

    /** A fixed KMS master key, so tests never write the generated one into the home folder. */
    String TEST_MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    /** Short, so a test sees a rolled-back audit record's gap skipped in a second, not ten. */
    String AUDIT_GAP_GRACE = "1s";
}
