package io.firehosesse.audit;

import java.time.Instant;

/**
 * Who made the call, as CloudTrail's {@code userIdentity} shows it.
 *
 * @param type                {@code IAMUser}, {@code AssumedRole}, {@code Root} or {@code Unknown}
 * @param sessionCreationDate when the session credentials were issued; null for long-term credentials
 * @param sessionIssuerArn    the role's ARN for {@code AssumedRole}, else null
 * @param verified            false in open mode (no credentials file): the signature was not checked, so the
 *                            identity is only what the caller claimed
 */
public record UserIdentity(String type, String principalId, String arn, String accountId, String accessKeyId,
                           String userName, Instant sessionCreationDate, String sessionIssuerArn, boolean verified) {

    public static final String IAM_USER = "IAMUser";
    public static final String ASSUMED_ROLE = "AssumedRole";
    public static final String ROOT = "Root";
    public static final String UNKNOWN = "Unknown";
}
