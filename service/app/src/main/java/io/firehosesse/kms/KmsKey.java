package io.firehosesse.kms;

import java.time.Instant;

/** One KMS key as stored; the material stays wrapped. */
public record KmsKey(String keyId, String accountId, String region, String arn, String description, String keySpec,
                     String keyUsage, KeyState state, Instant creationDate, Instant deletionDate,
                     Integer pendingWindowDays, String policy, boolean awsOwned, String origin, String expirationModel,
                     Instant validTo) {

    public static final String AWS_KMS = "AWS_KMS";
    public static final String EXTERNAL = "EXTERNAL";

    public KmsKey(String keyId, String accountId, String region, String arn, String description, String keySpec,
                  String keyUsage, KeyState state, Instant creationDate, Instant deletionDate, Integer pendingWindowDays,
                  String policy, boolean awsOwned) {
        this(keyId, accountId, region, arn, description, keySpec, keyUsage, state, creationDate, deletionDate,
                pendingWindowDays, policy, awsOwned, AWS_KMS, null, null);
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
