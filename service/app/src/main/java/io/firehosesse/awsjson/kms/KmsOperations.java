package io.firehosesse.awsjson.kms;

import io.firehosesse.awsjson.AwsOperation;
import io.firehosesse.awsjson.AwsOperations;
import io.firehosesse.awsjson.kms.KmsShapes.AliasListEntry;
import io.firehosesse.awsjson.kms.KmsShapes.CancelKeyDeletionResponse;
import io.firehosesse.awsjson.kms.KmsShapes.CreateAliasRequest;
import io.firehosesse.awsjson.kms.KmsShapes.CreateGrantRequest;
import io.firehosesse.awsjson.kms.KmsShapes.CreateGrantResponse;
import io.firehosesse.awsjson.kms.KmsShapes.CreateKeyRequest;
import io.firehosesse.awsjson.kms.KmsShapes.DecryptRequest;
import io.firehosesse.awsjson.kms.KmsShapes.DecryptResponse;
import io.firehosesse.awsjson.kms.KmsShapes.DeleteAliasRequest;
import io.firehosesse.awsjson.kms.KmsShapes.EmptyResponse;
import io.firehosesse.awsjson.kms.KmsShapes.EncryptRequest;
import io.firehosesse.awsjson.kms.KmsShapes.EncryptResponse;
import io.firehosesse.awsjson.kms.KmsShapes.GenerateDataKeyRequest;
import io.firehosesse.awsjson.kms.KmsShapes.GenerateDataKeyPairRequest;
import io.firehosesse.awsjson.kms.KmsShapes.GenerateDataKeyPairResponse;
import io.firehosesse.awsjson.kms.KmsShapes.GenerateDataKeyResponse;
import io.firehosesse.awsjson.kms.KmsShapes.GenerateDataKeyWithoutPlaintextResponse;
import io.firehosesse.awsjson.kms.KmsShapes.GenerateMacRequest;
import io.firehosesse.awsjson.kms.KmsShapes.GenerateMacResponse;
import io.firehosesse.awsjson.kms.KmsShapes.GenerateRandomRequest;
import io.firehosesse.awsjson.kms.KmsShapes.GenerateRandomResponse;
import io.firehosesse.awsjson.kms.KmsShapes.GetPublicKeyResponse;
import io.firehosesse.awsjson.kms.KmsShapes.ReEncryptRequest;
import io.firehosesse.awsjson.kms.KmsShapes.ReEncryptResponse;
import io.firehosesse.awsjson.kms.KmsShapes.SignRequest;
import io.firehosesse.awsjson.kms.KmsShapes.SignResponse;
import io.firehosesse.awsjson.kms.KmsShapes.VerifyMacRequest;
import io.firehosesse.awsjson.kms.KmsShapes.VerifyMacResponse;
import io.firehosesse.awsjson.kms.KmsShapes.VerifyRequest;
import io.firehosesse.awsjson.kms.KmsShapes.VerifyResponse;
import io.firehosesse.awsjson.kms.KmsShapes.GetKeyPolicyRequest;
import io.firehosesse.awsjson.kms.KmsShapes.GetKeyPolicyResponse;
import io.firehosesse.awsjson.kms.KmsShapes.GrantListEntry;
import io.firehosesse.awsjson.kms.KmsShapes.KeyIdRequest;
import io.firehosesse.awsjson.kms.KmsShapes.KeyListEntry;
import io.firehosesse.awsjson.kms.KmsShapes.KeyMetadata;
import io.firehosesse.awsjson.kms.KmsShapes.KeyMetadataResponse;
import io.firehosesse.awsjson.kms.KmsShapes.ListAliasesRequest;
import io.firehosesse.awsjson.kms.KmsShapes.ListAliasesResponse;
import io.firehosesse.awsjson.kms.KmsShapes.ListGrantsRequest;
import io.firehosesse.awsjson.kms.KmsShapes.ListGrantsResponse;
import io.firehosesse.awsjson.kms.KmsShapes.ListKeysRequest;
import io.firehosesse.awsjson.kms.KmsShapes.ListKeysResponse;
import io.firehosesse.awsjson.kms.KmsShapes.ListRetirableGrantsRequest;
import io.firehosesse.awsjson.kms.KmsShapes.PutKeyPolicyRequest;
import io.firehosesse.awsjson.kms.KmsShapes.RetireGrantRequest;
import io.firehosesse.awsjson.kms.KmsShapes.RevokeGrantRequest;
import io.firehosesse.awsjson.kms.KmsShapes.ScheduleKeyDeletionRequest;
import io.firehosesse.awsjson.kms.KmsShapes.ScheduleKeyDeletionResponse;
import io.firehosesse.awsjson.kms.KmsShapes.ListKeyPoliciesRequest;
import io.firehosesse.awsjson.kms.KmsShapes.ListKeyPoliciesResponse;
import io.firehosesse.awsjson.kms.KmsShapes.ListResourceTagsRequest;
import io.firehosesse.awsjson.kms.KmsShapes.ListResourceTagsResponse;
import io.firehosesse.awsjson.kms.KmsShapes.Tag;
import io.firehosesse.awsjson.kms.KmsShapes.TagResourceRequest;
import io.firehosesse.awsjson.kms.KmsShapes.UntagResourceRequest;
import io.firehosesse.awsjson.kms.KmsShapes.UpdateAliasRequest;
import io.firehosesse.awsjson.kms.KmsShapes.UpdateKeyDescriptionRequest;
import io.firehosesse.kms.KmsTag;
import io.firehosesse.awsjson.kms.KmsShapes.EnableKeyRotationRequest;
import io.firehosesse.awsjson.kms.KmsShapes.GetKeyRotationStatusResponse;
import io.firehosesse.awsjson.kms.KmsShapes.ListKeyRotationsRequest;
import io.firehosesse.awsjson.kms.KmsShapes.ListKeyRotationsResponse;
import io.firehosesse.awsjson.kms.KmsShapes.RotateKeyOnDemandResponse;
import io.firehosesse.awsjson.kms.KmsShapes.RotationsListEntry;
import io.firehosesse.kms.EmbeddedKms;
import io.firehosesse.kms.KmsCaller;
import io.firehosesse.kms.KmsException;
import io.firehosesse.kms.KmsGrant;
import io.firehosesse.kms.KmsKey;
import io.firehosesse.kms.KmsKeySpec;
import io.firehosesse.auth.Caller;
import java.util.List;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/** The embedded KMS on the wire: {@code X-Amz-Target: TrentService.<Operation>}. */
@Component
class KmsOperations implements AwsOperations {

