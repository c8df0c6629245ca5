package io.firehosesse.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.audit.AuditProperties;
import io.firehosesse.auth.AuthProperties;
import io.firehosesse.platform.PlatformProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** A setting out of range stops start-up with a message naming it, instead of failing later in a call. */
class PropertiesValidationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({FirehoseProperties.class, AuditProperties.class, AuthProperties.class,
            PlatformProperties.class})
    static class Settings {
    }

    final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Settings.class);

    @Test
    void theDefaultsAreValid() {
        context.run(started -> {
            assertThat(started).hasNotFailed();
            assertThat(started.getBean(FirehoseProperties.class).controlPlane().maxConcurrentCommands()).isEqualTo(8);
            assertThat(started.getBean(FirehoseProperties.class).dataPlane().maxConcurrentPuts()).isEqualTo(32);
            assertThat(started.getBean(AuditProperties.class).enabled()).isTrue();
            assertThat(started.getBean(PlatformProperties.class).snapshotThreshold()).isEqualTo(100);
            assertThat(started.getBean(PlatformProperties.class).dataDir()).isEqualTo("firehose-data");
        });
    }

    @Test
    void refusesAnAccountIdThatIsNotTwelveDigits() {
        context.withPropertyValues("firehose.account-id=12345").run(started ->
                assertThat(started).getFailure().rootCause().hasMessageContaining("accountId").hasMessageContaining("12 digits"));
    }

    @Test
    void refusesALimitOfNoCalls() {
        context.withPropertyValues("firehose.control-plane.max-concurrent-commands=0").run(started ->
                assertThat(started).getFailure().rootCause().hasMessageContaining("controlPlane.maxConcurrentCommands"));
    }

    @Test
    void refusesANegativeSealBatchSize() {
        context.withPropertyValues("firehose.audit.seal-batch-size=-1").run(started ->
                assertThat(started).getFailure().rootCause().hasMessageContaining("sealBatchSize"));
    }

    @Test
    void refusesADigestIntervalUnderASecondAndLeavesDigestsOffUnlessADirectoryIsGiven() {
        context.withPropertyValues("firehose.audit.digest.interval=0s").run(started ->
                assertThat(started).getFailure().rootCause().hasMessageContaining("digest.interval"));
        context.run(started -> assertThat(started.getBean(AuditProperties.class).digest().enabled()).isFalse());
        context.withPropertyValues("firehose.audit.digest.directory=/var/lib/digests").run(started ->
                assertThat(started.getBean(AuditProperties.class).digest().enabled()).isTrue());
    }

    @Test
    void refusesANegativeClockSkew() {
        context.withPropertyValues("firehose.auth.max-skew=-5m").run(started ->
                assertThat(started).getFailure().rootCause().hasMessageContaining("maxSkew"));
    }

    @Test
    void refusesASnapshotThresholdOfNoEvents() {
        // Platform's own record, bound under the same prefix as the application's.
        context.withPropertyValues("firehose.snapshot-threshold=0").run(started ->
                assertThat(started).getFailure().rootCause().hasMessageContaining("snapshotThreshold"));
    }
}
