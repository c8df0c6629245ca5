package io.firehosesse.platform;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Named locks held until the current transaction ends (PostgreSQL advisory locks), shared by every instance on the
 * database: for work on something no single row stands for, such as one aggregate across instances (the aggregate
 * cache's check), a grant's name on a key, or the one instance that seals the audit trail.
 */
@Component
public class TransactionLocks {

    private final JdbcClient jdbc;

    TransactionLocks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void lock(String name) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext(:name))").param("name", name).query().singleRow();
    }

    /** Takes the lock if it is free and says so, never waits: for work that any one of several instances may do. */
    public boolean tryLock(String name) {
        return jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtext(:name))").param("name", name).query(Boolean.class).single();
    }
}
