package io.firehosesse.auth;

import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Carries the caller's metadata from a command to every event it causes, and on to the commands of processes. */
@Configuration(proxyBeanMethods = false)
class CallerCorrelation {

    @Bean
    CorrelationDataProvider callerMetaData() {
        return new SimpleCorrelationDataProvider(Caller.METADATA_KEYS);
    }
}
