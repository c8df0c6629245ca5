package io.firehosesse.platform;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers every {@link ProcessorDeclaration} with Axon, and checks that no processing group goes undeclared. */
@Configuration(proxyBeanMethods = false)
class EventProcessing {

    @Bean
    ConfigurerModule declaredEventProcessors(List<ProcessorDeclaration> declarations) {
        Map<String, ProcessorDeclaration> byGroup = declarations.stream()
                .collect(Collectors.toMap(ProcessorDeclaration::group, Function.identity(), (a, b) -> {
                    throw new IllegalStateException("Processing group " + a.group() + " is declared twice");
                }));
        return configurer -> byGroup.values().forEach(processor -> {
            var processing = configurer.eventProcessing();
            if (processor.subscribing()) {
                processing.registerSubscribingEventProcessor(processor.group());
            } else {
                processing.registerTrackingEventProcessor(processor.group(), c -> c.eventStore(),
                        c -> TrackingEventProcessorConfiguration.forParallelProcessing(processor.segments())
                                .andInitialSegmentsCount(processor.segments())
                                .andBatchSize(processor.batchSize())
                                .andTokenClaimInterval(ProcessorDeclaration.TOKEN_CLAIM_INTERVAL_MILLIS, TimeUnit.MILLISECONDS)
                                .andEventAvailabilityTimeout(ProcessorDeclaration.EVENT_AVAILABILITY_TIMEOUT_MILLIS,
                                        TimeUnit.MILLISECONDS));
            }
            processing.registerListenerInvocationErrorHandler(processor.group(), c -> PropagatingErrorHandler.instance());
        });
    }

    /**
     * An undeclared processing group would get Axon's default, a tracking processor that logs a failing event and
     * skips it: a projection meant to be exact would lag, and a limit meant to be exact would not be. Checked once
     * Axon has assigned every handler to its processor; start-up fails, naming the group.
     */
    @Bean
    ApplicationListener<ApplicationStartedEvent> undeclaredProcessorsRefused(List<ProcessorDeclaration> declarations,
                                                                              EventProcessingConfiguration processing) {
        return started -> {
            Set<String> undeclared = new TreeSet<>(processing.eventProcessors().keySet());
            declarations.forEach(declared -> undeclared.remove(declared.group()));
            if (!undeclared.isEmpty()) {
                throw new IllegalStateException("Processing groups " + undeclared + " have no ProcessorDeclaration:"
                        + " declare each one once, subscribing or tracking, beside its handlers");
            }
        };
    }
}
