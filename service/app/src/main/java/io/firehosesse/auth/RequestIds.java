package io.firehosesse.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import io.firehosesse.platform.CallLogContext;
import java.util.UUID;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id before anything can fail, so every response, errors included, carries
 * {@code x-amzn-RequestId} and the same id reaches the events the request causes and every line the request logs
 * (the MDC's {@code requestId}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIds extends OncePerRequestFilter {

    static final String HEADER = "x-amzn-RequestId";
    private static final String ATTRIBUTE = RequestIds.class.getName();

    public static String of(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        return id == null ? UUID.randomUUID().toString() : id.toString();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader(HEADER, id);
        // Every line the request's thread logs carries its id; Callers adds who called once it knows.
        MDC.put(CallLogContext.REQUEST_ID, id);
        try {
            chain.doFilter(request, response);
        } finally {
            CallLogContext.clear();
        }
    }
}
