package io.firehosesse.platform;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How a call that changes state is made consistent, in one place: one transaction opened for the call; the call's
 * commands (each appending events and writing the subscribing projections in it) and then its record (the audit
 * trail's) written in it, so there is no event without its record and no record of events that were not stored;
 * the commit; then the tracking processors woken, here and on the other instances. A call that lost the race for a
 * stream's next sequence number to another writer, or that PostgreSQL chose as a deadlock's victim, is tried again
 * whole, on fresh state, and after {@value #CONFLICT_ATTEMPTS} tries answered as {@link ConflictingCallException}
 * (retryable: the resource is busy).
 */
@Component
public class CallTransaction {

    /** Tries of a call that lost a race for its stream's next event sequence number, or a deadlock. */
    static final int CONFLICT_ATTEMPTS = 3;
    /** The unique index on (aggregate_identifier, sequence_number) of the event table (V1 migration). */
    static final String EVENT_SEQUENCE_INDEX = "domain_event_entry_aggregate_sequence";
    /**
     * PostgreSQL's deadlock_detected and serialization_failure: it rolled the transaction back and says it may be
     * run again. A reset's TRUNCATE takes every table's lock one after another and can meet a processor's
     * transaction that holds one of them and waits for another.
     */
    static final java.util.Set<String> RETRYABLE_STATES = java.util.Set.of("40P01", "40001");

    private final TransactionTemplate transactions;
    private final TransactionTemplate outsideTransactions;
    private final ProcessorWakeUp processors;

    CallTransaction(PlatformTransactionManager transactionManager, ProcessorWakeUp processors) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.outsideTransactions = new TransactionTemplate(transactionManager);
        this.outsideTransactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
        this.processors = processors;
    }

    /**
     * Runs {@code call}, then {@code record} with its result, in one transaction, commits, and wakes the processors.
     * A failure rolls back both and is thrown as it came (or as {@link ConflictingCallException} once the tries for
     * a lost sequence race are used up).
     */
    public <T> T write(Supplier<T> call, Consumer<? super T> record) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(tx -> {
                    processors.afterCommit();
                    T output = call.get();
                    record.accept(output);
                    return output;
                });
            } catch (RuntimeException failure) {
                if (!isConflict(failure)) {
                    throw failure;
                }
                if (attempt >= CONFLICT_ATTEMPTS) {
                    throw new ConflictingCallException(failure);
                }
                // Another writer appended to the same stream first, or the database broke a deadlock by rolling this
                // call back: the whole call is tried again on fresh state.
            }
        }
    }

    /**
     * Runs {@code work} outside any transaction the caller holds: for a look-up that must not make the call's
     * transaction take its pooled connection before the call has waited for its turn and its stream (a transaction
     * takes its connection at its first statement; see {@link LazyConnections}).
     */
    public <T> T outside(Supplier<T> work) {
        return outsideTransactions.execute(status -> work.get());
    }

    /**
     * Whether the call lost a race for its aggregate's next sequence number to another writer: Axon says so with a
     * ConcurrencyException, or (as its JDBC engine reports it on PostgreSQL) the event table's unique (aggregate,
     * sequence) index refused the insert; or whether PostgreSQL rolled it back as retryable.
     */
    static boolean isConflict(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConcurrencyException) {
                return true;
            }
            if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState()) && sql.getMessage() != null
                    && sql.getMessage().contains(EVENT_SEQUENCE_INDEX)) {
                return true;
            }
            // Set.of refuses null: the driver gives no state for a connection the server closed.
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && RETRYABLE_STATES.contains(sql.getSQLState())) {
                return true;
            }
            if (cause instanceof BatchUpdateException batch && isConflict(batch.getNextException())) {
                return true;
            }
        }
        return false;
    }

    /** A call that kept losing races or deadlocks to concurrent work: the resource is too busy right now. */
    public static final class ConflictingCallException extends RuntimeException {

        ConflictingCallException(Throwable lastTry) {
            super("The call met concurrent work on the same data " + CONFLICT_ATTEMPTS + " times", lastTry);
        }
    }
}
