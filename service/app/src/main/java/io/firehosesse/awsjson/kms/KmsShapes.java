package io.firehosesse.awsjson.kms;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The KMS request and response shapes served, named and cased as in {@code kms-2014-11-01}. */
final class KmsShapes {

    private KmsShapes() {
    }

    record CreateKeyRequest(String policy, String description, String keyUsage, String customerMasterKeySpec,
                            String keySpec, String origin, String customKeyStoreId, Boolean bypassPolicyLockoutSafetyCheck,
                            List<Map<String, String>> tags, Boolean multiRegion, String xksKeyId) {
    }

    record KeyMetadata(String aWSAccountId, String keyId, String arn, Instant creationDate, Boolean enabled,
                       String description, String keyUsage, String keyState, Instant deletionDate, String origin,
                       String keyManager, String customerMasterKeySpec, String keySpec, List<String> encryptionAlgorithms,
                       List<String> signingAlgorithms, List<String> macAlgorithms, List<String> keyAgreementAlgorithms,
                       Boolean multiRegion, Integer pendingDeletionWindowInDays, String expirationModel, Instant validTo,
                       String currentKeyMaterialId, MultiRegionConfiguration multiRegionConfiguration) {
    }

    /** {@code multiRegionKeyType} PRIMARY or REPLICA; {@code replicaKeys} every replica, the key itself if it is one. */
    record MultiRegionConfiguration(String multiRegionKeyType, MultiRegionKey primaryKey, List<MultiRegionKey> replicaKeys) {
    }

    record MultiRegionKey(String arn, String region) {
    }

    record KeyMetadataResponse(KeyMetadata keyMetadata) {
    }

    record KeyIdRequest(String keyId) {
    }

    record ListKeysRequest(Integer limit, String marker) {
    }

    record KeyListEntry(String keyId, String keyArn) {
    }

    record ListKeysResponse(List<KeyListEntry> keys, String nextMarker, Boolean truncated) {
    }

    record ScheduleKeyDeletionRequest(String keyId, Integer pendingWindowInDays) {
    }

    record ScheduleKeyDeletionResponse(String keyId, Instant deletionDate, String keyState, Integer pendingWindowInDays) {
    }

    record CancelKeyDeletionResponse(String keyId) {
    }

    record GetKeyPolicyRequest(String keyId, String policyName) {
    }

    record GetKeyPolicyResponse(String policy, String policyName) {
    }

    record PutKeyPolicyRequest(String keyId, String policyName, String policy, Boolean bypassPolicyLockoutSafetyCheck) {
    }

    record CreateAliasRequest(String aliasName, String targetKeyId) {
    }

    record ListAliasesRequest(String keyId, Integer limit, String marker) {
    }

    record AliasListEntry(String aliasName, String aliasArn, String targetKeyId, Instant creationDate, Instant lastUpdatedDate) {
    }

    record ListAliasesResponse(List<AliasListEntry> aliases, String nextMarker, Boolean truncated) {
    }

    record DeleteAliasRequest(String aliasName) {
    }

    record CreateGrantRequest(String keyId, String granteePrincipal, String retiringPrincipal, List<String> operations,
                              Map<String, Map<String, String>> constraints, String name, Boolean dryRun) {
    }

    record CreateGrantResponse(String grantToken, String grantId) {
    }

    record ListGrantsRequest(Integer limit, String marker, String keyId, String grantId, String granteePrincipal) {
    }

    record ListRetirableGrantsRequest(Integer limit, String marker, String retiringPrincipal) {
    }

    record GrantListEntry(String keyId, String grantId, String name, Instant creationDate, String granteePrincipal,
                          String retiringPrincipal, String issuingAccount, List<String> operations,
                          Map<String, Map<String, String>> constraints) {
    }

    record ListGrantsResponse(List<GrantListEntry> grants, String nextMarker, Boolean truncated) {
    }

    record RetireGrantRequest(String grantToken, String keyId, String grantId, Boolean dryRun) {
    }

    record RevokeGrantRequest(String keyId, String grantId, Boolean dryRun) {
    }

    record GenerateDataKeyRequest(String keyId, Map<String, String> encryptionContext, Integer numberOfBytes,
                                  String keySpec, Boolean dryRun) {
    }

    record GenerateDataKeyResponse(byte[] ciphertextBlob, byte[] plaintext, String keyId) {
    }

    record EncryptRequest(String keyId, byte[] plaintext, Map<String, String> encryptionContext, String encryptionAlgorithm,
                          Boolean dryRun) {
    }

    record EncryptResponse(byte[] ciphertextBlob, String keyId, String encryptionAlgorithm) {
    }

    /** {@code recipient} is kept only to refuse it, as in GenerateRandom. */
    record DecryptRequest(byte[] ciphertextBlob, Map<String, String> encryptionContext, String keyId,
                          String encryptionAlgorithm, Map<String, Object> recipient, Boolean dryRun) {
    }

    record DecryptResponse(String keyId, byte[] plaintext, String encryptionAlgorithm) {
    }

    record GenerateDataKeyWithoutPlaintextResponse(byte[] ciphertextBlob, String keyId) {
    }

    record ReEncryptRequest(byte[] ciphertextBlob, Map<String, String> sourceEncryptionContext, String sourceKeyId,
                            String destinationKeyId, Map<String, String> destinationEncryptionContext,
                            String sourceEncryptionAlgorithm, String destinationEncryptionAlgorithm, Boolean dryRun) {
    }

    record ReEncryptResponse(byte[] ciphertextBlob, String sourceKeyId, String keyId, String sourceEncryptionAlgorithm,
                             String destinationEncryptionAlgorithm) {
    }

