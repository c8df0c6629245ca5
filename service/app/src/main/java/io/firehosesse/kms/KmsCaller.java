package io.firehosesse.kms;

import io.firehosesse.api.AwsPartitions;
/**
 * On whose behalf a KMS call runs: the account and region it is made in, the calling principal, and,
 * when an AWS service makes the call for that principal, the service ({@code kms:ViaService}). Key
 * policies are evaluated against these.
 *
 * @param principalArn     the caller; null when unknown (no authentication yet), read as the account's root
 * @param viaService       e.g. {@code firehose.us-east-1.amazonaws.com}; null for a direct call
 * @param servicePrincipal the service principal acting, e.g. {@code firehose.amazonaws.com}; null for a direct call
 * @param sourceIp         the address a direct call came from ({@code aws:SourceIp}); null when a service calls
 * @param requestId        the request being served, recorded with the key's last use; null when not known
 */
public record KmsCaller(String accountId, String region, String principalArn, String viaService, String servicePrincipal,
                        String sourceIp, String requestId) {

    public static final String FIREHOSE_PRINCIPAL = "firehose.amazonaws.com";

    public static KmsCaller direct(String accountId, String region, String principalArn) {
        return direct(accountId, region, principalArn, null);
    }

    /** A call from {@code sourceIp} ({@code aws:SourceIp}); null when not known. */
    public static KmsCaller direct(String accountId, String region, String principalArn, String sourceIp) {
        return new KmsCaller(accountId, region, principalArn, null, null, sourceIp, null);
    }

    /**
     * Firehose calling KMS for a user of the stream, as Firehose does with forward access. The call comes from the
     * service, not from the user's address, so it carries no {@code aws:SourceIp}, as in IAM.
     */
    public static KmsCaller viaFirehose(String accountId, String region, String principalArn) {
        return new KmsCaller(accountId, region, principalArn, "firehose." + region + ".amazonaws.com", FIREHOSE_PRINCIPAL,
                null, null);
    }

    /** An AWS service calling as itself, as a grant's grantee (Firehose sealing records): no user, no address. */
    public static KmsCaller service(String accountId, String region, String servicePrincipal) {
        return new KmsCaller(accountId, region, servicePrincipal, null, servicePrincipal, null, null);
    }

    /** The id of the request being served, for GetKeyLastUsage's KmsRequestId; null for a service's own calls. */
    public KmsCaller withRequestId(String id) {
        return new KmsCaller(accountId, region, principalArn, viaService, servicePrincipal, sourceIp, id);
    }

    public String effectivePrincipal() {
        return principalArn != null ? principalArn : "arn:" + AwsPartitions.of(region) + ":iam::" + accountId + ":root";
    }
}
