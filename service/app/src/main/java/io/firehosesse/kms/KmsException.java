package io.firehosesse.kms;

/**
 * A refusal by the KMS, named as KMS names it ({@code NotFoundException}, {@code DisabledException},
 * {@code KMSInvalidStateException}, ...), so callers map it by name and never by message.
 */
public class KmsException extends RuntimeException {

    private final String errorName;

    public KmsException(String errorName, String message) {
        super(message, null, false, false);
        this.errorName = errorName;
    }

    public String errorName() {
        return errorName;
    }

    /** KMS's answer where a custom key store (CloudHSM or external) would be needed: this KMS has none. */
    public static KmsException customKeyStoresUnsupported() {
        return new KmsException("UnsupportedOperationException",
                "Custom key stores are not supported by this service: it keeps all key material itself, and has no"
                        + " CloudHSM cluster or external key store proxy to connect to.");
    }

    static KmsException notFound(String arn) {
        return new KmsException("NotFoundException", "Key '" + arn + "' does not exist");
    }

    static KmsException aliasNotFound(String aliasArn) {
        return new KmsException("NotFoundException", "Alias " + aliasArn + " is not found.");
    }

    static KmsException invalidKeyId(String keyId) {
        return new KmsException("NotFoundException", "Invalid keyId '" + keyId + "'");
    }

    static KmsException invalidState(String message) {
        return new KmsException("KMSInvalidStateException", message);
    }

    static KmsException disabled(String arn) {
        return new KmsException("DisabledException", arn + " is disabled.");
    }

    static KmsException validation(String message) {
        return new KmsException("ValidationException", message);
    }

    static KmsException accessDenied(String principal, String action, String arn) {
        return new KmsException("AccessDeniedException", "User: " + principal + " is not authorized to perform: " + action
                + " on resource: " + arn + " with an explicit deny in a resource-based policy");
    }

    /** KMS's words when no statement of the key policy allows the call (IAM's implicit deny). */
    static KmsException notAllowed(String principal, String action, String arn) {
        return new KmsException("AccessDeniedException", "User: " + principal + " is not authorized to perform: " + action
                + " on resource: " + arn + " because no resource-based policy allows the " + action + " action");
    }
}
