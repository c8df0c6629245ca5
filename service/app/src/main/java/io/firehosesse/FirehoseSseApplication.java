package io.firehosesse;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class FirehoseSseApplication {

    public static void main(String[] args) {
        SpringApplication.run(FirehoseSseApplication.class, args);
    }
}
