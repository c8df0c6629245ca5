package io.firehosesse.kms;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code kms_import_parameters} table: each key's latest wrapping key and import token. */
@Component
class KmsImportParametersStore {

    /** A wrapping key pair's private half (wrapped by the master key) and the digest of the token issued with it. */
    record Parameters(String wrappingAlgorithm, String wrappingKeySpec, byte[] wrappedPrivateKey, byte[] tokenDigest,
                      Instant validTo) {
    }

    private final JdbcClient jdbc;

    KmsImportParametersStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Replaces the key's parameters: a new GetParametersForImport makes the earlier token and wrapping key useless. */
    void put(String keyId, Parameters parameters) {
        jdbc.sql("""
                        INSERT INTO kms_import_parameters (key_id, wrapping_algorithm, wrapping_key_spec, wrapped_private_key,
                            token_digest, valid_to)
                        VALUES (:key, :algorithm, :spec, :privateKey, :digest, :validTo)
                        ON CONFLICT (key_id) DO UPDATE SET wrapping_algorithm = EXCLUDED.wrapping_algorithm,
                            wrapping_key_spec = EXCLUDED.wrapping_key_spec, wrapped_private_key = EXCLUDED.wrapped_private_key,
                            token_digest = EXCLUDED.token_digest, valid_to = EXCLUDED.valid_to
                        """)
                .param("key", keyId)
                .param("algorithm", parameters.wrappingAlgorithm())
                .param("spec", parameters.wrappingKeySpec())
                .param("privateKey", parameters.wrappedPrivateKey())
                .param("digest", parameters.tokenDigest())
                .param("validTo", Timestamp.from(parameters.validTo()))
                .update();
    }

    Optional<Parameters> find(String keyId) {
        return jdbc.sql("SELECT * FROM kms_import_parameters WHERE key_id = :key")
                .param("key", keyId)
                .query((rs, row) -> new Parameters(rs.getString("wrapping_algorithm"), rs.getString("wrapping_key_spec"),
                        rs.getBytes("wrapped_private_key"), rs.getBytes("token_digest"),
                        rs.getTimestamp("valid_to").toInstant()))
                .optional();
    }
}
