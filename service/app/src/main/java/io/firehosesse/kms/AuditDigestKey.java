package io.firehosesse.kms;

import io.firehosesse.audit.DigestSigner;
import io.firehosesse.system.FirehoseProperties;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The key that signs audit digests: an ECC_NIST_P256 SIGN_VERIFY key of the embedded KMS in the service's own account
 * and default region, found by its alias and made on first use. A key like any other, so {@code aws kms
 * get-public-key --key-id alias/firehose-sse/audit-digests} exports its public half and its private half is stored
 * only wrapped by the master key, which is not in the database. Made in the digest writer's transaction, under its
 * lock, so two instances never make two.
 *
 * <p>Visible to the account's callers, on purpose: hiding it would not protect it (the database holds it either way),
 * and an operator should see what signs the digests. Whoever disables it or points the alias elsewhere stops the
 * digests (logged at each try) or has them signed by a key the verifier's public key refuses: both show.
 */
@Component
class AuditDigestKey implements DigestSigner {

    static final String ALIAS = "alias/firehose-sse/audit-digests";
    static final String SIGNING_ALGORITHM = "ECDSA_SHA_256";

    private final EmbeddedKms kms;
    private final KmsCaller service;

    AuditDigestKey(EmbeddedKms kms, FirehoseProperties properties) {
        this.kms = kms;
        // The account's root: the default key policy allows it everything, as for a key an administrator made.
        this.service = KmsCaller.direct(properties.accountId(), properties.defaultRegion(), null);
    }

    @Override
    public Signed sign(byte[] sha256) {
        ensureKey();
        EmbeddedKms.Signed signed = kms.sign(service, ALIAS, sha256, "DIGEST", SIGNING_ALGORITHM);
        return new Signed(signed.keyArn(), signed.signingAlgorithm(), signed.signature());
    }

    @Override
    public byte[] publicKey() {
        ensureKey();
        return kms.publicKey(service, ALIAS).subjectPublicKeyInfo();
    }

    private void ensureKey() {
        try {
            kms.describe(service, ALIAS);
        } catch (KmsException e) {
            if (!"NotFoundException".equals(e.errorName())) {
                throw e;
            }
            KmsKey key = kms.create(service, new EmbeddedKms.NewKey("Signs the audit trail's digests (firehose-sse)",
                    "ECC_NIST_P256", "SIGN_VERIFY", null, List.of()));
            kms.createAlias(service, ALIAS, key.keyId());
        }
    }
}
