package io.firehosesse.kms;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code kms_key_usage} table: successful cryptographic operations, each key's latest kept. */
@Component
class KmsKeyUsageStore {

    /** One use of a key, as GetKeyLastUsage reports it. */
    record Usage(String operation, Instant usedAt, String requestId) {
    }

    private final JdbcClient jdbc;

    KmsKeyUsageStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void record(String keyId, String operation, Instant usedAt, String requestId) {
        jdbc.sql("INSERT INTO kms_key_usage (key_id, operation, used_at, request_id) VALUES (:key, :op, :at, :request)")
                .param("key", keyId)
                .param("op", operation)
                .param("at", Timestamp.from(usedAt))
                .param("request", requestId)
                .update();
    }

    Optional<Usage> latest(String keyId) {
        return jdbc.sql("""
                        SELECT operation, used_at, request_id FROM kms_key_usage WHERE key_id = :key
                         ORDER BY used_at DESC, id DESC LIMIT 1
                        """)
                .param("key", keyId)
                .query((rs, row) -> new Usage(rs.getString("operation"), rs.getTimestamp("used_at").toInstant(),
                        rs.getString("request_id")))
                .optional();
    }

    /** When tracking began for a key made before it existed; empty for keys tracked since their creation. */
    Optional<Instant> trackingStart(String keyId) {
        return jdbc.sql("SELECT usage_tracking_start FROM kms_key WHERE key_id = :key AND usage_tracking_start IS NOT NULL")
                .param("key", keyId).query(Timestamp.class).optional().map(Timestamp::toInstant);
    }

    /** Deletes every use but each key's latest; the rest answer no question. */
    int prune() {
        return jdbc.sql("""
                        DELETE FROM kms_key_usage older
                         WHERE EXISTS (SELECT 1 FROM kms_key_usage newer
                                        WHERE newer.key_id = older.key_id
                                          AND (newer.used_at, newer.id) > (older.used_at, older.id))
                        """).update();
    }
}
