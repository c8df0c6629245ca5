package io.firehosesse.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitorCallback;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's commands, events and processors in Micrometer, at the cost of a counter or timer update per message.
 * Axon's own Micrometer module (turned off with {@code axon.metrics.auto-configuration.enabled: false}) registers
 * each meter again on every message, through a builder and the registry's lookup, and keeps a sliding-window
 * reservoir and a capacity meter per processor: profiled under the harness's Start/Stop load it took 8–9 % of the
 * service's CPU. Here every meter is made once, when its processor is configured or its command type is first seen.
 * Processor lag keeps Axon's own monitor ({@code eventProcessor_latency}), which only sets a gauge.
 */
@Configuration(proxyBeanMethods = false)
class AxonMeters {

    @Bean
    ConfigurerModule axonMessageMeters(MeterRegistry registry) {
        return configurer -> configurer.configureMessageMonitor(configuration -> (componentType, name) -> {
            if (EventProcessor.class.isAssignableFrom(componentType)) {
                Tags processor = Tags.of("processorName", name);
                return new MultiMessageMonitor<Message<?>>(latency(EventProcessorLatencyMonitor.builder()
                        .meterNamePrefix("eventProcessor").meterRegistry(registry).tagsBuilder(message -> processor).build()),
                        new Handled(registry, name));
            }
            if (CommandBus.class.isAssignableFrom(componentType)) {
                return new Commands(registry);
            }
            if (EventBus.class.isAssignableFrom(componentType)) {
                Counter appended = Counter.builder("eventStore.appended").description("events published").register(registry);
                return message -> {
                    appended.increment();
                    return NoOpMessageMonitorCallback.INSTANCE;
                };
            }
            return NoOpMessageMonitor.INSTANCE;
        });
    }

    /** A processor is only ever given events, so its event monitor can stand where Axon asks for a message monitor. */
    @SuppressWarnings("unchecked")
    private static MessageMonitor<Message<?>> latency(EventProcessorLatencyMonitor monitor) {
        return (MessageMonitor<Message<?>>) (MessageMonitor<?>) monitor;
    }

    /** Events a processor handled, by outcome ({@code eventProcessor_handled_total}); events it has no handler for are not counted. */
    private static final class Handled implements MessageMonitor<Message<?>> {

        private final Counter succeeded;
        private final Counter failed;

        Handled(MeterRegistry registry, String processor) {
            this.succeeded = counter(registry, processor, "success");
            this.failed = counter(registry, processor, "failure");
        }

        private static Counter counter(MeterRegistry registry, String processor, String result) {
            return Counter.builder("eventProcessor.handled").tag("processorName", processor).tag("result", result)
                    .description("events handled by the processor").register(registry);
        }

        @Override
        public MonitorCallback onMessageIngested(Message<?> message) {
            return new MonitorCallback() {
                @Override
                public void reportSuccess() {
                    succeeded.increment();
                }

                @Override
                public void reportFailure(Throwable cause) {
                    failed.increment();
                }

                @Override
                public void reportIgnored() {
                }
            };
        }
    }

    /** Commands handled, by command and outcome ({@code commandBus_handled_seconds}); a timer per pair, made at first use. */
    private static final class Commands implements MessageMonitor<Message<?>> {

        private final MeterRegistry registry;
        private final Map<Class<?>, Timer[]> timers = new ConcurrentHashMap<>();

        Commands(MeterRegistry registry) {
            this.registry = registry;
        }

        private Timer[] timers(Class<?> payloadType) {
            Timer[] known = timers.get(payloadType);
            return known != null ? known : timers.computeIfAbsent(payloadType, type -> new Timer[] {
                    timer(type, "success"), timer(type, "failure")});
        }

        private Timer timer(Class<?> payloadType, String result) {
            return Timer.builder("commandBus.handled").tag("payloadType", payloadType.getSimpleName()).tag("result", result)
                    .description("commands handled, from dispatch to the end of their unit of work").register(registry);
        }

        @Override
        public MonitorCallback onMessageIngested(Message<?> message) {
            Timer[] pair = timers(message.getPayloadType());
            long started = System.nanoTime();
            return new MonitorCallback() {
                @Override
                public void reportSuccess() {
                    pair[0].record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                }

                @Override
                public void reportFailure(Throwable cause) {
                    pair[1].record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                }

                @Override
                public void reportIgnored() {
                }
            };
        }
    }
}
