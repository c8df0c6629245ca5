package io.firehosesse.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

@TestConfiguration(proxyBeanMethods = false)
public class TestClockConfiguration {

    /** The only clock in a test context: the service's own steps aside when one exists. */
    @Bean
    MutableClock testClock() {
        return new MutableClock();
    }
}
