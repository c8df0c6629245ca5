package io.firehosesse.kms;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Refuses to serve with a master key that does not open the keys already in the database. Every instance on one
 * database must have the same master key; one started with another (a volume not shared, a key file created
 * anew) would otherwise answer until the first call that needs a stored key, and then fail that call.
 */
@Component
class MasterKeyCheck implements ApplicationRunner {

    private final JdbcClient jdbc;
    private final MasterKey masterKey;

    MasterKeyCheck(JdbcClient jdbc, MasterKey masterKey) {
        this.jdbc = jdbc;
        this.masterKey = masterKey;
    }

    @Override
    public void run(ApplicationArguments args) {
        jdbc.sql("SELECT arn, wrapped_material FROM kms_key WHERE wrapped_material IS NOT NULL ORDER BY creation_date LIMIT 1")
                .query((rs, row) -> {
                    try {
                        String arn = rs.getString("arn");
                        masterKey.unwrap(rs.getBytes("wrapped_material"), arn.substring(arn.indexOf(":key/") + ":key/".length()));
                    } catch (IllegalStateException wrongKey) {
                        throw new IllegalStateException("The KMS master key does not open " + rs.getString("arn")
                                + ", a key stored in this database. Every instance on one database needs the same master"
                                + " key: the same firehose.kms.master-key, or the same firehose.kms.master-key-file.", wrongKey);
                    }
                    return null;
                })
                .list();
    }
}
