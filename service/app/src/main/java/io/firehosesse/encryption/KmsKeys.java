package io.firehosesse.encryption;

import java.util.List;
import java.util.Map;

/**
 * Everything Firehose needs from KMS, and nothing more. Two adapters implement it and pass the same
 * contract tests: the embedded KMS in-process (the default) and the AWS SDK's {@code KmsClient} for an
 * external KMS ({@code firehose.kms.endpoint}). Refusals come back as {@link KmsResult.Failed} carrying
 * KMS's own error name, never as exceptions to parse.
 */
public interface KmsKeys {

    KmsResult<KeyDescription> describeKey(OnBehalfOf caller, String keyId);

    KmsResult<CreatedGrant> createGrant(OnBehalfOf caller, GrantRequest request);

    KmsResult<Void> retireGrant(OnBehalfOf caller, String keyId, String grantId);

    KmsResult<Void> revokeGrant(OnBehalfOf caller, String keyId, String grantId);

    KmsResult<List<GrantEntry>> listGrants(OnBehalfOf caller, String keyId);

    KmsResult<DataKey> generateDataKey(OnBehalfOf caller, String keyId, Map<String, String> encryptionContext);

    /**
     * A data key asked for by the grantee of a grant on the key, on its own behalf, under {@code encryptionContext}
     * (which must meet the grant's constraints): how Firehose seals a stream's records under a customer managed key, so
     * that they are sealed only while its grant is there. The embedded KMS answers it by the grant alone; an external
     * KMS is called with the service's own credentials (it cannot act as an AWS service principal), as
     * {@link #generateDataKey} is.
     */
    KmsResult<DataKey> generateDataKeyAsGrantee(Grantee grantee, String keyId, Map<String, String> encryptionContext);

    KmsResult<byte[]> decrypt(OnBehalfOf caller, byte[] ciphertextBlob, Map<String, String> encryptionContext);

    /** The account, region and principal a stream's KMS work is done for. */
    record OnBehalfOf(String accountId, String region, String principalArn) {
    }

    /** The grantee principal of a grant (e.g. {@code firehose.amazonaws.com}), calling in an account and region. */
    record Grantee(String accountId, String region, String principal) {
    }

    record KeyDescription(String keyArn, String keyId, String keySpec, String keyUsage, String keyState, boolean enabled,
                          String keyManager) {
    }

    /** A grant to create; {@code encryptionContextSubset} may be null. */
    record GrantRequest(String keyId, String granteePrincipal, String retiringPrincipal, List<String> operations,
                        Map<String, String> encryptionContextSubset, String name) {
    }

    record CreatedGrant(String grantId, String grantToken) {
    }

    record GrantEntry(String grantId, String keyArn, String name, String granteePrincipal, String retiringPrincipal,
                      List<String> operations) {
    }

    /** A fresh 256-bit data key: the plaintext for use in memory, the blob KMS wrapped it into for storage. */
    record DataKey(String keyArn, byte[] plaintext, byte[] ciphertextBlob) {
    }
}
