package io.firehosesse.kms;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code kms_alias} table. */
@Component
class KmsAliasStore {

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

    List<KmsAlias> list(String accountId, String region, String keyId, String afterName, int limit) {
        return jdbc.sql("""
                        SELECT * FROM kms_alias
                         WHERE account_id = :account AND region = :region
                           AND (CAST(:key AS varchar) IS NULL OR target_key_id = :key)
                           AND (CAST(:after AS varchar) IS NULL OR alias_name > :after)
                         ORDER BY alias_name LIMIT :limit
                        """)
                .param("account", accountId)
                .param("region", region)
                .param("key", keyId)
                .param("after", afterName)
                .param("limit", limit)
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
        return new KmsAlias(name, KmsArns.aliasArn(accountId, region, name), rs.getString("target_key_id"),
                rs.getTimestamp("creation_date").toInstant());
    }
}
