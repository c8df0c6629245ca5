package io.firehosesse.platform;

import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Axon's embedded event store wakes its tracking processors when a unit of work commits. A call runs its command
 * inside a wider transaction (the one that also writes the call's audit record), so the unit of work "commits"
 * before the database does: the woken processors find nothing yet and sleep for the fetch delay, a whole second.
 * {@link #afterCommit()} wakes them again once the wider transaction has committed. Other instances on the same
 * database are told through a PostgreSQL notification sent in the same transaction, which {@link ClusterWakeUp}
 * turns into the same wake-up there. Without the embedded store (Axon Server) there are no processors to wake. The
 * {@link CallCommitListener}s are told either way, here and on the other instances.
 */
@Component
class ProcessorWakeUp {

    static final String CHANNEL = "firehose_events";

    private final WakeableEventStore store;
    private final JdbcClient jdbc;
    private final ObjectProvider<CallCommitListener> listeners;
    /** Sent with each notification, so an instance can tell its own commits, which it has already woken for. */
    private final String instanceId = UUID.randomUUID().toString();

    ProcessorWakeUp(Optional<WakeableEventStore> store, JdbcClient jdbc, ObjectProvider<CallCommitListener> listeners) {
        this.store = store.orElse(null);
        this.jdbc = jdbc;
        this.listeners = listeners;
    }

    /** Wakes the tracking processors once the current transaction commits (at once if there is none). */
    void afterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            wakeNow();
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
                wakeNow();
            }
        });
    }

    boolean isFromAnotherInstance(String sender) {
        return !instanceId.equals(sender);
    }

    /** Wakes the tracking processors now: events were committed (here, or by another instance). */
    void wakeNow() {
        if (store != null) {
            store.wakeProcessors();
        }
        listeners.forEach(CallCommitListener::callCommitted);
    }
}
