package io.firehosesse.awsjson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import io.firehosesse.audit.CallAudit;
import io.firehosesse.auth.Caller;
import io.firehosesse.auth.Callers;
import io.firehosesse.system.CallMeters;
import java.util.HashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * {@code POST /}: the AWS JSON 1.1 endpoint. The body is taken as raw bytes, whatever the content type
 * says, because the protocol, not Spring's converters, decides what a valid request is.
 *
 * <p>A servlet filter rather than a controller: the protocol has one path, one method and no content negotiation, so
 * Spring MVC's dispatch (handler lookup, argument resolvers, return value handlers, message converters) and the
 * filters after this one did nothing for a call but cost it: 10-15 % of a Describe's CPU, profiled under the
 * harness's load. STS's Query protocol on the same path (form-encoded, no {@code X-Amz-Target}) still goes on to its
 * controller. Errors are answered by {@link AwsErrorResponses}, as before.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 11) // after RequestLimits, which caps and reads the body
class AwsJsonEndpoint extends OncePerRequestFilter {

    static final MediaType AMZ_JSON = MediaType.parseMediaType("application/x-amz-json-1.1");

    private final AwsCalls awsCalls;
    private final Callers callers;
    private final ObjectMapper json = WireJson.mapper();

    private final CallAudit audit;
    private final AwsErrorResponses errors;

    /** Each served target's meters, made once; a target nobody serves is counted as {@code unknown}. */
    private final Map<String, CallMeters.Operation> meters = new HashMap<>();
    private final CallMeters.Operation unknownFirehose;
    private final CallMeters.Operation unknownKms;

    AwsJsonEndpoint(AwsCalls awsCalls, Callers callers, CallAudit audit, OperationRegistry operations, CallMeters callMeters,
                    AwsErrorResponses errors) {
        this.awsCalls = awsCalls;
        this.errors = errors;
        this.callers = callers;
        this.audit = audit;
        for (String target : operations.targets()) {
            meters.put(target, callMeters.operation(service(target), AwsCalls.eventName(target)));
        }
        this.unknownFirehose = callMeters.operation("firehose", "unknown");
        this.unknownKms = callMeters.operation("kms", "unknown");
    }

    private static String service(String target) {
        return target != null && target.startsWith("TrentService.") ? "kms" : "firehose";
    }

    private CallMeters.Operation meter(String target, boolean kms) {
        CallMeters.Operation meter = target == null ? null : meters.get(target);
        return meter != null ? meter : kms ? unknownKms : unknownFirehose;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The servlet path is the decoded, normalised path (no ";params", "//" merged), as RequestLimits judges it.
        return !"POST".equals(request.getMethod()) || !"/".equals(request.getServletPath())
                || RequestLimits.queryProtocol(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException {
        // Spring's HTTP server timer names the route, as it did when a mapping matched it.
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(context -> context.setPathPattern("/"));
        ResponseEntity<byte[]> answer;
        try {
            answer = handle(request.getHeader("X-Amz-Target"), request);
        } catch (Throwable failure) {
            answer = errors.handle(failure);
        }
        response.setStatus(answer.getStatusCode().value());
        answer.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        byte[] body = answer.getBody();
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    ResponseEntity<byte[]> handle(String target, HttpServletRequest request) throws IOException {
        long start = System.nanoTime();
        byte[] body = request.getInputStream().readAllBytes();
        boolean kms = target != null && target.startsWith("TrentService.");
        CallMeters.Operation meter = meter(target, kms);
        String eventSource = AwsCalls.eventSource(target);
        String eventName = AwsCalls.eventName(target);
        Caller caller = null;
        JsonNode input = null;
        try {
            caller = callers.of(request, body, kms ? "kms" : "firehose");
            input = parse(body);
            Caller by = caller;
            JsonNode in = input;
            Object output = awsCalls.call(target, input, caller, out -> audit.append(eventSource, eventName, request, by, in,
                    CallAudit.readOnly(eventName) ? null : json.valueToTree(out), null, null));
            ResponseEntity<byte[]> answer = ResponseEntity.ok().contentType(AMZ_JSON).body(json.writeValueAsBytes(output));
            meter.record(start, null);
            return answer;
        } catch (RuntimeException failure) {
            AwsErrorException error = AwsErrorResponses.translate(failure);
            meter.record(start, error.type());
            try {
                audit.append(eventSource, eventName, request, caller, input, null, error.type(), error.getMessage());
            } catch (RuntimeException unrecorded) {
                failure.addSuppressed(unrecorded);
            }
            throw failure;
        }
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || node.isMissingNode()) {
                return json.createObjectNode();
            }
            if (!node.isObject()) {
                throw AwsErrorException.serialization("Start of structure or map expected; the request body is not a JSON object.");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw AwsErrorException.serialization("The request body exceeds a limit of this service: " + WireJson.describe(e));
        } catch (JsonProcessingException e) {
            throw AwsErrorException.serialization("The request body is not valid JSON: " + WireJson.describe(e));
        } catch (IOException e) {
            throw AwsErrorException.serialization("The request body could not be read.");
        }
    }
}
