package io.firehosesse.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * {@code firehose.training-run=true}: the service starts as always (context, web server, processors) and then shuts
 * down gracefully, so that {@code -XX:ArchiveClassesAtExit} records every class a start loads (service/app's build
 * makes its class-data-sharing archive so). Spring's own {@code spring.context.exit=onRefresh} halts the JVM before
 * anything is stopped, which would leave the embedded PostgreSQL running behind it.
 */
@Component
class TrainingRun implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

    private final boolean enabled;

    TrainingRun(FirehoseProperties properties) {
        this.enabled = properties.trainingRun();
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (!enabled) {
            return;
        }
        log.info("Training run: started; stopping again");
        // From a thread of its own: System.exit waits for the shutdown hook that closes the context.
        Thread exit = new Thread(() -> System.exit(SpringApplication.exit(event.getApplicationContext())), "training-run-exit");
        exit.start();
    }
}