    private static final String PREFIX = "TrentService.";
    private static final int DEFAULT_LIST_LIMIT = 100;
    private static final int DEFAULT_GRANT_LIMIT = 50;
    private static final int DEFAULT_TAG_LIMIT = 50;
    private static final int DEFAULT_ROTATION_LIMIT = 100;

    private final EmbeddedKms kms;

    KmsOperations(EmbeddedKms kms) {
        this.kms = kms;
    }

    @Override
    public List<AwsOperation<?>> operations() {
        return List.of(
                AwsOperation.of(PREFIX + "CreateKey", CreateKeyRequest.class, this::createKey),
                AwsOperation.of(PREFIX + "DescribeKey", KeyIdRequest.class, (in, caller) ->
                        new KeyMetadataResponse(metadata(kms.describe(kmsCaller(caller), in.keyId())))),
                AwsOperation.of(PREFIX + "ListKeys", ListKeysRequest.class, this::listKeys),
                AwsOperation.of(PREFIX + "EnableKey", KeyIdRequest.class, (in, caller) -> {
                    kms.enable(kmsCaller(caller), idOnly(in.keyId()));
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "DisableKey", KeyIdRequest.class, (in, caller) -> {
                    kms.disable(kmsCaller(caller), idOnly(in.keyId()));
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "ScheduleKeyDeletion", ScheduleKeyDeletionRequest.class, (in, caller) -> {
                    // The window is checked before the key reference, as KMS validates the request first.
                    EmbeddedKms.requirePendingWindow(in.pendingWindowInDays());
                    KmsKey key = kms.scheduleDeletion(kmsCaller(caller), idOnly(in.keyId()), in.pendingWindowInDays());
                    return new ScheduleKeyDeletionResponse(key.arn(), key.deletionDate(), key.state().name(),
                            key.pendingWindowDays());
                }),
                AwsOperation.of(PREFIX + "CancelKeyDeletion", KeyIdRequest.class, (in, caller) ->
                        new CancelKeyDeletionResponse(kms.cancelDeletion(kmsCaller(caller), idOnly(in.keyId())).arn())),
                AwsOperation.of(PREFIX + "GetKeyPolicy", GetKeyPolicyRequest.class, (in, caller) ->
                        new GetKeyPolicyResponse(kms.getPolicy(kmsCaller(caller), idOnly(in.keyId()), in.policyName()), "default")),
                AwsOperation.of(PREFIX + "PutKeyPolicy", PutKeyPolicyRequest.class, (in, caller) -> {
                    kms.putPolicy(kmsCaller(caller), idOnly(in.keyId()), in.policyName(), in.policy(),
                            Boolean.TRUE.equals(in.bypassPolicyLockoutSafetyCheck()));
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "ListKeyPolicies", ListKeyPoliciesRequest.class, (in, caller) ->
                        // One policy per key, so there is never a second page.
                        new ListKeyPoliciesResponse(kms.listPolicies(kmsCaller(caller), idOnly(in.keyId())), null, false)),
                AwsOperation.of(PREFIX + "UpdateKeyDescription", UpdateKeyDescriptionRequest.class, (in, caller) -> {
                    kms.updateDescription(kmsCaller(caller), idOnly(in.keyId()), in.description());
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "TagResource", TagResourceRequest.class, (in, caller) -> {
                    kms.tag(kmsCaller(caller), idOnly(in.keyId()), EmbeddedKms.toTags(in.tags()));
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "UntagResource", UntagResourceRequest.class, (in, caller) -> {
                    kms.untag(kmsCaller(caller), idOnly(in.keyId()), in.tagKeys());
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "ListResourceTags", ListResourceTagsRequest.class, this::listResourceTags),
                AwsOperation.of(PREFIX + "EnableKeyRotation", EnableKeyRotationRequest.class, (in, caller) -> {
                    kms.enableRotation(kmsCaller(caller), idOnly(in.keyId()), in.rotationPeriodInDays());
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "DisableKeyRotation", KeyIdRequest.class, (in, caller) -> {
                    kms.disableRotation(kmsCaller(caller), idOnly(in.keyId()));
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "GetKeyRotationStatus", KeyIdRequest.class, (in, caller) -> {
                    EmbeddedKms.RotationStatus status = kms.rotationStatus(kmsCaller(caller), idOnly(in.keyId()));
                    // An on-demand rotation completes within its call here, so none is ever in progress to report.
                    return new GetKeyRotationStatusResponse(status.enabled(), status.keyArn(), status.periodDays(),
                            status.nextRotationDate(), null);
                }),
                AwsOperation.of(PREFIX + "RotateKeyOnDemand", KeyIdRequest.class, (in, caller) ->
                        new RotateKeyOnDemandResponse(kms.rotateOnDemand(kmsCaller(caller), idOnly(in.keyId())))),
                AwsOperation.of(PREFIX + "ListKeyRotations", ListKeyRotationsRequest.class, this::listKeyRotations),
                AwsOperation.of(PREFIX + "CreateAlias", CreateAliasRequest.class, (in, caller) -> {
                    kms.createAlias(kmsCaller(caller), in.aliasName(), idOnly(in.targetKeyId()));
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "UpdateAlias", UpdateAliasRequest.class, (in, caller) -> {
                    kms.updateAlias(kmsCaller(caller), in.aliasName(), idOnly(in.targetKeyId()));
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "ListAliases", ListAliasesRequest.class, this::listAliases),
                AwsOperation.of(PREFIX + "DeleteAlias", DeleteAliasRequest.class, (in, caller) -> {
                    kms.deleteAlias(kmsCaller(caller), in.aliasName());
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "CreateGrant", CreateGrantRequest.class, this::createGrant),
                AwsOperation.of(PREFIX + "ListGrants", ListGrantsRequest.class, this::listGrants),
                AwsOperation.of(PREFIX + "ListRetirableGrants", ListRetirableGrantsRequest.class, this::listRetirableGrants),
                AwsOperation.of(PREFIX + "RetireGrant", RetireGrantRequest.class, (in, caller) -> {
                    refuseDryRun(in.dryRun());
                    kms.retireGrant(kmsCaller(caller), in.grantToken(), idOnly(in.keyId()), in.grantId());
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "RevokeGrant", RevokeGrantRequest.class, (in, caller) -> {
                    refuseDryRun(in.dryRun());
                    kms.revokeGrant(kmsCaller(caller), idOnly(in.keyId()), in.grantId());
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "GenerateDataKey", GenerateDataKeyRequest.class, this::generateDataKey),
                AwsOperation.of(PREFIX + "Encrypt", EncryptRequest.class, (in, caller) -> {
                    refuseDryRun(in.dryRun());
                    EmbeddedKms.Ciphertext sealed = kms.encrypt(kmsCaller(caller), in.keyId(), in.plaintext(),
                            in.encryptionContext(), in.encryptionAlgorithm());
                    return new EncryptResponse(sealed.ciphertextBlob(), sealed.keyArn(), sealed.encryptionAlgorithm());
                }),
                AwsOperation.of(PREFIX + "Decrypt", DecryptRequest.class, (in, caller) -> {
                    refuseDryRun(in.dryRun());
                    refuseRecipient(in.recipient());
                    if (in.ciphertextBlob() == null) {
                        throw new KmsException("ValidationException", "1 validation error detected: Value null at"
                                + " 'ciphertextBlob' failed to satisfy constraint: Member must not be null");
                    }
                    EmbeddedKms.Plaintext opened = kms.decrypt(kmsCaller(caller), in.ciphertextBlob(),
                            in.encryptionContext(), in.keyId(), in.encryptionAlgorithm());
                    return new DecryptResponse(opened.keyArn(), opened.plaintext(), opened.encryptionAlgorithm());
                }),
                AwsOperation.of(PREFIX + "GenerateDataKeyWithoutPlaintext", GenerateDataKeyRequest.class, (in, caller) -> {
                    refuseDryRun(in.dryRun());
                    EmbeddedKms.DataKey key = kms.generateDataKeyWithoutPlaintext(kmsCaller(caller), in.keyId(),
                            in.encryptionContext(), dataKeyBytes(in));
                    return new GenerateDataKeyWithoutPlaintextResponse(key.ciphertextBlob(), key.keyArn());
                }),
                AwsOperation.of(PREFIX + "ReEncrypt", ReEncryptRequest.class, (in, caller) -> {
                    refuseDryRun(in.dryRun());
                    if (in.ciphertextBlob() == null) {
                        throw new KmsException("ValidationException", "1 validation error detected: Value null at"
                                + " 'ciphertextBlob' failed to satisfy constraint: Member must not be null");
                    }
                    EmbeddedKms.ReEncrypted out = kms.reEncrypt(kmsCaller(caller), in.ciphertextBlob(),
                            in.sourceEncryptionContext(), in.sourceKeyId(), in.sourceEncryptionAlgorithm(),
                            in.destinationKeyId(), in.destinationEncryptionContext(), in.destinationEncryptionAlgorithm());
                    return new ReEncryptResponse(out.ciphertextBlob(), out.sourceKeyArn(), out.keyArn(),
                            out.sourceAlgorithm(), out.destinationAlgorithm());
                }),
                AwsOperation.of(PREFIX + "Sign", SignRequest.class, (in, caller) -> {
                    refuseDryRun(in.dryRun());
                    EmbeddedKms.Signed signed = kms.sign(kmsCaller(caller), in.keyId(), in.message(), in.messageType(),
                            in.signingAlgorithm());
                    return new SignResponse(signed.keyArn(), signed.signature(), signed.signingAlgorithm());
                }),
                AwsOperation.of(PREFIX + "Verify", VerifyRequest.class, (in, caller) -> {
                    refuseDryRun(in.dryRun());
                    String keyArn = kms.verify(kmsCaller(caller), in.keyId(), in.message(), in.messageType(),
                            in.signature(), in.signingAlgorithm());
                    return new VerifyResponse(keyArn, true, in.signingAlgorithm());
                }),
                AwsOperation.of(PREFIX + "GetPublicKey", KeyIdRequest.class, this::getPublicKey),
                AwsOperation.of(PREFIX + "GenerateMac", GenerateMacRequest.class, (in, caller) -> {
                    refuseDryRun(in.dryRun());
                    EmbeddedKms.MacResult mac = kms.generateMac(kmsCaller(caller), in.keyId(), in.message(),
                            in.macAlgorithm());
                    return new GenerateMacResponse(mac.mac(), in.macAlgorithm(), mac.keyArn());
                }),
                AwsOperation.of(PREFIX + "VerifyMac", VerifyMacRequest.class, (in, caller) -> {
                    refuseDryRun(in.dryRun());
                    String keyArn = kms.verifyMac(kmsCaller(caller), in.keyId(), in.message(), in.macAlgorithm(), in.mac());
                    return new VerifyMacResponse(keyArn, true, in.macAlgorithm());
                }),
                AwsOperation.of(PREFIX + "GenerateDataKeyPair", GenerateDataKeyPairRequest.class, (in, caller) -> {
                    refuseDryRun(in.dryRun());
                    refuseRecipient(in.recipient());
                    EmbeddedKms.DataKeyPair pair = kms.generateDataKeyPair(kmsCaller(caller), in.keyId(),
                            in.encryptionContext(), in.keyPairSpec());
                    return new GenerateDataKeyPairResponse(pair.privateKeyCiphertextBlob(), pair.privateKeyPlaintext(),
                            pair.publicKey(), pair.keyArn(), pair.keyPairSpec());
                }),
                AwsOperation.of(PREFIX + "GenerateDataKeyPairWithoutPlaintext", GenerateDataKeyPairRequest.class,
                        (in, caller) -> {
                    refuseDryRun(in.dryRun());
                    EmbeddedKms.DataKeyPair pair = kms.generateDataKeyPairWithoutPlaintext(kmsCaller(caller), in.keyId(),
                            in.encryptionContext(), in.keyPairSpec());
                    return new GenerateDataKeyPairResponse(pair.privateKeyCiphertextBlob(), null, pair.publicKey(),
                            pair.keyArn(), pair.keyPairSpec());
                }),
                AwsOperation.of(PREFIX + "DeriveSharedSecret", KmsShapes.DeriveSharedSecretRequest.class, (in, caller) -> {
                    refuseDryRun(in.dryRun());
                    refuseRecipient(in.recipient());
                    EmbeddedKms.SharedSecret secret = kms.deriveSharedSecret(kmsCaller(caller), in.keyId(),
                            in.keyAgreementAlgorithm(), in.publicKey());
                    return new KmsShapes.DeriveSharedSecretResponse(secret.keyArn(), secret.secret(),
                            in.keyAgreementAlgorithm(), secret.keyOrigin());
                }),
                AwsOperation.of(PREFIX + "GetParametersForImport", KmsShapes.GetParametersForImportRequest.class,
                        (in, caller) -> {
                    EmbeddedKms.ImportParameters parameters = kms.parametersForImport(kmsCaller(caller), idOnly(in.keyId()),
                            in.wrappingAlgorithm(), in.wrappingKeySpec());
                    return new KmsShapes.GetParametersForImportResponse(parameters.keyArn(), parameters.importToken(),
                            parameters.publicKey(), parameters.validTo());
                }),
                AwsOperation.of(PREFIX + "ImportKeyMaterial", KmsShapes.ImportKeyMaterialRequest.class, (in, caller) -> {
                    EmbeddedKms.ImportedMaterial imported = kms.importMaterial(kmsCaller(caller), idOnly(in.keyId()),
                            new EmbeddedKms.MaterialImport(in.importToken(), in.encryptedKeyMaterial(), timestamp(in.validTo()),
                                    in.expirationModel(), in.importType(), in.keyMaterialId()));
                    return new KmsShapes.ImportedKeyMaterialResponse(imported.keyArn(), imported.keyMaterialId());
                }),
                AwsOperation.of(PREFIX + "DeleteImportedKeyMaterial", KmsShapes.DeleteImportedKeyMaterialRequest.class,
                        (in, caller) -> {
                    EmbeddedKms.ImportedMaterial deleted = kms.deleteImportedMaterial(kmsCaller(caller), idOnly(in.keyId()),
                            in.keyMaterialId());
                    return new KmsShapes.ImportedKeyMaterialResponse(deleted.keyArn(), deleted.keyMaterialId());
                }),
                AwsOperation.of(PREFIX + "GetKeyLastUsage", KeyIdRequest.class, (in, caller) -> {
                    EmbeddedKms.LastUsage last = kms.lastUsage(kmsCaller(caller), idOnly(in.keyId()));
                    // KeyLastUsage is left out for a key not used since tracking began, as KMS leaves it empty.
                    return new KmsShapes.GetKeyLastUsageResponse(last.keyId(), last.operation() == null ? null
                            : new KmsShapes.KeyLastUsageData(last.operation(), last.usedAt(), null, last.requestId()),
                            last.trackingStartDate(), last.creationDate());
                }),
                AwsOperation.of(PREFIX + "ReplicateKey", KmsShapes.ReplicateKeyRequest.class, (in, caller) -> {
                    EmbeddedKms.Replica replica = kms.replicate(kmsCaller(caller), new EmbeddedKms.NewReplica(
                            idOnly(in.keyId()), in.replicaRegion(), in.policy(),
                            Boolean.TRUE.equals(in.bypassPolicyLockoutSafetyCheck()), in.description(), in.tags()));
                    return new KmsShapes.ReplicateKeyResponse(metadata(replica.key()), replica.key().policy(),
                            replica.tags().stream().map(t -> new Tag(t.tagKey(), t.tagValue())).toList());
                }),
                AwsOperation.of(PREFIX + "UpdatePrimaryRegion", KmsShapes.UpdatePrimaryRegionRequest.class, (in, caller) -> {
                    kms.updatePrimaryRegion(kmsCaller(caller), idOnly(in.keyId()), in.primaryRegion());
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "GenerateRandom", GenerateRandomRequest.class, (in, caller) -> {
                    if (in.customKeyStoreId() != null) {
                        throw new KmsException("CustomKeyStoreNotFoundException",
                                "Custom key store " + in.customKeyStoreId() + " does not exist.");
                    }
                    refuseRecipient(in.recipient());
                    if (in.numberOfBytes() == null) {
                        throw new KmsException("ValidationException", "1 validation error detected: Value null at"
                                + " 'numberOfBytes' failed to satisfy constraint: Member must not be null");
                    }
                    return new GenerateRandomResponse(kms.generateRandom(in.numberOfBytes()));
                }));
    }

    /** A KeyId of an operation that takes only key ids and key ARNs, as KMS documents for each. */
    private static String idOnly(String keyId) {
        EmbeddedKms.requireKeyIdOrArn(keyId);
        return keyId;
    }

    private static KmsCaller kmsCaller(Caller caller) {
        return KmsCaller.direct(caller.accountId(), caller.region(), caller.principal(), caller.sourceIp())
                .withRequestId(caller.requestId());
    }

    private KeyMetadataResponse createKey(CreateKeyRequest in, Caller caller) {
        String spec = in.keySpec() != null ? in.keySpec() : in.customerMasterKeySpec();
        KmsKey key = kms.create(kmsCaller(caller),
                new EmbeddedKms.NewKey(in.description(), spec, in.keyUsage(), in.policy(), in.tags(), in.origin(),
                        in.customKeyStoreId(), in.xksKeyId(), Boolean.TRUE.equals(in.multiRegion()),
                        Boolean.TRUE.equals(in.bypassPolicyLockoutSafetyCheck())));
        return new KeyMetadataResponse(metadata(key));
    }

    private ListKeysResponse listKeys(ListKeysRequest in, Caller caller) {
        int limit = in.limit() == null ? DEFAULT_LIST_LIMIT : in.limit();
        Page<KmsKey> page = Page.of(kms.list(kmsCaller(caller), in.marker(), limit + 1), limit, KmsKey::keyId);
        return new ListKeysResponse(page.items().stream().map(k -> new KeyListEntry(k.keyId(), k.arn())).toList(),
                page.nextMarker(), page.truncated());
    }

    private ListAliasesResponse listAliases(ListAliasesRequest in, Caller caller) {
        int limit = in.limit() == null ? DEFAULT_LIST_LIMIT : in.limit();
        var page = Page.of(kms.listAliases(kmsCaller(caller), idOnly(in.keyId()), in.marker(), limit + 1), limit,
                io.firehosesse.kms.KmsAlias::aliasName);
        return new ListAliasesResponse(page.items().stream()
                .map(a -> new AliasListEntry(a.aliasName(), a.aliasArn(), a.targetKeyId(), a.creationDate(), a.creationDate()))
                .toList(), page.nextMarker(), page.truncated());
    }

    private ListResourceTagsResponse listResourceTags(ListResourceTagsRequest in, Caller caller) {
        int limit = in.limit() == null ? DEFAULT_TAG_LIMIT : in.limit();
        Page<KmsTag> page = Page.of(kms.listTags(kmsCaller(caller), idOnly(in.keyId()), in.marker(), limit + 1), limit,
                KmsTag::tagKey);
        return new ListResourceTagsResponse(page.items().stream().map(t -> new Tag(t.tagKey(), t.tagValue())).toList(),
                page.nextMarker(), page.truncated());
    }

    private ListKeyRotationsResponse listKeyRotations(ListKeyRotationsRequest in, Caller caller) {
        int limit = in.limit() == null ? DEFAULT_ROTATION_LIMIT : in.limit();
        Page<EmbeddedKms.Rotation> page = Page.of(kms.listRotations(kmsCaller(caller), idOnly(in.keyId()), in.marker(), limit + 1),
                limit, rotation -> Integer.toString(rotation.generation()));
        return new ListKeyRotationsResponse(page.items().stream()
                .map(r -> new RotationsListEntry(r.keyArn(), r.materialId(), r.current() ? "CURRENT" : "NON_CURRENT",
                        r.rotationDate(), r.rotationType()))
                .toList(), page.nextMarker(), page.truncated());
    }

    private CreateGrantResponse createGrant(CreateGrantRequest in, Caller caller) {
        refuseDryRun(in.dryRun());
        EmbeddedKms.IssuedGrant grant = kms.createGrant(kmsCaller(caller), new EmbeddedKms.NewGrant(idOnly(in.keyId()),
                in.granteePrincipal(), in.retiringPrincipal(), in.operations(), in.constraints(), in.name()));
        return new CreateGrantResponse(grant.grantToken(), grant.grantId());
    }

    private ListGrantsResponse listGrants(ListGrantsRequest in, Caller caller) {
        int limit = in.limit() == null ? DEFAULT_GRANT_LIMIT : in.limit();
        return grants(Page.of(kms.listGrants(kmsCaller(caller), idOnly(in.keyId()), in.grantId(), in.granteePrincipal(),
                in.marker(), limit + 1), limit, KmsGrant::grantId));
    }

    private ListGrantsResponse listRetirableGrants(ListRetirableGrantsRequest in, Caller caller) {
        int limit = in.limit() == null ? DEFAULT_GRANT_LIMIT : in.limit();
        return grants(Page.of(kms.listRetirableGrants(kmsCaller(caller), in.retiringPrincipal(), in.marker(), limit + 1),
                limit, KmsGrant::grantId));
    }

    private static ListGrantsResponse grants(Page<KmsGrant> page) {
        return new ListGrantsResponse(page.items().stream()
                .map(g -> new GrantListEntry(g.keyArn(), g.grantId(), g.name(), g.creationDate(), g.granteePrincipal(),
                        g.retiringPrincipal(), g.issuingAccount(), g.operations(), g.constraints()))
                .toList(), page.nextMarker(), page.truncated());
    }

    private GenerateDataKeyResponse generateDataKey(GenerateDataKeyRequest in, Caller caller) {
        refuseDryRun(in.dryRun());
        EmbeddedKms.DataKey key = kms.generateDataKey(kmsCaller(caller), in.keyId(), in.encryptionContext(), dataKeyBytes(in));
        return new GenerateDataKeyResponse(key.ciphertextBlob(), key.plaintext(), key.keyArn());
    }

    private GetPublicKeyResponse getPublicKey(KeyIdRequest in, Caller caller) {
        EmbeddedKms.PublicKey found = kms.publicKey(kmsCaller(caller), in.keyId());
        KmsKey key = found.key();
        KmsKeySpec.Algorithms algorithms = KmsKeySpec.named(key.keySpec()).orElseThrow().algorithmsFor(key.keyUsage());
        return new GetPublicKeyResponse(key.arn(), found.subjectPublicKeyInfo(), key.keySpec(), key.keySpec(),
                key.keyUsage(), algorithms.encryption(), algorithms.signing(), algorithms.keyAgreement());
    }

    /** The size GenerateDataKey and GenerateDataKeyWithoutPlaintext are asked for: KeySpec or NumberOfBytes, one of them. */
    private static int dataKeyBytes(GenerateDataKeyRequest in) {
        int bytes;
        if (in.numberOfBytes() != null && in.keySpec() != null) {
            throw new KmsException("ValidationException", "Specify either KeySpec or NumberOfBytes, not both.");
        } else if (in.numberOfBytes() != null) {
            bytes = in.numberOfBytes();
        } else if (in.keySpec() != null) {
            bytes = "AES_128".equals(in.keySpec()) ? 16 : 32;
        } else {
            throw new KmsException("ValidationException", "Specify either KeySpec or NumberOfBytes.");
        }
        return bytes;
    }

    /** A timestamp member: epoch seconds, possibly fractional, or an ISO 8601 date-time; null when absent. */
    private static java.time.Instant timestamp(com.fasterxml.jackson.databind.JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            if (value.isNumber() || value.asText().matches("-?\\d+(\\.\\d+)?")) {
                java.math.BigDecimal seconds = value.isNumber() ? value.decimalValue() : new java.math.BigDecimal(value.asText());
                return java.time.Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
            }
            return java.time.OffsetDateTime.parse(value.asText()).toInstant();
        } catch (RuntimeException unreadable) {
            throw new KmsException("ValidationException", "ValidTo is not a timestamp: give epoch seconds or an ISO 8601"
                    + " date-time.");
        }
    }

    /** Recipient asks KMS to encrypt for an attested enclave; this KMS has none to attest. */
    private static void refuseRecipient(Object recipient) {
        if (recipient != null) {
            throw new KmsException("UnsupportedOperationException",
                    "Recipient is not supported by this KMS: it has no attested enclaves.");
        }
    }

    private static void refuseDryRun(Boolean dryRun) {
        if (Boolean.TRUE.equals(dryRun)) {
            throw new KmsException("DryRunOperationException", "The request would have succeeded, but the DryRun flag is set.");
        }
    }

    private KeyMetadata metadata(KmsKey key) {
        KmsKeySpec.Algorithms algorithms = KmsKeySpec.named(key.keySpec())
                .map(spec -> spec.algorithmsFor(key.keyUsage()))
                .orElse(new KmsKeySpec.Algorithms(null, null, null, null));
        return new KeyMetadata(key.accountId(), key.keyId(), key.arn(), key.creationDate(), key.enabled(),
                key.description(), key.keyUsage(), key.state().name(), key.deletionDate(), key.origin(),
                key.awsOwned() ? "AWS" : "CUSTOMER", key.keySpec(), key.keySpec(), algorithms.encryption(),
                algorithms.signing(), algorithms.mac(), algorithms.keyAgreement(), key.multiRegion(),
                key.pendingWindowDays(),
                key.external() ? (key.expirationModel() != null ? key.expirationModel() : null) : null, key.validTo(),
                null, multiRegionConfiguration(key));
    }

    private KmsShapes.MultiRegionConfiguration multiRegionConfiguration(KmsKey key) {
        if (!key.multiRegion()) {
            return null;
        }
        List<KmsKey> related = kms.multiRegionKeys(key);
        KmsKey primary = related.stream().filter(k -> !k.replica()).findFirst().orElse(null);
        return new KmsShapes.MultiRegionConfiguration(key.replica() ? "REPLICA" : "PRIMARY",
                primary == null ? null : new KmsShapes.MultiRegionKey(primary.arn(), primary.region()),
                related.stream().filter(KmsKey::replica).map(k -> new KmsShapes.MultiRegionKey(k.arn(), k.region())).toList());
    }

    /** A page cut from one more item than the limit: the extra one only says that more follow. */
    private record Page<T>(List<T> items, String nextMarker, boolean truncated) {

        static <T> Page<T> of(List<T> fetched, int limit, Function<T, String> marker) {
            boolean truncated = fetched.size() > limit;
            List<T> items = truncated ? fetched.subList(0, limit) : fetched;
            return new Page<>(items, truncated ? marker.apply(items.get(items.size() - 1)) : null, truncated);
        }
    }
}
