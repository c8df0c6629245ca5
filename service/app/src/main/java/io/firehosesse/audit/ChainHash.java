package io.firehosesse.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The link rule of the audit chain: a row's hash is SHA-256, in lower-case hex, over the previous row's hash,
 * a line feed and the row's record text in UTF-8. The first row's previous hash is {@link #GENESIS}. Anyone
 * can check a chain with this rule and {@code sha256sum}; nothing else is secret or implied.
 */
final class ChainHash {

    static final String GENESIS = "0".repeat(64);

    private ChainHash() {
    }

    static String link(String previousHash, String record) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest((previousHash + "\n" + record).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
