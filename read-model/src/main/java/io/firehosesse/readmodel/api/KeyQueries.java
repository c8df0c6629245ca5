package io.firehosesse.readmodel.api;

import io.firehosesse.api.deliverystream.EncryptionRules;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Which streams use a customer managed key, against the most one key may serve. */
@RestController
@RequestMapping("/api/keys")
class KeyQueries {

    private final JdbcClient jdbc;

    KeyQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record KeyStream(String name, String arn, String encryptionStatus) {
    }

    record KeyUsage(String keyArn, int count, int limit, List<KeyStream> streams) {
    }

    /** The key ARN as resolved by KMS (an alias is counted under its key), URL-encoded in the path. */
    @GetMapping("/{keyArn}/delivery-streams")
    KeyUsage streams(@PathVariable String keyArn) {
        if (!keyArn.matches("arn:[a-z-]+:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+")) {
            throw new BadParameterException("keyArn", "keyArn must be a KMS key ARN (aliases are counted under their key).");
        }
        // A caller counts only its own account's streams: another account's use of a key (a key shared through its
        // policy) is that account's business, and a key of another account shows no streams at all.
        ApiCaller caller = ApiCaller.current();
        List<KeyStream> streams = jdbc.sql("""
                        SELECT v.name, v.arn, v.encryption_status FROM customer_key_usage u
                          JOIN delivery_stream_view v ON v.stream_id = u.stream_id
                         WHERE u.key_arn = :key AND (CAST(:account AS varchar) IS NULL OR v.account_id = :account)
                         ORDER BY v.name
                        """)
                .param("key", keyArn).param("account", caller.anyAccount() ? null : caller.accountId())
                .query((rs, row) -> new KeyStream(rs.getString("name"), rs.getString("arn"), rs.getString("encryption_status")))
                .list();
        return new KeyUsage(keyArn, streams.size(), EncryptionRules.STREAMS_PER_CUSTOMER_KEY, streams);
    }
}
