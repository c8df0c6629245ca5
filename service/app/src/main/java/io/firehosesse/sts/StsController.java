package io.firehosesse.sts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firehosesse.auth.AuthenticationException;
import io.firehosesse.auth.Credential;
import io.firehosesse.audit.CallAudit;
import io.firehosesse.platform.CallTransaction;
import io.firehosesse.auth.Callers;
import io.firehosesse.auth.RequestIds;
import io.firehosesse.auth.Caller;
import io.firehosesse.system.CallMeters;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * STS on the service's own endpoint, in the Query protocol AWS speaks for it (form-encoded {@code Action=…}
 * requests, XML answers), so that {@code aws sts get-session-token --endpoint-url …} and the SDKs' STS
 * clients work: GetCallerIdentity, GetSessionToken and AssumeRole. Requests carrying X-Amz-Target are
 * JSON-protocol calls and never come here.
 */
@RestController
class StsController {

    private static final Logger log = LoggerFactory.getLogger(StsController.class);
    static final String EVENT_SOURCE = "sts.amazonaws.com";
    static final MediaType XML = MediaType.parseMediaType("text/xml;charset=UTF-8");

    private final Callers callers;
    private final SessionIssuer sessions;
    private final CallAudit audit;
    private final CallTransaction calls;

    /** The meters of the three actions served, and of any other asked for (InvalidAction). */
    private final Map<String, CallMeters.Operation> meters;
    private final CallMeters.Operation unknown;

    StsController(Callers callers, SessionIssuer sessions, CallAudit audit, CallTransaction calls, CallMeters callMeters) {
        this.meters = Map.of("GetCallerIdentity", callMeters.operation("sts", "GetCallerIdentity"),
                "GetSessionToken", callMeters.operation("sts", "GetSessionToken"),
                "AssumeRole", callMeters.operation("sts", "AssumeRole"));
        this.unknown = callMeters.operation("sts", "unknown");
        this.calls = calls;
        this.callers = callers;
        this.sessions = sessions;
        this.audit = audit;
    }

    @PostMapping(path = "/", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE, headers = "!X-Amz-Target")
    ResponseEntity<String> handle(HttpServletRequest request) throws IOException {
        long start = System.nanoTime();
        byte[] body = request.getInputStream().readAllBytes();
        String requestId = RequestIds.of(request);
        Map<String, String> form;
        try {
            form = form(new String(body, StandardCharsets.UTF_8));
        } catch (StsException malformed) {
            return error(start, malformed, requestId, "", request, null, JsonNodeFactory.instance.objectNode());
        }
        String action = form.getOrDefault("Action", "");
        ObjectNode parameters = JsonNodeFactory.instance.objectNode();
        form.forEach((name, value) -> {
            if (!name.equals("Action") && !name.equals("Version")) {
                parameters.put(name, value);
            }
        });
        Caller caller = null;
        try {
            caller = callers.of(request, body, "sts");
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            Caller who = caller;
            String result;
            if (action.equals("GetCallerIdentity")) {
                result = perform(action, form, who, response);
                audit.append(EVENT_SOURCE, action, request, who, parameters, response, null, null);
            } else {
                // Issued credentials and the record of issuing them commit together (GetSessionToken is a "Get" to
                // CloudTrail, but it stores a session).
                result = calls.write(() -> perform(action, form, who, response),
                        issued -> audit.append(EVENT_SOURCE, action, request, who, parameters, response, null, null));
            }
            meter(action).record(start, null);
            return ResponseEntity.ok().contentType(XML).body(StsXml.response(action, result, requestId));
        } catch (AuthenticationException refused) {
            return error(start, new StsException(refused.reason().queryCode(), refused.reason().queryStatus(), refused.getMessage()),
                    requestId, action, request, caller, parameters);
        } catch (StsException refused) {
            return error(start, refused, requestId, action, request, caller, parameters);
        } catch (RuntimeException fault) {
            log.error("STS request failed", fault);
            return error(start, new StsException("InternalFailure", 500, "An internal error occurred."), requestId, action, request,
                    caller, parameters);
        }
    }

    private String perform(String action, Map<String, String> form, Caller caller, ObjectNode response) {
        return switch (action) {
            case "GetCallerIdentity" -> StsXml.callerIdentity(sessions.identity(caller));
            case "GetSessionToken" -> {
                Credential issued = sessions.sessionToken(caller, seconds(form));
                response.set("Credentials", credentials(issued));
                yield StsXml.sessionToken(issued);
            }
            case "AssumeRole" -> {
                StsXml.AssumedRole assumed = sessions.assumeRole(caller, form.get("RoleArn"), form.get("RoleSessionName"),
                        seconds(form));
                response.set("Credentials", credentials(assumed.credentials()));
                response.putObject("AssumedRoleUser").put("Arn", assumed.credentials().principalArn())
                        .put("AssumedRoleId", assumed.assumedRoleId());
                yield StsXml.assumedRole(assumed);
            }
            default -> throw new StsException("InvalidAction", 400,
                    "Could not find operation " + action + " for version " + form.getOrDefault("Version", "NO_VERSION_SPECIFIED"));
        };
    }

    private static ObjectNode credentials(Credential issued) {
        ObjectNode credentials = JsonNodeFactory.instance.objectNode();
        credentials.put("AccessKeyId", issued.accessKeyId()).put("SessionToken", issued.sessionToken())
                .put("Expiration", issued.expiresAt().toString());
        return credentials;
    }

    private CallMeters.Operation meter(String action) {
        CallMeters.Operation meter = meters.get(action);
        return meter == null ? unknown : meter;
    }

    private ResponseEntity<String> error(long start, StsException error, String requestId, String action,
                                         HttpServletRequest request, Caller caller, ObjectNode parameters) {
        meter(action).record(start, error.code());
        audit.append(EVENT_SOURCE, action.isEmpty() ? null : action, request, caller, parameters, null, error.code(),
                error.getMessage());
        return ResponseEntity.status(error.status()).contentType(XML).body(StsXml.error(error, requestId));
    }

    private static Integer seconds(Map<String, String> form) {
        String value = form.get("DurationSeconds");
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new StsException("ValidationError", 400, "Value '" + value + "' at 'durationSeconds' failed to satisfy"
                    + " constraint: Member must be a number");
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            form.putIfAbsent(decode(equals < 0 ? pair : pair.substring(0, equals)), equals < 0 ? "" : decode(pair.substring(equals + 1)));
        }
        return form;
    }

    private static String decode(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            // A "%" not followed by two hex digits. The status is the one AWS documents for this common error.
            throw new StsException("MalformedQueryString", 404, "The query string contains a syntax error.");
        }
    }
}
