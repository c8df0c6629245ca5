package io.firehosesse.kms;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A grant on a key.
 *
 * @param constraints {@code EncryptionContextSubset} / {@code EncryptionContextEquals}, each a map, or null
 */
public record KmsGrant(String grantId, String keyId, String keyArn, String name, String granteePrincipal,
                       String retiringPrincipal, List<String> operations, Map<String, Map<String, String>> constraints,
                       String issuingAccount, Instant creationDate) {
}
