package io.firehosesse.kms;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code kms_alias} table, and the predefined {@code alias/aws/*} names KMS lists beside it. */
@Component
class KmsAliasStore {

    /**
     * The aliases of AWS managed keys that KMS lists in every account and Region before the service behind them has
     * made its key, so without a TargetKeyId (ListAliases: "predefined aliases that AWS has created but has not yet
     * associated with a KMS key"). This service makes no AWS managed keys, so they stay unassociated. Firehose is not
     * among them: its AWS_OWNED_CMK is an AWS owned key, which has no alias in the customer's account.
     */
    static final List<String> PREDEFINED = List.of("alias/aws/acm", "alias/aws/dynamodb", "alias/aws/ebs",
            "alias/aws/elasticfilesystem", "alias/aws/es", "alias/aws/glue", "alias/aws/kinesisvideo", "alias/aws/lambda",
            "alias/aws/rds", "alias/aws/redshift", "alias/aws/s3", "alias/aws/secretsmanager", "alias/aws/ssm",
            "alias/aws/xray");

    private final JdbcClient jdbc;

    KmsAliasStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the alias; false when the name is already taken. */
    boolean insert(String accountId, String region, KmsAlias alias) {
        return jdbc.sql("""
                        INSERT INTO kms_alias (account_id, region, alias_name, target_key_id, creation_date)
                        VALUES (:account, :region, :name, :key, :created) ON CONFLICT DO NOTHING
                        """)
                .param("account", accountId)
                .param("region", region)
                .param("name", alias.aliasName())
                .param("key", alias.targetKeyId())
                .param("created", Timestamp.from(alias.creationDate()))
                .update() == 1;
    }

    Optional<KmsAlias> find(String accountId, String region, String aliasName) {
        return jdbc.sql("SELECT * FROM kms_alias WHERE account_id = :account AND region = :region AND alias_name = :name")
                .param("account", accountId)
                .param("region", region)
                .param("name", aliasName)
                .query((rs, row) -> alias(rs, accountId, region))
                .optional();
    }

    /**
     * The aliases after {@code afterName}, in name order: the predefined ones too unless {@code keyId} asks for one
     * key's (they point at none). Byte order, whatever the database's locale, so pages do not depend on it.
     */
    List<KmsAlias> list(String accountId, String region, String keyId, String afterName, int limit) {
        return jdbc.sql("""
                        SELECT * FROM (
                            SELECT alias_name, target_key_id, creation_date FROM kms_alias
                             WHERE account_id = :account AND region = :region
                            UNION ALL
                            -- the predefined names as rows of the same shape, so one ORDER BY pages both alike
                            SELECT name, CAST(NULL AS varchar), CAST(NULL AS timestamptz)
                              FROM unnest(CAST(:predefined AS varchar[])) AS predefined (name)
                        ) AS aliases
                         WHERE (CAST(:key AS varchar) IS NULL OR target_key_id = :key)
                           AND (CAST(:after AS varchar) IS NULL OR alias_name COLLATE "C" > :after)
                         ORDER BY alias_name COLLATE "C" LIMIT :limit
                        """)
                .param("account", accountId)
                .param("region", region)
                .param("key", keyId)
                .param("after", afterName)
                .param("limit", limit)
                .param("predefined", PREDEFINED.toArray(new String[0]))
                .query((rs, row) -> alias(rs, accountId, region))
                .list();
    }

    void retarget(String accountId, String region, String aliasName, String keyId) {
        jdbc.sql("UPDATE kms_alias SET target_key_id = :key WHERE account_id = :account AND region = :region AND alias_name = :name")
                .param("key", keyId)
                .param("account", accountId)
                .param("region", region)
                .param("name", aliasName)
                .update();
    }

    boolean delete(String accountId, String region, String aliasName) {
        return jdbc.sql("DELETE FROM kms_alias WHERE account_id = :account AND region = :region AND alias_name = :name")
                .param("account", accountId)
                .param("region", region)
                .param("name", aliasName)
                .update() == 1;
    }

    private static KmsAlias alias(ResultSet rs, String accountId, String region) throws SQLException {
        String name = rs.getString("alias_name");
        Timestamp created = rs.getTimestamp("creation_date");
        String target = rs.getString("target_key_id");
        return new KmsAlias(name, KmsArns.aliasArn(accountId, region, name), target == null ? null : KmsKey.keyIdOfRow(target),
                created == null ? null : created.toInstant());
    }
}
