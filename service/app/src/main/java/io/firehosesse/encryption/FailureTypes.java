package io.firehosesse.encryption;

import io.firehosesse.api.deliverystream.DeliveryStreamFailureType;

/** How a KMS error name becomes the {@code DeliveryStreamFailureType} AWS reports (SPEC §5.2). */
public final class FailureTypes {

    private FailureTypes() {
    }

    public static DeliveryStreamFailureType of(KmsResult.KmsError error, boolean creatingGrant) {
        return switch (error.name()) {
            case "NotFoundException" -> DeliveryStreamFailureType.KMS_KEY_NOT_FOUND;
            case "DisabledException" -> DeliveryStreamFailureType.DISABLED_KMS_KEY;
            case "AccessDeniedException" -> DeliveryStreamFailureType.KMS_ACCESS_DENIED;
            case "KMSInvalidStateException", "InvalidKeyUsageException", "UnsupportedOperationException" ->
                    DeliveryStreamFailureType.INVALID_KMS_KEY;
            case "OptInRequired", "KMSOptInRequired", "SubscriptionRequiredException" ->
                    DeliveryStreamFailureType.KMS_OPT_IN_REQUIRED;
            case KmsResult.KmsError.UNREACHABLE -> DeliveryStreamFailureType.UNKNOWN_ERROR;
            default -> creatingGrant ? DeliveryStreamFailureType.CREATE_KMS_GRANT_FAILED : DeliveryStreamFailureType.UNKNOWN_ERROR;
        };
    }

    /** Details for a FailureDescription: KMS's own message, never empty (the model requires 1–1024 characters). */
    public static String details(KmsResult.KmsError error) {
        String message = error.message() == null || error.message().isBlank() ? error.name() : error.name() + ": " + error.message();
        return message.length() > 1024 ? message.substring(0, 1024) : message;
    }
}
