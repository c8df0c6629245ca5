package io.firehosesse.dataplane;

import io.firehosesse.api.deliverystream.DeliveryStreamFailureType;
import io.firehosesse.api.deliverystream.ReportKeyFault;
import io.firehosesse.api.deliverystream.ReportKeyRecovered;
import io.firehosesse.encryption.FailureTypes;
import io.firehosesse.encryption.KmsResult;
import jakarta.annotation.PreDestroy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells a stream when the key in force starts or stops refusing data keys, so its encryption shows the
 * failure. Reports go out on their own thread: the put that noticed is rolled back (its records are refused),
 * and the report must not be rolled back with it. Only changes are reported; the aggregate ignores repeats.
 */
@Component
class KeyHealthReports {

    private static final Logger log = LoggerFactory.getLogger(KeyHealthReports.class);

    private final CommandGateway commands;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "key-health-reports");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    KeyHealthReports(CommandGateway commands) {
        this.commands = commands;
    }

    void refused(DataPlaneStreams.Target stream, KmsResult.KmsError error) {
        DeliveryStreamFailureType type = FailureTypes.of(error, false);
        if (!type.name().equals(stream.keyFault())) {
            send(stream.streamId() + "|" + type, new ReportKeyFault(stream.streamId(), stream.keyArn(), type,
                    FailureTypes.details(error)));
        }
    }

    void served(DataPlaneStreams.Target stream) {
        if (stream.keyFault() != null) {
            send(stream.streamId() + "|recovered", new ReportKeyRecovered(stream.streamId(), stream.keyArn()));
        }
    }

    private void send(String report, Object command) {
        if (!inFlight.add(report)) {
            return;
        }
        sender.execute(() -> {
            try {
                commands.sendAndWait(command);
            } catch (RuntimeException e) {
                log.warn("Could not record on the stream that its key {}: {}", command, e.toString());
            } finally {
                inFlight.remove(report);
            }
        });
    }

    @PreDestroy
    void stop() {
        sender.shutdown();
    }
}
