package io.firehosesse.awsjson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.audit.CallAudit;
import io.firehosesse.auth.Caller;
import io.firehosesse.awsjson.OperationRegistry.Registered;
import io.firehosesse.platform.CallTransaction;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * One AWS JSON call, however it arrives: checked against the AWS model, bound to its typed input, run, and recorded.
 * The endpoint ({@link AwsJsonEndpoint}) calls it for what comes over the wire; the service calls it for what it
 * does on its own behalf (the seed file), so both meet exactly the same rules and errors.
 */
@Component
public class AwsCalls {

    private final OperationRegistry operations;
    private final CallTransaction calls;
    private final ObjectMapper json = WireJson.mapper();

    AwsCalls(OperationRegistry operations, CallTransaction calls) {
        this.operations = operations;
        this.calls = calls;
    }

    /**
     * Runs the call and hands its output to {@code record}. A call that changes state runs in one transaction with
     * its record ({@link CallTransaction}), so that there is no event without its record and no record of events that
     * were not stored; a read is recorded after it is answered.
     */
    Object call(String target, JsonNode input, Caller caller, Consumer<Object> record) {
        Registered registered = operations.find(target).orElseThrow(() -> new AwsErrorException(
                "UnknownOperationException", 400,
                target == null ? "Missing X-Amz-Target header." : "The operation " + target + " is not supported."));
        registered.validator().validate(registered.inputShape(), input);
        Object bound = bind(input, registered.operation().inputType());
        if (CallAudit.readOnly(eventName(target))) {
            Object output = registered.operation().invoke(bound, caller);
            record.accept(output);
            return output;
        }
        return calls.write(() -> registered.operation().invoke(bound, caller), record);
    }

    /**
     * A call the service makes itself, as {@code caller}, recorded in the audit trail as any other: its output as
     * JSON. Fails as the endpoint would answer, with an {@link AwsErrorException} or the domain's own exception.
     */
    public JsonNode callAsService(String target, JsonNode input, Caller caller, CallAudit audit) {
        String eventSource = eventSource(target);
        try {
            Object output = call(target, input, caller, out -> audit.appendOwn(eventSource, eventName(target), caller, input,
                    CallAudit.readOnly(eventName(target)) ? null : json.valueToTree(out), null, null));
            return json.valueToTree(output);
        } catch (RuntimeException failure) {
            AwsErrorException error = AwsErrorResponses.translate(failure);
            audit.appendOwn(eventSource, eventName(target), caller, input, null, error.type(), error.getMessage());
            throw error;
        }
    }

    static String eventSource(String target) {
        return target != null && target.startsWith("TrentService.") ? "kms.amazonaws.com" : "firehose.amazonaws.com";
    }

    static String eventName(String target) {
        return target == null ? null : target.substring(target.indexOf('.') + 1);
    }

    private Object bind(JsonNode input, Class<?> type) {
        try {
            return json.treeToValue(input, type);
        } catch (JsonProcessingException e) {
            // Jackson's message names the Java types it binds to; the member's path is what the sender can act on.
            String path = e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping
                    ? mapping.getPath().stream()
                            .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : Integer.toString(ref.getIndex() + 1))
                            .reduce((a, b) -> a + "." + b).orElse("")
                    : "";
            throw AwsErrorException.serialization(path.isEmpty() ? "The request does not match its shape."
                    : "The request does not match its shape at '" + path + "'.");
        }
    }
}
