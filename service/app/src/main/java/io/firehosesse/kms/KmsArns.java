package io.firehosesse.kms;

import io.firehosesse.api.AwsPartitions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How KMS names keys and aliases, and how a caller's key reference is read. */
final class KmsArns {

    private static final Pattern KEY_ARN = Pattern.compile("arn:[a-z-]+:kms:([a-z0-9-]+):(\\d{12}):key/(.+)");
    private static final Pattern ALIAS_ARN = Pattern.compile("arn:[a-z-]+:kms:([a-z0-9-]+):(\\d{12}):(alias/.+)");
    /** A single-Region key's UUID, or a multi-Region key's {@code mrk-} and 32 hex digits. */
    private static final Pattern KEY_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32}");

    private KmsArns() {
    }


    static String keyArn(String accountId, String region, String keyId) {
        return "arn:" + AwsPartitions.of(region) + ":kms:" + region + ":" + accountId + ":key/" + keyId;
    }

    static String aliasArn(String accountId, String region, String aliasName) {
        return "arn:" + AwsPartitions.of(region) + ":kms:" + region + ":" + accountId + ":" + aliasName;
    }

    /** A key reference as given: a key id, a key ARN, an alias name or an alias ARN. */
    sealed interface KeyReference permits ById, ByAlias {
    }

    record ById(String keyId, String arnForMessages) implements KeyReference {
    }

    record ByAlias(String aliasName, String arnForMessages) implements KeyReference {
    }

    /** A key id or key ARN (of any account and region): what KMS takes where an alias is not allowed. */
    static boolean isKeyIdOrKeyArn(String reference) {
        return KEY_ID.matcher(reference).matches()
                || (KEY_ARN.matcher(reference).matches() && !reference.contains(":key/alias/"));
    }

    /** Reads a reference in the caller's account and region; anything else names no key. */
    static KeyReference parse(String reference, String accountId, String region) {
        Matcher keyArn = KEY_ARN.matcher(reference);
        if (keyArn.matches()) {
            if (!keyArn.group(1).equals(region) || !keyArn.group(2).equals(accountId)) {
                throw KmsException.notFound(reference);
            }
            return new ById(keyArn.group(3).toLowerCase(), reference);
        }
        Matcher aliasArn = ALIAS_ARN.matcher(reference);
        if (aliasArn.matches()) {
            if (!aliasArn.group(1).equals(region) || !aliasArn.group(2).equals(accountId)) {
                throw KmsException.aliasNotFound(reference);
            }
            return new ByAlias(aliasArn.group(3), reference);
        }
        if (reference.startsWith("alias/")) {
            return new ByAlias(reference, aliasArn(accountId, region, reference));
        }
        if (KEY_ID.matcher(reference).matches()) {
            return new ById(reference.toLowerCase(), keyArn(accountId, region, reference.toLowerCase()));
        }
        throw KmsException.invalidKeyId(reference);
    }
}
