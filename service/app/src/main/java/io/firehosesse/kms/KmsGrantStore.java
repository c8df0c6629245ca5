package io.firehosesse.kms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code kms_grant} table. */
@Component
class KmsGrantStore {

    private static final TypeReference<List<String>> OPERATIONS = new TypeReference<>() { };
    private static final TypeReference<Map<String, Map<String, String>>> CONSTRAINTS = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final ObjectMapper json = new ObjectMapper();

    KmsGrantStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code rowId}: the grant's key's {@link KmsKey#rowId()}. */
    void insert(KmsGrant grant, String rowId) {
        jdbc.sql("""
                        INSERT INTO kms_grant (grant_id, key_id, name, grantee_principal, retiring_principal, operations,
                            constraints, issuing_account, creation_date)
                        VALUES (:id, :key, :name, :grantee, :retiring, CAST(:operations AS jsonb), CAST(:constraints AS jsonb),
                            :issuer, :created)
                        """)
                .param("id", grant.grantId())
                .param("key", rowId)
                .param("name", grant.name())
                .param("grantee", grant.granteePrincipal())
                .param("retiring", grant.retiringPrincipal())
                .param("operations", write(grant.operations()))
                .param("constraints", grant.constraints() == null ? null : write(grant.constraints()))
                .param("issuer", grant.issuingAccount())
                .param("created", Timestamp.from(grant.creationDate()))
                .update();
    }

    Optional<KmsGrant> byName(String keyId, String keyArn, String name) {
        return jdbc.sql("SELECT * FROM kms_grant WHERE key_id = :key AND name = :name")
                .param("key", keyId).param("name", name)
                .query((rs, row) -> grant(rs, keyArn)).optional();
    }

    Optional<KmsGrant> byId(String keyId, String keyArn, String grantId) {
        return jdbc.sql("SELECT * FROM kms_grant WHERE key_id = :key AND grant_id = :id")
                .param("key", keyId).param("id", grantId)
                .query((rs, row) -> grant(rs, keyArn)).optional();
    }

    /** The grant and the ARN of its key, whichever key it is on. */
    Optional<KmsGrant> byIdAnyKey(String grantId) {
        return jdbc.sql("SELECT g.*, k.arn AS key_arn FROM kms_grant g JOIN kms_key k ON k.key_id = g.key_id WHERE g.grant_id = :id")
                .param("id", grantId)
                .query((rs, row) -> grant(rs, rs.getString("key_arn"))).optional();
    }

    List<KmsGrant> forKey(String keyId, String keyArn, String grantId, String grantee, String afterGrantId, int limit) {
        return jdbc.sql("""
                        SELECT * FROM kms_grant
                         WHERE key_id = :key
                           AND (CAST(:grant AS varchar) IS NULL OR grant_id = :grant)
                           AND (CAST(:grantee AS varchar) IS NULL OR grantee_principal = :grantee)
                           AND (CAST(:after AS varchar) IS NULL OR grant_id > :after)
                         ORDER BY grant_id LIMIT :limit
                        """)
                .param("key", keyId).param("grant", grantId).param("grantee", grantee).param("after", afterGrantId)
                .param("limit", limit)
                .query((rs, row) -> grant(rs, keyArn)).list();
    }

    List<KmsGrant> retirableBy(String accountId, String retiringPrincipal, String afterGrantId, int limit) {
        return jdbc.sql("""
                        SELECT g.*, k.arn AS key_arn FROM kms_grant g JOIN kms_key k ON k.key_id = g.key_id
                         WHERE g.retiring_principal = :principal AND k.account_id = :account
                           AND (CAST(:after AS varchar) IS NULL OR g.grant_id > :after)
                         ORDER BY g.grant_id LIMIT :limit
                        """)
                .param("principal", retiringPrincipal).param("account", accountId).param("after", afterGrantId)
                .param("limit", limit)
                .query((rs, row) -> grant(rs, rs.getString("key_arn"))).list();
    }

    /**
     * Whether a grant on the key lets {@code grantee} perform {@code operation} under {@code context}: it names the
     * grantee, lists the operation, and its constraints (if any) hold for the context, as KMS reads them:
     * {@code EncryptionContextSubset} pairs all in the context, {@code EncryptionContextEquals} the context exactly.
     * Answered by one query, however many grants a key has (Firehose makes one per stream, 500 streams a key).
     */
    boolean allows(String keyId, String grantee, String operation, Map<String, String> context) {
        return jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM kms_grant
                         WHERE key_id = :key AND grantee_principal = :grantee
                           AND operations @> CAST(:operation AS jsonb)
                           AND (constraints -> 'EncryptionContextSubset' IS NULL
                                OR constraints -> 'EncryptionContextSubset' <@ CAST(:context AS jsonb))
                           AND (constraints -> 'EncryptionContextEquals' IS NULL
                                OR constraints -> 'EncryptionContextEquals' = CAST(:context AS jsonb)))
                        """)
                .param("key", keyId).param("grantee", grantee)
                .param("operation", write(List.of(operation)))
                .param("context", write(context == null ? Map.of() : context))
                .query(Boolean.class).single();
    }

    boolean delete(String grantId) {
        return jdbc.sql("DELETE FROM kms_grant WHERE grant_id = :id").param("id", grantId).update() == 1;
    }

    private KmsGrant grant(ResultSet rs, String keyArn) throws SQLException {
        String constraints = rs.getString("constraints");
        return new KmsGrant(rs.getString("grant_id"), KmsKey.keyIdOfRow(rs.getString("key_id")), keyArn, rs.getString("name"),
                rs.getString("grantee_principal"), rs.getString("retiring_principal"),
                read(rs.getString("operations"), OPERATIONS),
                constraints == null ? null : read(constraints, CONSTRAINTS),
                rs.getString("issuing_account"), rs.getTimestamp("creation_date").toInstant());
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable kms_grant column", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
