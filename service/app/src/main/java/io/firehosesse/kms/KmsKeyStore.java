package io.firehosesse.kms;

import io.firehosesse.kms.KmsKey.KeyState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code kms_key} table. Methods taking a {@code rowId} take {@link KmsKey#rowId()}; the keys read back carry the
 * public key id.
 */
@Component
class KmsKeyStore {

    private final JdbcClient jdbc;

    KmsKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(KmsKey key, String tagsJson, byte[] wrappedMaterial, byte[] publicKey) {
        jdbc.sql("""
                        INSERT INTO kms_key (key_id, account_id, region, arn, description, key_spec, key_usage, key_state,
                            creation_date, policy, tags, aws_owned, wrapped_material, public_key, origin, primary_region)
                        VALUES (:id, :account, :region, :arn, :description, :spec, :usage, :state, :created, :policy,
                            CAST(:tags AS jsonb), :owned, :material, :publicKey, :origin, :primaryRegion)
                        """)
                .param("id", key.rowId())
                .param("account", key.accountId())
                .param("region", key.region())
                .param("arn", key.arn())
                .param("description", key.description())
                .param("spec", key.keySpec())
                .param("usage", key.keyUsage())
                .param("state", key.state().name())
                .param("created", Timestamp.from(key.creationDate()))
                .param("policy", key.policy())
                .param("tags", tagsJson)
                .param("owned", key.awsOwned())
                .param("material", wrappedMaterial)
                .param("publicKey", publicKey)
                .param("origin", key.origin())
                .param("primaryRegion", key.primaryRegion())
                .update();
    }

    Optional<KmsKey> find(String accountId, String region, String keyId) {
        if (keyId.contains("/")) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT * FROM kms_key WHERE key_id = :id AND account_id = :account AND region = :region")
                .param("id", KmsKey.rowId(keyId, region))
                .param("account", accountId)
                .param("region", region)
                .query(KmsKeyStore::key)
                .optional();
    }

    /** A key by row id alone, for work no caller asked for (the rotation sweep). */
    Optional<KmsKey> findById(String keyId) {
        return jdbc.sql("SELECT * FROM kms_key WHERE key_id = :id").param("id", keyId).query(KmsKeyStore::key).optional();
    }

    /** User-visible keys after {@code afterKeyId}, in key id order. */
    List<KmsKey> list(String accountId, String region, String afterKeyId, int limit) {
        return jdbc.sql("""
                        SELECT * FROM kms_key
                         WHERE account_id = :account AND region = :region AND NOT aws_owned
                           AND (CAST(:after AS varchar) IS NULL OR split_part(key_id, '/', 1) > :after)
                         ORDER BY key_id LIMIT :limit
                        """)
                .param("account", accountId)
                .param("region", region)
                .param("after", afterKeyId)
                .param("limit", limit)
                .query(KmsKeyStore::key)
                .list();
    }

    /** Every Region's key of a multi-Region key id, in Region order: the primary and its replicas. */
    List<KmsKey> multiRegionKeys(String accountId, String keyId) {
        return jdbc.sql("SELECT * FROM kms_key WHERE account_id = :account AND key_id LIKE :rows ORDER BY region")
                .param("account", accountId)
                .param("rows", keyId + "/%")
                .query(KmsKeyStore::key)
                .list();
    }

    void updatePrimaryRegion(String accountId, String keyId, String primaryRegion) {
        jdbc.sql("UPDATE kms_key SET primary_region = :primary WHERE account_id = :account AND key_id LIKE :rows")
                .param("primary", primaryRegion)
                .param("account", accountId)
                .param("rows", keyId + "/%")
                .update();
    }

    void updateState(String keyId, KeyState state, Instant deletionDate, Integer pendingWindowDays) {
        jdbc.sql("UPDATE kms_key SET key_state = :state, deletion_date = :deletion, pending_window_days = :days WHERE key_id = :id")
                .param("state", state.name())
                .param("deletion", deletionDate == null ? null : Timestamp.from(deletionDate))
                .param("days", pendingWindowDays)
                .param("id", keyId)
                .update();
    }

    Optional<byte[]> wrappedMaterial(String keyId) {
        return jdbc.sql("SELECT wrapped_material FROM kms_key WHERE key_id = :id AND wrapped_material IS NOT NULL")
                .param("id", keyId)
                .query(byte[].class)
                .optional();
    }

    /** The DER SubjectPublicKeyInfo of an RSA or EC key. */
    Optional<byte[]> publicKey(String keyId) {
        return jdbc.sql("SELECT public_key FROM kms_key WHERE key_id = :id AND public_key IS NOT NULL")
                .param("id", keyId)
                .query(byte[].class)
                .optional();
    }

    Optional<KmsKey> findAwsOwned(String accountId, String region) {
        return jdbc.sql("SELECT * FROM kms_key WHERE account_id = :account AND region = :region AND aws_owned")
                .param("account", accountId)
                .param("region", region)
                .query(KmsKeyStore::key)
                .optional();
    }

    void updatePolicy(String keyId, String policy) {
        jdbc.sql("UPDATE kms_key SET policy = :policy WHERE key_id = :id").param("policy", policy).param("id", keyId).update();
    }

    /** The key's tags as stored: a JSON list of {@code {"TagKey": ..., "TagValue": ...}}. */
    String tagsJson(String keyId) {
        return jdbc.sql("SELECT CAST(tags AS text) FROM kms_key WHERE key_id = :id").param("id", keyId).query(String.class).single();
    }

    void updateTags(String keyId, String tagsJson) {
        jdbc.sql("UPDATE kms_key SET tags = CAST(:tags AS jsonb) WHERE key_id = :id")
                .param("tags", tagsJson).param("id", keyId).update();
    }

    void updateDescription(String keyId, String description) {
        jdbc.sql("UPDATE kms_key SET description = :description WHERE key_id = :id")
                .param("description", description).param("id", keyId).update();
    }

    /**
     * Imported material in, or (null material) out: the state, expiry and first material's id change with it. The id
     * of the first import is kept when material is deleted, since only that material may come back.
     */
    void updateImportedMaterial(String keyId, byte[] wrappedMaterial, KeyState state, String expirationModel,
                                Instant validTo, String materialId) {
        jdbc.sql("""
                        UPDATE kms_key SET wrapped_material = :material, key_state = :state, expiration_model = :model,
                            valid_to = :validTo, imported_material_id = COALESCE(imported_material_id, :materialId)
                         WHERE key_id = :id
                        """)
                .param("material", wrappedMaterial)
                .param("state", state.name())
                .param("model", expirationModel)
                .param("validTo", validTo == null ? null : Timestamp.from(validTo))
                .param("materialId", materialId)
                .param("id", keyId)
                .update();
    }

    Optional<String> importedMaterialId(String keyId) {
        return jdbc.sql("SELECT imported_material_id FROM kms_key WHERE key_id = :id AND imported_material_id IS NOT NULL")
                .param("id", keyId).query(String.class).optional();
    }

    /** Keys whose imported material has expired by {@code now} and still has material. */
    List<String> expiredImports(Instant now) {
        return jdbc.sql("""
                        SELECT key_id FROM kms_key
                         WHERE valid_to IS NOT NULL AND valid_to <= :now AND wrapped_material IS NOT NULL
                        """)
                .param("now", Timestamp.from(now)).query(String.class).list();
    }

    void delete(String keyId) {
        jdbc.sql("DELETE FROM kms_key WHERE key_id = :id").param("id", keyId).update();
    }

    private static KmsKey key(ResultSet rs, int row) throws SQLException {
        Timestamp deletion = rs.getTimestamp("deletion_date");
        int window = rs.getInt("pending_window_days");
        return new KmsKey(KmsKey.keyIdOfRow(rs.getString("key_id")), rs.getString("account_id"), rs.getString("region"), rs.getString("arn"),
                rs.getString("description"), rs.getString("key_spec"), rs.getString("key_usage"),
                KeyState.valueOf(rs.getString("key_state")), rs.getTimestamp("creation_date").toInstant(),
                deletion == null ? null : deletion.toInstant(), rs.wasNull() ? null : window, rs.getString("policy"),
                rs.getBoolean("aws_owned"), rs.getString("origin"), rs.getString("expiration_model"),
                rs.getTimestamp("valid_to") == null ? null : rs.getTimestamp("valid_to").toInstant(),
                rs.getString("primary_region"));
    }
}
