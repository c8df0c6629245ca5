package io.firehosesse.readmodel.api;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The REST API's errors as RFC 9457 problem details, for the read model's queries and the audit trail's
 * (named by package: the audit API lives in the service module); the AWS endpoint keeps its own dialect.
 */
@RestControllerAdvice(basePackages = {"io.firehosesse.readmodel.api", "io.firehosesse.audit"})
class QueryProblems {

    @ExceptionHandler(StreamNotFoundException.class)
    ProblemDetail notFound(StreamNotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Delivery stream not found");
        problem.setType(URI.create("urn:firehose-sse:problem:stream-not-found"));
        return problem;
    }

    @ExceptionHandler(BadParameterException.class)
    ProblemDetail badParameter(BadParameterException e) {
        return badRequest(e.parameter(), e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return badRequest(e.getName(), "Parameter '" + e.getName() + "' has an invalid value: " + e.getValue());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ProblemDetail missing(MissingServletRequestParameterException e) {
        return badRequest(e.getParameterName(), "Parameter '" + e.getParameterName() + "' is required.");
    }

    private static ProblemDetail badRequest(String parameter, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid parameter");
        problem.setType(URI.create("urn:firehose-sse:problem:invalid-parameter"));
        problem.setProperty("parameter", parameter);
        return problem;
    }
}
