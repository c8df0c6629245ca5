package io.firehosesse.awsjson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import io.firehosesse.audit.CallAudit;
import io.firehosesse.auth.Caller;
import io.firehosesse.auth.Callers;
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

    private final AwsCalls awsCalls;
    private final Callers callers;
    private final ObjectMapper json = WireJson.mapper();

    private final CallAudit audit;

    AwsJsonController(AwsCalls awsCalls, Callers callers, CallAudit audit) {
        this.awsCalls = awsCalls;
        this.callers = callers;
        this.audit = audit;
    }

    @PostMapping(path = "/")
    ResponseEntity<byte[]> handle(@RequestHeader(name = "X-Amz-Target", required = false) String target,
                                  HttpServletRequest request) throws IOException {
        // The raw stream, not @RequestBody: for a form content type Spring would rebuild the body from
        // parsed parameters, and a JSON body sent by curl without a content type would arrive mangled.
        byte[] body = request.getInputStream().readAllBytes();
        boolean kms = target != null && target.startsWith("TrentService.");
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
