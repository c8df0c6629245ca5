package io.firehosesse.kms;

import java.time.Instant;

/**
 * One KMS key as stored; the material stays wrapped.
 *
 * @param keyId         the key id callers see: a UUID, or {@code mrk-} and 32 hex digits for a multi-Region key
 * @param primaryRegion the Region of a multi-Region key's primary; null for a single-Region key
 */
public record KmsKey(String keyId, String accountId, String region, String arn, String description, String keySpec,
                     String keyUsage, KeyState state, Instant creationDate, Instant deletionDate,
                     Integer pendingWindowDays, String policy, boolean awsOwned, String origin, String expirationModel,
                     Instant validTo, String primaryRegion) {

    static final String MULTI_REGION_PREFIX = "mrk-";

    public static final String AWS_KMS = "AWS_KMS";
    public static final String EXTERNAL = "EXTERNAL";

    public KmsKey(String keyId, String accountId, String region, String arn, String description, String keySpec,
                  String keyUsage, KeyState state, Instant creationDate, Instant deletionDate, Integer pendingWindowDays,
                  String policy, boolean awsOwned) {
        this(keyId, accountId, region, arn, description, keySpec, keyUsage, state, creationDate, deletionDate,
                pendingWindowDays, policy, awsOwned, AWS_KMS, null, null, null);
    }

    /**
     * The key's row in kms_key and the tables referencing it: the key id, or for a multi-Region key, whose primary and
     * replicas share one id, the key id and the Region (see V19__kms_multi_region_keys.sql).
     */
    String rowId() {
        return rowId(keyId, region);
    }

    static String rowId(String keyId, String region) {
        return keyId.startsWith(MULTI_REGION_PREFIX) ? keyId + "/" + region : keyId;
    }

    /** The key id a row id stands for. */
    static String keyIdOfRow(String rowId) {
        int slash = rowId.indexOf('/');
        return slash < 0 ? rowId : rowId.substring(0, slash);
    }

    public boolean multiRegion() {
        return primaryRegion != null;
    }

    public boolean replica() {
        return primaryRegion != null && !primaryRegion.equals(region);
    }

    /** The key states this KMS uses, named as KMS names them. */
    public enum KeyState {
        Enabled,
        Disabled,
        PendingDeletion,
        /** A key of Origin EXTERNAL without key material: never imported, deleted, or expired. */
        PendingImport
    }

    public boolean external() {
        return EXTERNAL.equals(origin);
    }

    public boolean enabled() {
        return state == KeyState.Enabled;
    }
}
