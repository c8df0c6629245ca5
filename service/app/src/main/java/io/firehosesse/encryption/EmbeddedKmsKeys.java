package io.firehosesse.encryption;

import io.firehosesse.kms.EmbeddedKms;
import io.firehosesse.kms.KmsCaller;
import io.firehosesse.kms.KmsException;
import io.firehosesse.kms.KmsKey;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The port on the embedded KMS, in-process. Calls are made as Firehose acting for the stream's caller
 * ({@code kms:ViaService} = {@code firehose.<region>.amazonaws.com}), so key policies that deny Firehose
 * deny these calls.
 */
public class EmbeddedKmsKeys implements KmsKeys {

    private static final int ALL_GRANTS = 10_000;

    private final EmbeddedKms kms;

    public EmbeddedKmsKeys(EmbeddedKms kms) {
        this.kms = kms;
    }

    @Override
    public KmsResult<KeyDescription> describeKey(OnBehalfOf caller, String keyId) {
        return call(() -> {
            KmsKey key = kms.describe(firehose(caller), keyId);
            return new KeyDescription(key.arn(), key.keyId(), key.keySpec(), key.keyUsage(), key.state().name(),
                    key.enabled(), key.awsOwned() ? "AWS" : "CUSTOMER");
        });
    }

    @Override
    public KmsResult<CreatedGrant> createGrant(OnBehalfOf caller, GrantRequest request) {
        return call(() -> {
            EmbeddedKms.IssuedGrant grant = kms.createGrant(firehose(caller), new EmbeddedKms.NewGrant(request.keyId(),
                    request.granteePrincipal(), request.retiringPrincipal(), request.operations(),
                    request.encryptionContextSubset() == null ? null
                            : Map.of("EncryptionContextSubset", request.encryptionContextSubset()),
                    request.name()));
            return new CreatedGrant(grant.grantId(), grant.grantToken());
        });
    }

    @Override
    public KmsResult<Void> retireGrant(OnBehalfOf caller, String keyId, String grantId) {
        return call(() -> {
            kms.retireGrant(firehose(caller), null, keyId, grantId);
            return null;
        });
    }

    @Override
    public KmsResult<Void> revokeGrant(OnBehalfOf caller, String keyId, String grantId) {
        return call(() -> {
            kms.revokeGrant(firehose(caller), keyId, grantId);
            return null;
        });
    }

    @Override
    public KmsResult<List<GrantEntry>> listGrants(OnBehalfOf caller, String keyId) {
        return call(() -> kms.listGrants(firehose(caller), keyId, null, null, null, ALL_GRANTS).stream()
                .map(g -> new GrantEntry(g.grantId(), g.keyArn(), g.name(), g.granteePrincipal(), g.retiringPrincipal(),
                        g.operations()))
                .toList());
    }

    @Override
    public KmsResult<DataKey> generateDataKey(OnBehalfOf caller, String keyId, Map<String, String> encryptionContext) {
        return call(() -> {
            EmbeddedKms.DataKey key = kms.generateDataKey(firehose(caller), keyId, encryptionContext, 32);
            return new DataKey(key.keyArn(), key.plaintext(), key.ciphertextBlob());
        });
    }

    @Override
    public KmsResult<DataKey> generateDataKeyAsGrantee(Grantee grantee, String keyId, Map<String, String> encryptionContext) {
        return call(() -> {
            EmbeddedKms.DataKey key = kms.generateDataKeyAsGrantee(grantee.accountId(), grantee.region(), grantee.principal(),
                    keyId, encryptionContext, 32);
            return new DataKey(key.keyArn(), key.plaintext(), key.ciphertextBlob());
        });
    }

    @Override
    public KmsResult<byte[]> decrypt(OnBehalfOf caller, byte[] ciphertextBlob, Map<String, String> encryptionContext) {
        return call(() -> kms.decrypt(firehose(caller), ciphertextBlob, encryptionContext, null).plaintext());
    }

    private static KmsCaller firehose(OnBehalfOf caller) {
        return KmsCaller.viaFirehose(caller.accountId(), caller.region(), caller.principalArn());
    }

    private static <T> KmsResult<T> call(Supplier<T> work) {
        try {
            return KmsResult.ok(work.get());
        } catch (KmsException refused) {
            return KmsResult.failed(refused.errorName(), refused.getMessage());
        }
    }
}