    record SignRequest(String keyId, byte[] message, String messageType, String signingAlgorithm, Boolean dryRun) {
    }

    record SignResponse(String keyId, byte[] signature, String signingAlgorithm) {
    }

    record VerifyRequest(String keyId, byte[] message, String messageType, byte[] signature, String signingAlgorithm,
                         Boolean dryRun) {
    }

    record VerifyResponse(String keyId, Boolean signatureValid, String signingAlgorithm) {
    }

    record GetPublicKeyResponse(String keyId, byte[] publicKey, String customerMasterKeySpec, String keySpec,
                                String keyUsage, List<String> encryptionAlgorithms, List<String> signingAlgorithms,
                                List<String> keyAgreementAlgorithms) {
    }

    record GenerateMacRequest(byte[] message, String keyId, String macAlgorithm, Boolean dryRun) {
    }

    record GenerateMacResponse(byte[] mac, String macAlgorithm, String keyId) {
    }

    record VerifyMacRequest(byte[] message, String keyId, String macAlgorithm, byte[] mac, Boolean dryRun) {
    }

    record VerifyMacResponse(String keyId, Boolean macValid, String macAlgorithm) {
    }

    /** {@code recipient} is kept only to refuse it: this KMS has no attested enclaves to encrypt for. */
    record GenerateRandomRequest(Integer numberOfBytes, String customKeyStoreId, Map<String, Object> recipient) {
    }

    record GenerateRandomResponse(byte[] plaintext) {
    }

    /** {@code recipient} is kept only to refuse it, as in GenerateRandom. */
    record GenerateDataKeyPairRequest(Map<String, String> encryptionContext, String keyId, String keyPairSpec,
                                      Map<String, Object> recipient, Boolean dryRun) {
    }

    record GenerateDataKeyPairResponse(byte[] privateKeyCiphertextBlob, byte[] privateKeyPlaintext, byte[] publicKey,
                                       String keyId, String keyPairSpec) {
    }

    record TagResourceRequest(String keyId, List<Map<String, String>> tags) {
    }

    record UntagResourceRequest(String keyId, List<String> tagKeys) {
    }

    record ListResourceTagsRequest(String keyId, Integer limit, String marker) {
    }

    record Tag(String tagKey, String tagValue) {
    }

    record ListResourceTagsResponse(List<Tag> tags, String nextMarker, Boolean truncated) {
    }

    record UpdateKeyDescriptionRequest(String keyId, String description) {
    }

    record ListKeyPoliciesRequest(String keyId, Integer limit, String marker) {
    }

    record ListKeyPoliciesResponse(List<String> policyNames, String nextMarker, Boolean truncated) {
    }

    record UpdateAliasRequest(String aliasName, String targetKeyId) {
    }

    record EnableKeyRotationRequest(String keyId, Integer rotationPeriodInDays) {
    }

    record GetKeyRotationStatusResponse(Boolean keyRotationEnabled, String keyId, Integer rotationPeriodInDays,
                                        Instant nextRotationDate, Instant onDemandRotationStartDate) {
    }

    record RotateKeyOnDemandResponse(String keyId) {
    }

    record ListKeyRotationsRequest(String keyId, String includeKeyMaterial, Integer limit, String marker) {
    }

    record RotationsListEntry(String keyId, String keyMaterialId, String keyMaterialState, Instant rotationDate,
                              String rotationType) {
    }

    record ListKeyRotationsResponse(List<RotationsListEntry> rotations, String nextMarker, Boolean truncated) {
    }

    record ReplicateKeyRequest(String keyId, String replicaRegion, String policy, Boolean bypassPolicyLockoutSafetyCheck,
                               String description, List<Map<String, String>> tags) {
    }

    record ReplicateKeyResponse(KeyMetadata replicaKeyMetadata, String replicaPolicy, List<Tag> replicaTags) {
    }

    record UpdatePrimaryRegionRequest(String keyId, String primaryRegion) {
    }

    /** {@code recipient} is kept only to refuse it, as in GenerateRandom. */
    record DeriveSharedSecretRequest(String keyId, String keyAgreementAlgorithm, byte[] publicKey,
                                     Map<String, Object> recipient, Boolean dryRun) {
    }

    record DeriveSharedSecretResponse(String keyId, byte[] sharedSecret, String keyAgreementAlgorithm, String keyOrigin) {
    }

    record GetParametersForImportRequest(String keyId, String wrappingAlgorithm, String wrappingKeySpec) {
    }

    record GetParametersForImportResponse(String keyId, byte[] importToken, byte[] publicKey, Instant parametersValidTo) {
    }

    /** {@code validTo} as sent: epoch seconds (what the SDKs send) or an ISO 8601 date-time, both timestamps to the model. */
    record ImportKeyMaterialRequest(String keyId, byte[] importToken, byte[] encryptedKeyMaterial,
                                    com.fasterxml.jackson.databind.JsonNode validTo,
                                    String expirationModel, String importType, String keyMaterialDescription,
                                    String keyMaterialId) {
    }

    record DeleteImportedKeyMaterialRequest(String keyId, String keyMaterialId) {
    }

    record ImportedKeyMaterialResponse(String keyId, String keyMaterialId) {
    }

    record KeyLastUsageData(String operation, Instant timestamp, String cloudTrailEventId, String kmsRequestId) {
    }

    record GetKeyLastUsageResponse(String keyId, KeyLastUsageData keyLastUsage, Instant trackingStartDate,
                                   Instant keyCreationDate) {
    }

    record EmptyResponse() {
    }
}
