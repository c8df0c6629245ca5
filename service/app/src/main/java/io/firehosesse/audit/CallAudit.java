package io.firehosesse.audit;

import io.firehosesse.auth.RequestIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firehosesse.api.AwsPartitions;
import io.firehosesse.audit.AuditRecord;
import io.firehosesse.audit.AuditTrail;
import io.firehosesse.audit.UserIdentity;
import io.firehosesse.auth.PrincipalIds;
import io.firehosesse.auth.SigV4Verifier;
import io.firehosesse.auth.Caller;
import io.firehosesse.platform.PlatformProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import io.firehosesse.api.deliverystream.Destination;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Turns a call into its CloudTrail record: who (userIdentity), what (eventName, requestParameters with
 * lower-camel keys as CloudTrail writes them), on what (resources) and how it ended (responseElements or
 * errorCode/errorMessage). Record data, key material and secrets never reach the trail: they are replaced
 * by their size, or left out.
 */
@Component
public class CallAudit {

    /** Members whose values are data or secrets: the trail keeps that they were there, not what they were. */
    private static final Set<String> WITHHELD = Stream.concat(Stream.of("Data", "Plaintext", "CiphertextBlob",
            "SecretAccessKey", "SessionToken", "GrantToken", "GrantTokens", "Username"),
            Destination.SECRET_MEMBERS.stream()).collect(Collectors.toUnmodifiableSet());
    private static final Pattern READ_ONLY = Pattern.compile("(Describe|List|Get).*");
    private static final Pattern KEY_UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final AuditTrail trail;
    private final Clock clock;
    private final PlatformProperties properties;
    private final boolean enabled;

    CallAudit(AuditTrail trail, Clock clock, PlatformProperties properties, AuditProperties audit) {
        this.enabled = audit.enabled();
        this.trail = trail;
        this.clock = clock;
        this.properties = properties;
    }

    /** Whether the call changes nothing (Describe…, List…, Get… and STS GetCallerIdentity). */
    public static boolean readOnly(String eventName) {
        return eventName != null && READ_ONLY.matcher(eventName).matches();
    }

    /** PutRecord and PutRecordBatch are data events in CloudTrail's terms; every other call is a management event. */
    static boolean managementEvent(String eventName) {
        return !"PutRecord".equals(eventName) && !"PutRecordBatch".equals(eventName);
    }

    /** Writes the record of a call; inside the caller's transaction when there is one. */
    public void append(String eventSource, String eventName, HttpServletRequest request, Caller caller, JsonNode input,
                       JsonNode output, String errorCode, String errorMessage) {
        String account = caller != null ? caller.accountId() : properties.accountId();
        String region = caller != null ? caller.region() : regionOf(request);
        append(eventSource, eventName, region, request.getRemoteAddr(), request.getHeader("User-Agent"),
                identity(caller, request, account), RequestIds.of(request), account, input, output, errorCode, errorMessage);
    }

    /** Writes the record of a call the service made itself, as {@code caller} (which names its source and agent). */
    public void appendOwn(String eventSource, String eventName, Caller caller, JsonNode input, JsonNode output,
                          String errorCode, String errorMessage) {
        append(eventSource, eventName, caller.region(), caller.sourceIp(), caller.userAgent(),
                identity(caller, null, caller.accountId()), caller.requestId(), caller.accountId(), input, output, errorCode,
                errorMessage);
    }

    private void append(String eventSource, String eventName, String region, String sourceIp, String userAgent,
                        UserIdentity identity, String requestId, String account, JsonNode input, JsonNode output,
                        String errorCode, String errorMessage) {
        if (!enabled) {
            return; // only for measuring what auditing costs; a deployment keeps it on
        }
        trail.append(new AuditRecord(UUID.randomUUID(), clock.instant(), eventSource, eventName == null ? "Unknown" : eventName,
                region, sourceIp, userAgent, identity,
                input == null ? null : cloudTrailForm(input), errorCode != null || output == null || output.isEmpty()
                        ? null : cloudTrailForm(output),
                errorCode, errorMessage, requestId, readOnly(eventName), managementEvent(eventName), account,
                resources(eventSource, input, account, region)));
    }

    private UserIdentity identity(Caller caller, HttpServletRequest request, String account) {
        if (caller == null) {
            return new UserIdentity("Unknown", null, null, account, accessKeyIdOf(request), null, null, null, false);
        }
        Caller.Identity identity = caller.identity() == null ? Caller.Identity.UNVERIFIED : caller.identity();
        String arn = caller.principal();
        String type = arn == null ? identity.type() : identity.type();
        String userName = "IAMUser".equals(type) && arn != null ? arn.substring(arn.lastIndexOf('/') + 1) : null;
        return new UserIdentity(type, PrincipalIds.of(type, arn, identity.sessionIssuerArn(), caller.accountId()), arn,
                caller.accountId(), caller.accessKeyId(), userName, identity.sessionIssuedAt(), identity.sessionIssuerArn(),
                identity.verified());
    }

    private static String accessKeyIdOf(HttpServletRequest request) {
        try {
            return SigV4Verifier.parse(request.getHeader("Authorization")).accessKeyId();
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private String regionOf(HttpServletRequest request) {
        try {
            return SigV4Verifier.parse(request.getHeader("Authorization")).region();
        } catch (RuntimeException unreadable) {
            return properties.defaultRegion();
        }
    }

    private static List<String> resources(String eventSource, JsonNode input, String account, String region) {
        List<String> arns = new ArrayList<>();
        if (input == null) {
            return arns;
        }
        String partition = AwsPartitions.of(region);
        JsonNode stream = input.get("DeliveryStreamName");
        if (stream != null && stream.isTextual()) {
            arns.add("arn:" + partition + ":firehose:" + region + ":" + account + ":deliverystream/" + stream.asText());
        }
        JsonNode key = input.has("KeyId") ? input.get("KeyId") : input.path("DeliveryStreamEncryptionConfigurationInput").get("KeyARN");
        if (key != null && key.isTextual()) {
            String value = key.asText();
            if (value.startsWith("arn:")) {
                arns.add(value);
            } else if (KEY_UUID.matcher(value).matches()) {
                arns.add("arn:" + partition + ":kms:" + region + ":" + account + ":key/" + value);
            }
        }
        return arns;
    }

    /**
     * CloudTrail's form of a request or response: member names with only their first letter lowered
     * (DeliveryStreamARN → deliveryStreamARN), data and secrets withheld.
     */
    static JsonNode cloudTrailForm(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = lowerFirst(field.getKey());
                if (WITHHELD.contains(field.getKey())) {
                    out.put(name, "HIDDEN_DUE_TO_SECURITY_REASONS");
                } else if (field.getKey().equals("Records") && field.getValue().isArray()) {
                    out.put("recordCount", field.getValue().size());
                } else if (field.getKey().equals("RequestResponses") && field.getValue().isArray()) {
                    // 500 record ids per batch would make the trail the biggest write of a put; the count says enough.
                    out.put("requestResponseCount", field.getValue().size());
                } else if (field.getKey().equals("Record") && field.getValue().isObject()) {
                    out.set(name, JsonNodeFactory.instance.objectNode().put("data", "HIDDEN_DUE_TO_SECURITY_REASONS"));
                } else {
                    out.set(name, cloudTrailForm(field.getValue()));
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> out.add(cloudTrailForm(element)));
            return out;
        }
        return node;
    }

    private static String lowerFirst(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
