package io.firehosesse.auth;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Finds the credential behind an access key id: the credentials file first, then credentials STS issued. */
@Component
public class CredentialStore {

    private static final Logger log = LoggerFactory.getLogger(CredentialStore.class);

    private final CredentialsFile file;
    private final JdbcClient jdbc;

    CredentialStore(AuthProperties properties, JdbcClient jdbc) {
        this.jdbc = jdbc;
        if (properties.open()) {
            this.file = new CredentialsFile(java.util.Map.of(), java.util.List.of());
            log.warn("Open mode: no firehose.auth.credentials-file, so signatures are not verified, every caller"
                    + " is recorded as unverified and /api (admin routes included) answers anyone");
        } else {
            this.file = CredentialsFile.load(Path.of(properties.credentialsFile()));
            log.info("Verifying SigV4 signatures on the wire and on /api against {} credentials ({} admin) from {}",
                    file.credentials().size(), file.credentials().values().stream().filter(Credential::admin).count(),
                    properties.credentialsFile());
        }
    }

    public Optional<Credential> find(String accessKeyId) {
        Credential listed = file.credentials().get(accessKeyId);
        if (listed != null) {
            return Optional.of(listed);
        }
        if (!accessKeyId.startsWith("ASIA")) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT * FROM sts_credential WHERE access_key_id = :id").param("id", accessKeyId)
                .query((rs, row) -> new Credential(rs.getString("access_key_id"), rs.getString("secret_access_key"),
                        rs.getString("account_id"), rs.getString("principal_arn"), rs.getString("session_token"),
                        rs.getTimestamp("issued_at").toInstant(), rs.getTimestamp("expires_at").toInstant()))
                .optional();
    }

    /**
     * Whether the key may call the admin routes: only a key the credentials file lists with {@code admin: true}. A
     * session STS issued is never admin, even one derived from an admin's key: admin work is done with the key the
     * operator listed, and a leaked session token cannot rebuild or empty the service.
     */
    public boolean admin(String accessKeyId) {
        Credential listed = accessKeyId == null ? null : file.credentials().get(accessKeyId);
        return listed != null && listed.admin();
    }

    public boolean roleExists(String roleArn) {
        return file.roleArns().contains(roleArn);
    }

    public void saveIssued(Credential issued, String sourceKeyId) {
        jdbc.sql("""
                        INSERT INTO sts_credential (access_key_id, secret_access_key, session_token, account_id, principal_arn,
                            source_key_id, issued_at, expires_at)
                        VALUES (:id, :secret, :token, :account, :principal, :source, :issued, :expires)
                        """)
                .param("id", issued.accessKeyId()).param("secret", issued.secretAccessKey())
                .param("token", issued.sessionToken()).param("account", issued.accountId())
                .param("principal", issued.principalArn()).param("source", sourceKeyId)
                .param("issued", Timestamp.from(issued.issuedAt())).param("expires", Timestamp.from(issued.expiresAt()))
                .update();
    }
}
