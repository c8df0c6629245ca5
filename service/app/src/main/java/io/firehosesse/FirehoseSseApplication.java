package io.firehosesse;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class FirehoseSseApplication {

    public static void main(String[] args) {
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
