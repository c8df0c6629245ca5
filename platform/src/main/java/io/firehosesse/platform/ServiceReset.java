package io.firehosesse.platform;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.axonframework.common.caching.Cache;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
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
    /** How long the reset waits for one table's lock before it lets go of those it holds and tries again. */
    static final Duration LOCK_WAIT = Duration.ofMillis(200);
    /** Tries before the reset gives up and answers that the service is busy. */
    static final int LOCK_ATTEMPTS = 50;
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final JdbcClient jdbc;
    private final ObjectProvider<Participant> participants;
    private final Cache aggregateCache;

    ServiceReset(JdbcClient jdbc, ObjectProvider<Participant> participants, Cache deliveryStreamCache) {
        this.jdbc = jdbc;
        this.participants = participants;
        this.aggregateCache = deliveryStreamCache;
    }

    /**
     * One statement: TRUNCATE takes each table's exclusive lock, so calls in progress finish first and calls arriving
     * meanwhile wait for the reset's commit, then see an empty service. It takes them one after another, and a call
     * holding a later table while it waits for one the reset already holds would deadlock with it, every time under
     * load (the reset, waiting first, is the one PostgreSQL would abort). So the reset waits only briefly for each
     * lock; if one is not free it gives back all it took (to a savepoint), lets the calls through, and tries again.
     */
    private void truncate(List<String> tables) {
        for (int attempt = 1; ; attempt++) {
            jdbc.sql("SAVEPOINT service_reset").update();
            jdbc.sql("SELECT set_config('lock_timeout', :wait, true)").param("wait", LOCK_WAIT.toMillis() + "ms")
                    .query().singleRow();
            try {
                jdbc.sql("TRUNCATE " + String.join(", ", tables)).update();
                jdbc.sql("SELECT set_config('lock_timeout', '0', true)").query().singleRow();
                jdbc.sql("RELEASE SAVEPOINT service_reset").update();
                return;
            } catch (DataAccessException busy) {
                if (!lockNotAvailable(busy)) {
                    throw busy;
                }
                if (attempt >= LOCK_ATTEMPTS) {
                    throw new CallTransaction.ConflictingCallException(busy);
                }
                jdbc.sql("ROLLBACK TO SAVEPOINT service_reset").update();
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(LOCK_WAIT.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy;
                }
            }
        }
    }

    private static boolean lockNotAvailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
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
        truncate(tables);
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
