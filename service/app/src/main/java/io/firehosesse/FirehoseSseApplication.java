package io.firehosesse;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class FirehoseSseApplication {

    public static void main(String[] args) {
        // Axon's usage reporter also reads this switch outside Spring; nothing here may call the internet.
        System.setProperty("axoniq.update-checker.disabled", System.getProperty("axoniq.update-checker.disabled", "true"));
        System.setProperty("disable-axoniq-console-message", "true");
        SpringApplication.run(FirehoseSseApplication.class, args);
    }
}
