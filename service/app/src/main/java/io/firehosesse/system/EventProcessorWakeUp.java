package io.firehosesse.system;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.UUID;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Axon's embedded event store wakes its tracking processors when a unit of work commits. A wire call runs
 * its command inside a wider transaction (the one that also writes the call's audit record), so the unit of
 * work "commits" before the database does: the woken processors find nothing yet and sleep for the fetch
 * delay, a whole second. {@link #afterCommit()} wakes them again once the wider transaction has committed.
 * The store's wake-up is protected, and replacing the store would turn Axon's JDBC auto-configuration off,
 * so it is called reflectively. Other instances on the same database are told through a PostgreSQL
 * notification sent in the same transaction, which {@link ClusterWakeUp} turns into the same wake-up there.
 */
@Component
public class EventProcessorWakeUp {

    static final String CHANNEL = "firehose_events";

    private final EventStore store;
    private final Method wakeUp;
    private final JdbcClient jdbc;
    /** Sent with each notification, so an instance can tell its own commits, which it has already woken for. */
    private final String instanceId = UUID.randomUUID().toString();

    EventProcessorWakeUp(EventStore store, JdbcClient jdbc) {
        this.store = store;
        this.jdbc = jdbc;
        Method method = null;
        if (store instanceof EmbeddedEventStore) {
            try {
                method = EmbeddedEventStore.class.getDeclaredMethod("afterCommit", List.class);
                method.setAccessible(true);
            } catch (NoSuchMethodException | RuntimeException e) {
                method = null; // another Axon version: processors then wake on their own fetch delay
            }
        }
        this.wakeUp = method;
    }

    /** Wakes the tracking processors once the current transaction commits (at once if there is none). */
    public void afterCommit() {
        if (wakeUp == null) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            wake();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                jdbc.sql("SELECT pg_notify(:channel, :from)").param("channel", CHANNEL).param("from", instanceId).query()
                        .singleRow();
            }

            @Override
            public void afterCommit() {
                wake();
            }
        });
    }

    boolean isFromAnotherInstance(String sender) {
        return !instanceId.equals(sender);
    }

    /** Wakes the tracking processors now: another instance has committed events. */
    void wakeNow() {
        wake();
    }

    private void wake() {
        try {
            wakeUp.invoke(store, List.of());
        } catch (IllegalAccessException | InvocationTargetException e) {
            // Not woken now, they wake on their own within the fetch delay.
        }
    }
}
