package io.firehosesse.audit;

import io.firehosesse.platform.ServiceReset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A reset starts a new chain: the emptied trail counts its records from 1 again, and the chain's head is the one a
 * new database has (V10 migration). The record of the reset itself is the first of the new chain. Its digests start
 * over too, under a new trail id (V20), so they go to a directory of their own and never overwrite the old trail's.
 */
@Component
class AuditTrailReset implements ServiceReset.Participant {

    private final JdbcClient jdbc;

    AuditTrailReset(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void afterTablesEmptied() {
        jdbc.sql("ALTER TABLE audit_event ALTER COLUMN sequence RESTART").update();
        jdbc.sql("INSERT INTO audit_chain_head (position, hash, watermark) VALUES (0, repeat('0', 64), 0)").update();
        jdbc.sql("""
                INSERT INTO audit_digest_head (trail_id, number, position, digest_hash, written_at)
                VALUES (gen_random_uuid(), 0, 0, repeat('0', 64), now())
                """).update();
    }
}
