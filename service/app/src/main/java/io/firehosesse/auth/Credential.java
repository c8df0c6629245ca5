package io.firehosesse.auth;

import java.time.Instant;

/**
 * A key pair a caller may sign with, and who it stands for. Temporary credentials also carry their
 * session token and when they were issued and expire. {@code admin}: the credentials file marks this key as
 * one that may call {@code /api/admin/**} and read the whole audit trail; sessions STS issues never are.
 */
public record Credential(String accessKeyId, String secretAccessKey, String accountId, String principalArn,
                         String sessionToken, Instant issuedAt, Instant expiresAt, boolean admin) {

    public Credential(String accessKeyId, String secretAccessKey, String accountId, String principalArn,
                      String sessionToken, Instant issuedAt, Instant expiresAt) {
        this(accessKeyId, secretAccessKey, accountId, principalArn, sessionToken, issuedAt, expiresAt, false);
    }

    public boolean temporary() {
        return sessionToken != null;
    }

    /** CloudTrail's userIdentity type: AssumedRole, Root, IAMUser (or FederatedUser for GetSessionToken's). */
    public String identityType() {
        if (principalArn == null) {
            return "Unknown";
        }
        if (principalArn.contains(":assumed-role/")) {
            return "AssumedRole";
        }
        if (principalArn.endsWith(":root")) {
            return "Root";
        }
        if (principalArn.contains(":federated-user/")) {
            return "FederatedUser";
        }
        return "IAMUser";
    }

    /** The last part of the ARN: a user name, or for an assumed role its session name. */
    public String name() {
        return principalArn == null ? null : principalArn.substring(principalArn.lastIndexOf('/') + 1);
    }

    /** For an assumed-role session, the role's ARN; otherwise null. */
    public String sessionIssuerArn() {
        if (principalArn == null || !principalArn.contains(":assumed-role/")) {
            return null;
        }
        String[] parts = principalArn.split(":", 6);
        String[] path = parts[5].split("/");
        return "arn:" + parts[1] + ":iam::" + parts[4] + ":role/" + path[1];
    }
}
