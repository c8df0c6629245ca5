package io.firehosesse.awsjson.kms;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The KMS request and response shapes served so far, named and cased as in {@code kms-2014-11-01}. */
final class KmsShapes {

    private KmsShapes() {
    }

    record CreateKeyRequest(String policy, String description, String keyUsage, String customerMasterKeySpec,
                            String keySpec, String origin, List<Map<String, String>> tags) {
    }

    record KeyMetadata(String aWSAccountId, String keyId, String arn, Instant creationDate, Boolean enabled,
                       String description, String keyUsage, String keyState, Instant deletionDate, String origin,
                       String keyManager, String customerMasterKeySpec, String keySpec, List<String> encryptionAlgorithms,
                       Boolean multiRegion, Integer pendingDeletionWindowInDays) {
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

    record EmptyResponse() {
    }
}
