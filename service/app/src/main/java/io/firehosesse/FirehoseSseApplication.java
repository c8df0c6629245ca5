package io.firehosesse;

import io.firehosesse.audit.AuditVerifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class FirehoseSseApplication {

    public static void main(String[] args) {
        if (args.length > 0 && AuditVerifier.COMMAND.equals(args[0])) {
            // An offline check of the audit trail against its digests: plain JDBC, no Spring context, no service.
            AuditVerifier.main(args);
            return;
        }
        application().run(args);
    }

    /** The service as {@code main} starts it; firehose-sse-junit starts it the same way inside a test's JVM. */
    public static SpringApplication application() {
        // Axon's usage reporter also reads this switch outside Spring; nothing here may call the internet.
        System.setProperty("axoniq.update-checker.disabled", System.getProperty("axoniq.update-checker.disabled", "true"));
        System.setProperty("disable-axoniq-console-message", "true");
        return new SpringApplication(FirehoseSseApplication.class);
    }
}
