package io.firehosesse.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * An {@link AuditRecord} as a CloudTrail record (eventVersion 1.11), in its canonical text: the fields in
 * CloudTrail's order as written below, no insignificant whitespace, by a private ObjectMapper with Jackson's
 * defaults that no Spring customisation reaches. The chain hashes this text as stored and nothing ever
 * writes it again, so a later change here alters only the records written after it, never a hash.
 * Request and response trees keep the caller's field order.
 */
final class CloudTrailJson {

    static final String EVENT_VERSION = "1.11";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CloudTrailJson() {
    }

    static String write(AuditRecord r) {
        ObjectNode record = NODES.objectNode();
        record.put("eventVersion", EVENT_VERSION);
        record.set("userIdentity", userIdentity(r.userIdentity()));
        record.put("eventTime", seconds(r.eventTime()));
        record.put("eventSource", r.eventSource());
        record.put("eventName", r.eventName());
        record.put("awsRegion", r.awsRegion());
        record.put("sourceIPAddress", r.sourceIPAddress());
        record.put("userAgent", r.userAgent());
        record.set("requestParameters", r.requestParameters() == null ? NullNode.instance : r.requestParameters());
        record.set("responseElements", r.responseElements() == null ? NullNode.instance : r.responseElements());
        putIfPresent(record, "errorCode", r.errorCode());
        putIfPresent(record, "errorMessage", r.errorMessage());
        record.put("requestID", r.requestId());
        record.put("eventID", r.eventId().toString());
        record.put("readOnly", r.readOnly());
        if (!r.resourceArns().isEmpty()) {
            ArrayNode resources = record.putArray("resources");
            r.resourceArns().forEach(arn -> resources.add(resource(arn)));
        }
        record.put("eventType", "AwsApiCall");
        record.put("managementEvent", r.managementEvent());
        record.put("recipientAccountId", r.recipientAccountId());
        record.put("eventCategory", r.managementEvent() ? "Management" : "Data");
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An audit record that cannot be written as JSON: " + r.eventId(), e);
        }
    }

    /** CloudTrail's time format: UTC to the second, {@code 2026-11-27T10:15:00Z}. */
    static String seconds(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static ObjectNode userIdentity(UserIdentity who) {
        ObjectNode node = NODES.objectNode();
        putIfPresent(node, "type", who.type());
        putIfPresent(node, "principalId", who.principalId());
        putIfPresent(node, "arn", who.arn());
        putIfPresent(node, "accountId", who.accountId());
        putIfPresent(node, "accessKeyId", who.accessKeyId());
        if (UserIdentity.IAM_USER.equals(who.type())) {
            putIfPresent(node, "userName", who.userName());
        }
        if (who.sessionCreationDate() != null) {
            node.set("sessionContext", sessionContext(who));
        }
        // Not CloudTrail's: without a credentials file the signature is not checked, and a reader of the
        // trail must be able to tell a claimed identity from a proven one.
        if (!who.verified()) {
            node.put("verified", false);
        }
        return node;
    }

    private static ObjectNode sessionContext(UserIdentity who) {
        ObjectNode context = NODES.objectNode();
        if (UserIdentity.ASSUMED_ROLE.equals(who.type()) && who.sessionIssuerArn() != null) {
            ObjectNode issuer = context.putObject("sessionIssuer");
            issuer.put("type", "Role");
            // An assumed role's principalId is "<role id>:<session name>"; the issuer is the role.
            putIfPresent(issuer, "principalId", who.principalId() == null ? null : who.principalId().split(":", 2)[0]);
            issuer.put("arn", who.sessionIssuerArn());
            putIfPresent(issuer, "accountId", ResourceArns.accountId(who.sessionIssuerArn()));
            issuer.put("userName", ResourceArns.resourceName(who.sessionIssuerArn()));
        }
        ObjectNode attributes = context.putObject("attributes");
        attributes.put("creationDate", seconds(who.sessionCreationDate()));
        attributes.put("mfaAuthenticated", "false");
        return context;
    }

    private static ObjectNode resource(String arn) {
        ObjectNode node = NODES.objectNode();
        node.put("ARN", arn);
        putIfPresent(node, "accountId", ResourceArns.accountId(arn));
        putIfPresent(node, "type", ResourceArns.type(arn));
        return node;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
