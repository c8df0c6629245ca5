package io.firehosesse.kms;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code kms_key_material} table: the material each rotation added, and the rotation schedule on {@code kms_key}. */
@Component
class KmsKeyMaterialStore {

    /** Material a rotation added, still wrapped by the master key. */
    record Material(int generation, String materialId, byte[] wrapped, Instant rotationDate, String rotationType) {
    }

    /** Automatic rotation of a key: its period (null when off) and the next date it is due. */
    record Schedule(Integer periodDays, Instant nextRotationDate) {
    }

    private final JdbcClient jdbc;

    KmsKeyMaterialStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String keyId, Material material) {
        jdbc.sql("""
                        INSERT INTO kms_key_material (key_id, generation, material_id, wrapped_material, rotation_date,
                            rotation_type)
                        VALUES (:key, :generation, :id, :material, :date, :type)
                        """)
                .param("key", keyId)
                .param("generation", material.generation())
                .param("id", material.materialId())
                .param("material", material.wrapped())
                .param("date", Timestamp.from(material.rotationDate()))
                .param("type", material.rotationType())
                .update();
    }

    /** Gives a new replica of a multi-Region key the materials its primary has: it opens what they sealed. */
    void copy(String fromRowId, String toRowId) {
        jdbc.sql("""
                        INSERT INTO kms_key_material (key_id, generation, material_id, wrapped_material, rotation_date,
                            rotation_type)
                        SELECT :to, generation, material_id, wrapped_material, rotation_date, rotation_type
                          FROM kms_key_material WHERE key_id = :from
                        """)
                .param("to", toRowId).param("from", fromRowId).update();
    }

    /** The newest material, the one that seals; empty when the key was never rotated. */
    Optional<Material> newest(String keyId) {
        return jdbc.sql("SELECT * FROM kms_key_material WHERE key_id = :key ORDER BY generation DESC LIMIT 1")
                .param("key", keyId)
                .query(KmsKeyMaterialStore::material)
                .optional();
    }

    Optional<Material> find(String keyId, String materialId) {
        return jdbc.sql("SELECT * FROM kms_key_material WHERE key_id = :key AND material_id = :id")
                .param("key", keyId)
                .param("id", materialId)
                .query(KmsKeyMaterialStore::material)
                .optional();
    }

    List<Material> list(String keyId, int afterGeneration, int limit) {
        return jdbc.sql("""
                        SELECT * FROM kms_key_material WHERE key_id = :key AND generation > :after
                         ORDER BY generation LIMIT :limit
                        """)
                .param("key", keyId)
                .param("after", afterGeneration)
                .param("limit", limit)
                .query(KmsKeyMaterialStore::material)
                .list();
    }

    int count(String keyId, String rotationType) {
        return jdbc.sql("SELECT count(*) FROM kms_key_material WHERE key_id = :key AND rotation_type = :type")
                .param("key", keyId)
                .param("type", rotationType)
                .query(Integer.class)
                .single();
    }

    Schedule schedule(String keyId) {
        return jdbc.sql("SELECT rotation_period_days, next_rotation_date FROM kms_key WHERE key_id = :key")
                .param("key", keyId)
                .query((rs, row) -> {
                    int days = rs.getInt("rotation_period_days");
                    Integer period = rs.wasNull() ? null : days;
                    Timestamp next = rs.getTimestamp("next_rotation_date");
                    return new Schedule(period, next == null ? null : next.toInstant());
                })
                .single();
    }

    void updateSchedule(String keyId, Schedule schedule) {
        jdbc.sql("UPDATE kms_key SET rotation_period_days = :days, next_rotation_date = :next WHERE key_id = :key")
                .param("days", schedule.periodDays())
                .param("next", schedule.nextRotationDate() == null ? null : Timestamp.from(schedule.nextRotationDate()))
                .param("key", keyId)
                .update();
    }

    /** Enabled keys whose automatic rotation is due at {@code now}. */
    List<String> due(Instant now) {
        return jdbc.sql("""
                        SELECT key_id FROM kms_key
                         WHERE next_rotation_date IS NOT NULL AND next_rotation_date <= :now AND key_state = 'Enabled'
                         ORDER BY next_rotation_date
                        """)
                .param("now", Timestamp.from(now))
                .query(String.class)
                .list();
    }

    private static Material material(ResultSet rs, int row) throws SQLException {
        return new Material(rs.getInt("generation"), rs.getString("material_id"), rs.getBytes("wrapped_material"),
                rs.getTimestamp("rotation_date").toInstant(), rs.getString("rotation_type"));
    }
}
