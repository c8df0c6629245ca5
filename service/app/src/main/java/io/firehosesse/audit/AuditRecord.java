package io.firehosesse.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One API call, as the audit trail keeps it.
 *
 * @param eventSource       {@code firehose.amazonaws.com}, {@code kms.amazonaws.com} or {@code sts.amazonaws.com}
 * @param requestParameters the request, already stripped of record data and key material by the caller; may be null
 * @param responseElements  the answer, stripped likewise; may be null
 * @param errorCode         the AWS error code ({@code __type}) of a refused call, else null
 * @param resourceArns      what the call touched (the delivery stream ARN, the KMS key ARN); may be empty
 */
public record AuditRecord(UUID eventId, Instant eventTime, String eventSource, String eventName, String awsRegion,
                          String sourceIPAddress, String userAgent, UserIdentity userIdentity,
                          JsonNode requestParameters, JsonNode responseElements, String errorCode, String errorMessage,
                          String requestId, boolean readOnly, boolean managementEvent, String recipientAccountId,
                          List<String> resourceArns) {

    public static final String FIREHOSE = "firehose.amazonaws.com";
    public static final String KMS = "kms.amazonaws.com";
    public static final String STS = "sts.amazonaws.com";

    public AuditRecord {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(eventSource, "eventSource");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(userIdentity, "userIdentity (UserIdentity.UNKNOWN when the caller is not known)");
        resourceArns = resourceArns == null ? List.of() : resourceArns.stream().filter(Objects::nonNull).toList();
    }
}
