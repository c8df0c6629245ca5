package io.firehosesse.platform;

import java.time.Clock;
import org.axonframework.eventhandling.GenericEventMessage;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one clock every rule and timestamp reads; tests bring one they can move, and this one steps aside. */
@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

    @Bean
    @ConditionalOnMissingBean(Clock.class)
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Axon stamps events from a static clock; pointing it at ours keeps event timestamps (and so
     * history and time travel) on the same time as every rule that reads the injected clock.
     */
    @Bean
    SmartInitializingSingleton eventTimestampClock(Clock clock) {
        return () -> GenericEventMessage.clock = clock;
    }
}
