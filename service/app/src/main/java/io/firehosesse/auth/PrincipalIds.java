package io.firehosesse.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * AWS's unique ids (AIDA… for users, AROA… for roles), derived from the ARN so that one principal keeps
 * one id: STS GetCallerIdentity and CloudTrail's principalId show the same value.
 */
public final class PrincipalIds {

    static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private PrincipalIds() {
    }

    /** CloudTrail's principalId for a caller of this identity type. */
    public static String of(String type, String arn, String sessionIssuerArn, String accountId) {
        if (arn == null) {
            return null;
        }
        return switch (type) {
            case "AssumedRole" -> "AROA" + stable(sessionIssuerArn) + ":" + arn.substring(arn.lastIndexOf('/') + 1);
            case "IAMUser" -> "AIDA" + stable(arn);
            case "Role" -> "AROA" + stable(arn);
            default -> accountId;
        };
    }

    static String stable(String arn) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.valueOf(arn).getBytes(StandardCharsets.UTF_8));
            StringBuilder id = new StringBuilder();
            for (int i = 0; i < 17; i++) {
                id.append(ALPHABET.charAt((digest[i] & 0xff) % ALPHABET.length()));
            }
            return id.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
