package io.firehosesse.kms;

import java.time.Instant;

/** One KMS key as stored; the material stays wrapped. */
public record KmsKey(String keyId, String accountId, String region, String arn, String description, String keySpec,
                     String keyUsage, KeyState state, Instant creationDate, Instant deletionDate,
                     Integer pendingWindowDays, String policy, boolean awsOwned) {

    /** The key states this KMS uses, named as KMS names them. */
    public enum KeyState {
        Enabled,
        Disabled,
        PendingDeletion
    }

    public boolean enabled() {
        return state == KeyState.Enabled;
    }
}
