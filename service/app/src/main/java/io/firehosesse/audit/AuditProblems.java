package io.firehosesse.audit;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The audit API's errors in the same RFC 9457 form as the read model's REST API (its QueryProblems is
 * package-private in read-model and scoped to its own controllers, so the format is repeated here).
 */
@RestControllerAdvice(assignableTypes = AuditQueries.class)
class AuditProblems {

    @ExceptionHandler(AuditParameterException.class)
    ProblemDetail badParameter(AuditParameterException e) {
        return badRequest(e.parameter(), e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return badRequest(e.getName(), "Parameter '" + e.getName() + "' has an invalid value: " + e.getValue());
    }

    private static ProblemDetail badRequest(String parameter, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid parameter");
        problem.setType(URI.create("urn:firehose-sse:problem:invalid-parameter"));
        problem.setProperty("parameter", parameter);
        return problem;
    }
}
