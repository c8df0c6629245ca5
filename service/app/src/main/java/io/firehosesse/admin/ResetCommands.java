package io.firehosesse.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firehosesse.audit.CallAudit;
import io.firehosesse.auth.AuthProperties;
import io.firehosesse.auth.AuthenticationException;
import io.firehosesse.auth.Caller;
import io.firehosesse.auth.Callers;
import io.firehosesse.platform.CallTransaction;
import io.firehosesse.platform.CallTransaction.ConflictingCallException;
import io.firehosesse.platform.ServiceReset;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/admin/reset}: the service back to empty, as moto's and LocalStack's users reset theirs between
 * tests: no streams, keys, grants, records, sessions or views. The audit trail starts a new chain whose first record
 * is the reset. Refused (403) while {@code firehose.admin.reset-enabled} is false, which it is by default whenever a
 * credentials file is configured.
 */
@RestController
class ResetCommands {

    static final String EVENT_SOURCE = "firehose-sse.admin";
    static final String EVENT_NAME = "ResetService";

    private final boolean enabled;
    private final Callers callers;
    private final CallTransaction calls;
    private final ServiceReset reset;
    private final CallAudit audit;
    private final Clock clock;

    ResetCommands(AdminProperties admin, AuthProperties auth, Callers callers, CallTransaction calls, ServiceReset reset,
                  CallAudit audit, Clock clock) {
        this.enabled = admin.resetEnabled() != null ? admin.resetEnabled() : auth.open();
        this.callers = callers;
        this.calls = calls;
        this.reset = reset;
        this.audit = audit;
        this.clock = clock;
    }

    record ResetDone(Instant resetAt) {
    }

    @PostMapping("/api/admin/reset")
    ResponseEntity<?> reset(HttpServletRequest request) {
        ObjectNode parameters = JsonNodeFactory.instance.objectNode();
        Caller caller = null;
        try {
            caller = callers.ofApi(request);
            if (!enabled) {
                return refuse(request, caller, parameters, HttpStatus.FORBIDDEN, "AccessDeniedException",
                        "Reset is disabled: set firehose.admin.reset-enabled=true to allow it (it is on by default only"
                                + " in open mode, without firehose.auth.credentials-file).");
            }
            Caller by = caller;
            ResetDone done = calls.write(() -> {
                reset.resetAll();
                return new ResetDone(clock.instant());
            }, result -> audit.append(EVENT_SOURCE, EVENT_NAME, request, by, parameters,
                    JsonNodeFactory.instance.objectNode().put("ResetAt", result.resetAt().toString()), null, null));
            return ResponseEntity.ok(done);
        } catch (AuthenticationException refused) {
            return refuse(request, caller, parameters, HttpStatus.FORBIDDEN, refused.reason().jsonCode(), refused.getMessage());
        } catch (ConflictingCallException busy) {
            return refuse(request, caller, parameters, HttpStatus.SERVICE_UNAVAILABLE, "ServiceUnavailableException",
                    "The service is too busy to be reset now; try again.");
        }
    }

    private ResponseEntity<ProblemDetail> refuse(HttpServletRequest request, Caller caller, ObjectNode parameters,
                                                 HttpStatus status, String code, String message) {
        audit.append(EVENT_SOURCE, EVENT_NAME, request, caller, parameters, null, code, message);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        problem.setTitle(code);
        problem.setProperty("code", code);
        return ResponseEntity.status(status).body(problem);
    }
}
