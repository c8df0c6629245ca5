package io.firehosesse.kms;

import io.firehosesse.api.AwsPartitions;
import io.firehosesse.audit.DigestSigner;
import io.firehosesse.platform.PlatformProperties;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The key that signs audit digests: an ECC_NIST_P256 SIGN_VERIFY key of the embedded KMS in the service's own account
 * and default region, found by its alias and made on first use. A key like any other, so {@code aws kms
 * get-public-key --key-id alias/firehose-sse/audit-digests} exports its public half and its private half is stored
 * only wrapped by the master key, which is not in the database. Made in the digest writer's transaction, under its
 * lock, so two instances never make two.
 *
 * <p>Its key policy lets only the service sign with it (as the service principal {@value #SIGNER}, which no caller on
 * the wire can be): the account may read, use for Verify and manage it, but not Sign, not change the policy, not
 * grant. Otherwise any caller of the account (in open mode, anyone who reaches the port) could sign a forged digest
 * with {@code aws kms sign}. Made with the policy lockout check bypassed, since no caller may change the policy; that
 * is the point.
 *
 * <p>Visible to the account's callers, on purpose: hiding it would not protect it (the database holds it either way),
 * and an operator should see what signs the digests. Whoever disables it or points the alias elsewhere stops the
 * digests (logged at each try) or has them signed by a key the verifier's public key refuses: both show.
 */
@Component
class AuditDigestKey implements DigestSigner {

    static final String ALIAS = "alias/firehose-sse/audit-digests";
    static final String SIGNING_ALGORITHM = "ECDSA_SHA_256";
    /** The service principal the digest writer signs as; callers on the wire are always direct callers. */
    static final String SIGNER = "audit-digests.firehose-sse.internal";

    private final EmbeddedKms kms;
    private final KmsCaller account;
    private final KmsCaller signer;

    AuditDigestKey(EmbeddedKms kms, PlatformProperties properties) {
        this.kms = kms;
        this.account = KmsCaller.direct(properties.accountId(), properties.defaultRegion(), null);
        this.signer = KmsCaller.service(properties.accountId(), properties.defaultRegion(), SIGNER);
    }

    static String policy(String accountId, String region) {
        return """
                {"Version":"2012-10-17","Id":"firehose-sse-audit-digests","Statement":[\
                {"Sid":"The account reads, verifies and manages; it does not sign, change this policy or grant",\
                "Effect":"Allow","Principal":{"AWS":"arn:%s:iam::%s:root"},\
                "NotAction":["kms:Sign","kms:PutKeyPolicy","kms:CreateGrant"],"Resource":"*"},\
                {"Sid":"Only the service signs audit digests","Effect":"Allow","Principal":{"Service":"%s"},\
                "Action":["kms:Sign","kms:DescribeKey","kms:GetPublicKey"],"Resource":"*"}]}\
                """.formatted(AwsPartitions.of(region), accountId, SIGNER);
    }

    @Override
    public Signed sign(byte[] sha256) {
        ensureKey();
        EmbeddedKms.Signed signed = kms.sign(signer, ALIAS, sha256, "DIGEST", SIGNING_ALGORITHM);
        return new Signed(signed.keyArn(), signed.signingAlgorithm(), signed.signature());
    }

    @Override
    public byte[] publicKey() {
        ensureKey();
        return kms.publicKey(account, ALIAS).subjectPublicKeyInfo();
    }

    private void ensureKey() {
        try {
            kms.describe(account, ALIAS);
        } catch (KmsException e) {
            if (!"NotFoundException".equals(e.errorName())) {
                throw e;
            }
            KmsKey key = kms.create(account, new EmbeddedKms.NewKey("Signs the audit trail's digests (firehose-sse)",
                    "ECC_NIST_P256", "SIGN_VERIFY", policy(account.accountId(), account.region()), List.of(), null, null,
                    null, false, true));
            kms.createAlias(account, ALIAS, key.keyId());
        }
    }
}
