package io.firehosesse.sts;

import io.firehosesse.auth.AuthenticationException;
import io.firehosesse.awsjson.Callers;
import io.firehosesse.awsjson.RequestIds;
import io.firehosesse.system.Caller;
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
    static final MediaType XML = MediaType.parseMediaType("text/xml;charset=UTF-8");

    private final Callers callers;
    private final SessionIssuer sessions;

    StsController(Callers callers, SessionIssuer sessions) {
        this.callers = callers;
        this.sessions = sessions;
    }

    @PostMapping(path = "/", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE, headers = "!X-Amz-Target")
    ResponseEntity<String> handle(HttpServletRequest request) throws IOException {
        byte[] body = request.getInputStream().readAllBytes();
        String requestId = RequestIds.of(request);
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        try {
            Caller caller = callers.of(request, body, "sts");
            String action = form.getOrDefault("Action", "");
            String result = switch (action) {
                case "GetCallerIdentity" -> StsXml.callerIdentity(sessions.identity(caller));
                case "GetSessionToken" -> StsXml.sessionToken(sessions.sessionToken(caller, seconds(form)));
                case "AssumeRole" -> StsXml.assumedRole(sessions.assumeRole(caller, form.get("RoleArn"),
                        form.get("RoleSessionName"), seconds(form)));
                default -> throw new StsException("InvalidAction", 400,
                        "Could not find operation " + action + " for version " + form.getOrDefault("Version", "NO_VERSION_SPECIFIED"));
            };
            return ResponseEntity.ok().contentType(XML).body(StsXml.response(action, result, requestId));
        } catch (AuthenticationException refused) {
            return error(new StsException(refused.reason().queryCode(), refused.reason().queryStatus(), refused.getMessage()),
                    requestId);
        } catch (StsException refused) {
            return error(refused, requestId);
        } catch (RuntimeException fault) {
            log.error("STS request failed", fault);
            return error(new StsException("InternalFailure", 500, "An internal error occurred."), requestId);
        }
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

    private static ResponseEntity<String> error(StsException error, String requestId) {
        return ResponseEntity.status(error.status()).contentType(XML).body(StsXml.error(error, requestId));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            form.putIfAbsent(name, value);
        }
        return form;
    }
}
