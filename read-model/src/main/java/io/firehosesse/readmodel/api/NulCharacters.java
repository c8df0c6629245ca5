package io.firehosesse.readmodel.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * PostgreSQL cannot store or compare text containing NUL (U+0000): a parameter holding one would fail
 * inside the query as a server error. No name, ARN, id or time contains one, so the REST API refuses such
 * a parameter up front as the bad input it is.
 */
@Component
class NulCharacters extends OncePerRequestFilter {

    private final ObjectMapper json;

    /** Spring's mapper: it writes a ProblemDetail's properties as members, as the other problems are written. */
    NulCharacters(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String offending = request.getRequestURI().contains("%00") ? "path" : null;
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            for (String value : parameter.getValue()) {
                if (value.indexOf('\u0000') >= 0 || parameter.getKey().indexOf('\u0000') >= 0) {
                    offending = parameter.getKey();
                }
            }
        }
        if (offending == null) {
            chain.doFilter(request, response);
            return;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "Parameter '" + offending.replace("\u0000", "") + "' contains a NUL character.");
        problem.setTitle("Invalid parameter");
        problem.setType(java.net.URI.create("urn:firehose-sse:problem:invalid-parameter"));
        problem.setProperty("parameter", offending.replace("\u0000", ""));
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
