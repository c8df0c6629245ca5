package io.firehosesse.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firehosesse.auth.ApiRefusals;
import io.firehosesse.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/**
 * Records each {@code /api} request the authentication filter refused, as a refused wire call is recorded: an
 * anonymous probe of the admin routes or a bad signature is exactly what a trail is read for. The filter runs before
 * any route is chosen, so the record names the request by method and path rather than by operation.
 */
@Component
class ApiRefusalAudit implements ApiRefusals {

    static final String EVENT_SOURCE = "firehose-sse.api";
    /** "Get…" so a refused read counts as read-only, as CloudTrail's readOnly does for its Get operations. */
    static final String READ = "GetApiResource";
    static final String CALL = "CallApiOperation";

    private final CallAudit audit;

    ApiRefusalAudit(CallAudit audit) {
        this.audit = audit;
    }

    @Override
    public void refused(HttpServletRequest request, Caller caller, String code, String message) {
        ObjectNode parameters = JsonNodeFactory.instance.objectNode()
                .put("HttpMethod", request.getMethod())
                .put("Path", request.getRequestURI());
        if (request.getQueryString() != null) {
            parameters.put("QueryString", request.getQueryString());
        }
        String method = request.getMethod();
        audit.append(EVENT_SOURCE, "GET".equals(method) || "HEAD".equals(method) ? READ : CALL, request, caller,
                parameters, null, code, message);
    }
}
