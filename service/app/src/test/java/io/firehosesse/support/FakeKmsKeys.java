package io.firehosesse.support;

import io.firehosesse.encryption.KmsKeys;
import io.firehosesse.encryption.KmsResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A KMS that knows only the keys a unit test gives it, for the aggregate's synchronous DescribeKey.
 * The real adapters are tested against the contract in {@code KmsKeysContract}.
 */
public final class FakeKmsKeys implements KmsKeys {

    private final Map<String, KeyDescription> keys = new HashMap<>();
    private boolean reachable = true;

    public FakeKmsKeys withKey(String reference, String keyArn) {
        keys.put(reference, new KeyDescription(keyArn, keyArn.substring(keyArn.lastIndexOf('/') + 1), "SYMMETRIC_DEFAULT",
                "ENCRYPT_DECRYPT", "Enabled", true, "CUSTOMER"));
        return this;
    }

    public FakeKmsKeys unreachable() {
        reachable = false;
        return this;
    }

    @Override
    public KmsResult<KeyDescription> describeKey(OnBehalfOf caller, String keyId) {
        if (!reachable) {
            return KmsResult.failed(KmsResult.KmsError.UNREACHABLE, "Connection refused");
        }
        KeyDescription key = keys.get(keyId);
        return key != null ? KmsResult.ok(key) : KmsResult.failed("NotFoundException", "Key '" + keyId + "' does not exist");
    }

    @Override
    public KmsResult<CreatedGrant> createGrant(OnBehalfOf caller, GrantRequest request) {
        throw new UnsupportedOperationException("the aggregate never creates grants");
    }

    @Override
    public KmsResult<Void> retireGrant(OnBehalfOf caller, String keyId, String grantId) {
        throw new UnsupportedOperationException("the aggregate never retires grants");
    }

    @Override
    public KmsResult<Void> revokeGrant(OnBehalfOf caller, String keyId, String grantId) {
        throw new UnsupportedOperationException("the aggregate never revokes grants");
    }

    @Override
    public KmsResult<List<GrantEntry>> listGrants(OnBehalfOf caller, String keyId) {
        throw new UnsupportedOperationException("the aggregate never lists grants");
    }

    @Override
    public KmsResult<DataKey> generateDataKey(OnBehalfOf caller, String keyId, Map<String, String> encryptionContext) {
        throw new UnsupportedOperationException("the aggregate never makes data keys");
    }

    @Override
    public KmsResult<DataKey> generateDataKeyAsGrantee(Grantee grantee, String keyId, Map<String, String> encryptionContext) {
        throw new UnsupportedOperationException("the aggregate never makes data keys");
    }

    @Override
    public KmsResult<byte[]> decrypt(OnBehalfOf caller, byte[] ciphertextBlob, Map<String, String> encryptionContext) {
        throw new UnsupportedOperationException("the aggregate never decrypts");
    }
}
