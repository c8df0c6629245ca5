package io.firehosesse.platform;

import java.util.List;
import org.axonframework.common.caching.Cache;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Returns the service to empty, as a test suite asks between its classes: every table of the schema emptied in the
 * caller's transaction (streams and their events, keys, grants, records, views, sessions, the audit trail), except
 * Flyway's history and the tracking processors' positions, which stay valid because the event store's global index
 * goes on counting from where it was. What a fresh database holds is then put back by the {@link Participant}s in
 * the same transaction, and what this instance kept in memory is forgotten once it has committed.
 */
@Component
public class ServiceReset {

    /** A feature with something to put back, or to forget, when the service is reset. */
    public interface Participant {

        /** In the reset's transaction, after every table was emptied: what a new database holds. */
        default void afterTablesEmptied() {
        }

        /** After the reset committed: whatever this instance keeps in memory about what is gone. */
        default void afterReset() {
        }
    }

    private static final List<String> KEPT = List.of("flyway_schema_history", "token_entry");

    private final JdbcClient jdbc;
    private final ObjectProvider<Participant> participants;
    private final Cache aggregateCache;

    ServiceReset(JdbcClient jdbc, ObjectProvider<Participant> participants, Cache deliveryStreamCache) {
        this.jdbc = jdbc;
        this.participants = participants;
        this.aggregateCache = deliveryStreamCache;
    }

    /** Empties the service's state; must run in a transaction (a call's, through {@link CallTransaction#write}). */
    public void resetAll() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("A reset runs in the transaction of the call that asks for it");
        }
        List<String> tables = jdbc.sql("""
                        SELECT quote_ident(tablename) FROM pg_tables
                         WHERE schemaname = current_schema() AND tablename <> ALL (:kept)
                         ORDER BY tablename
                        """)
                .param("kept", KEPT.toArray(String[]::new)).query(String.class).list();
        // One statement: TRUNCATE takes each table's exclusive lock, so calls in progress finish first and calls
        // arriving meanwhile wait for the reset's commit, then see an empty service.
        jdbc.sql("TRUNCATE " + String.join(", ", tables)).update();
        participants.orderedStream().forEach(Participant::afterTablesEmptied);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                aggregateCache.removeAll();
                participants.orderedStream().forEach(Participant::afterReset);
            }
        });
    }
}
