package io.firehosesse.awsjson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.awsjson.OperationRegistry.Registered;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import io.firehosesse.audit.CallAudit;
import io.firehosesse.auth.Caller;
import io.firehosesse.auth.Callers;
import io.firehosesse.platform.CallTransaction;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /}: the AWS JSON 1.1 endpoint. The body is taken as raw bytes, whatever the content type
 * says, because the protocol, not Spring's converters, decides what a valid request is.
 */
@RestController
class AwsJsonController {

    static final MediaType AMZ_JSON = MediaType.parseMediaType("application/x-amz-json-1.1");

    private final OperationRegistry operations;
    private final Callers callers;
    private final ObjectMapper json = WireJson.mapper();

    private final CallAudit audit;
    private final CallTransaction calls;

    AwsJsonController(OperationRegistry operations, Callers callers, CallAudit audit, CallTransaction calls) {
        this.operations = operations;
        this.callers = callers;
        this.audit = audit;
        this.calls = calls;
    }

    @PostMapping(path = "/")
    ResponseEntity<byte[]> handle(@RequestHeader(name = "X-Amz-Target", required = false) String target,
                                  HttpServletRequest request) throws IOException {
        // The raw stream, not @RequestBody: for a form content type Spring would rebuild the body from
        // parsed parameters, and a JSON body sent by curl without a content type would arrive mangled.
        byte[] body = request.getInputStream().readAllBytes();
        boolean kms = target != null && target.startsWith("TrentService.");
        String eventSource = kms ? "kms.amazonaws.com" : "firehose.amazonaws.com";
        String eventName = target == null ? null : target.substring(target.indexOf('.') + 1);
        Caller caller = null;
        JsonNode input = null;
        try {
            caller = callers.of(request, body, kms ? "kms" : "firehose");
            Registered registered = operations.find(target).orElseThrow(() -> new AwsErrorException(
                    "UnknownOperationException", 400,
                    target == null ? "Missing X-Amz-Target header." : "The operation " + target + " is not supported."));
            input = parse(body);
            registered.validator().validate(registered.inputShape(), input);
            Object bound = bind(input, registered.operation().inputType());
            Object output = invokeAudited(registered, bound, caller, eventSource, eventName, request, input);
            return ResponseEntity.ok().contentType(AMZ_JSON).body(json.writeValueAsBytes(output));
        } catch (RuntimeException failure) {
            AwsErrorException error = AwsErrorResponses.translate(failure);
            try {
                audit.append(eventSource, eventName, request, caller, input, null, error.type(), error.getMessage());
            } catch (RuntimeException unrecorded) {
                failure.addSuppressed(unrecorded);
            }
            throw failure;
        }
    }

    /**
     * A mutating call runs in one transaction with its audit record, so that there is no event without its
     * record and no record of events that were not stored; a read is recorded after it is answered.
     */
    private Object invokeAudited(Registered registered, Object bound, Caller caller, String eventSource, String eventName,
                                 HttpServletRequest request, JsonNode input) {
        if (CallAudit.readOnly(eventName)) {
            Object output = registered.operation().invoke(bound, caller);
            audit.append(eventSource, eventName, request, caller, input, null, null, null);
            return output;
        }
        return calls.write(() -> registered.operation().invoke(bound, caller),
                output -> audit.append(eventSource, eventName, request, caller, input, json.valueToTree(output), null, null));
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
            throw AwsErrorException.serialization("The request body exceeds a limit of this service: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw AwsErrorException.serialization("The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw AwsErrorException.serialization("The request body could not be read.");
        }
    }

    private Object bind(JsonNode input, Class<?> type) {
        try {
            return json.treeToValue(input, type);
        } catch (JsonProcessingException e) {
            throw AwsErrorException.serialization("The request does not match its shape: " + e.getOriginalMessage());
        }
    }
}
