package io.firehosesse.platform;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Wakes this instance's tracking processors when another instance on the same database commits a call. Axon's
 * embedded event store only hears of its own instance's commits; events another instance stores are found by
 * polling, up to a second later, so a Start acknowledged by one instance would wait that long for the instance
 * that holds the encryption process's claims. Each committed call therefore sends a PostgreSQL notification
 * ({@link ProcessorWakeUp}; delivered on commit, never for a rollback), and every instance listens for
 * them on a connection of its own.
 */
@Component
public class ClusterWakeUp implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterWakeUp.class);
    private static final long RECONNECT_MILLIS = 1000;

    private final DataSourceProperties dataSource;
    private final ProcessorWakeUp processors;
    private volatile boolean running;
    private volatile Connection listening;
    private Thread listener;

    ClusterWakeUp(DataSourceProperties dataSource, ProcessorWakeUp processors) {
        this.dataSource = dataSource;
        this.processors = processors;
    }

    @Override
    public void start() {
        running = true;
        listener = new Thread(this::listen, "cluster-wake-up");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public void stop() {
        running = false;
        Connection connection = listening;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing is all that is left to do with it
            }
        }
        listener.interrupt();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        boolean warned = false;
        while (running) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                listening = connection;
                statement.execute("LISTEN " + ProcessorWakeUp.CHANNEL);
                // Events committed while this connection was down were found by polling; from here on none waits for it.
                processors.wakeNow();
                warned = false;
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = notifications.getNotifications(5000);
                    if (received != null && fromAnother(received)) {
                        processors.wakeNow();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running && !warned) {
                    log.warn("Not listening for other instances' commits ({}); their events are found by polling until the"
                            + " connection is back", e.toString());
                    warned = true;
                }
                pause();
            } finally {
                listening = null;
            }
        }
    }

    private boolean fromAnother(PGNotification[] received) {
        for (PGNotification notification : received) {
            if (processors.isFromAnotherInstance(notification.getParameter())) {
                return true;
            }
        }
        return false;
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (dataSource.determineUsername() != null) {
            properties.setProperty("user", dataSource.determineUsername());
        }
        if (dataSource.determinePassword() != null) {
            properties.setProperty("password", dataSource.determinePassword());
        }
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("ApplicationName", "firehose-sse wake-up");
        return DriverManager.getConnection(dataSource.determineUrl(), properties);
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
