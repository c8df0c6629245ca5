package io.firehosesse.system;

import java.time.Clock;
import org.axonframework.eventhandling.GenericEventMessage;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one clock every rule and timestamp reads; tests replace it with a {@code @Primary} one they can move. */
@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

    @Bean
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
