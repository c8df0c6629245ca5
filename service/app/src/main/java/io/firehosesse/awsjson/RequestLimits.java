package io.firehosesse.awsjson;

import io.firehosesse.auth.RequestIds;
import io.firehosesse.system.ReadBody;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps the body of {@code POST /} before anything parses it. A declared Content-Length over the limit is
 * refused without reading a byte; a chunked body is read at most one byte past the limit. Either way no
 * more than {@code firehose.wire.max-body-bytes} + 1 bytes of a request are ever held in memory. A body
 * within the limit is handed on, already read ({@link ReadBody}), to the wire endpoint or STS's controller, which
 * read it again from memory.
 *
 * <p>The refusal is HTTP 400 {@code SerializationException}, not 413: AWS JSON clients only read an error's
 * {@code __type}, botocore and the SDKs turn a 400 with an unmodelled type into their generic service error
 * with that code and do not retry it (a 413 without {@code __type} would surface as an unknown error, and
 * some clients retry 4xx statuses they do not recognise). SerializationException rather than
 * ValidationException because the body was never deserialized, so no member's constraint can be named;
 * it is also what the wire answers for the other input limits (nesting depth, string and number length,
 * enforced by {@link WireJson}), so one type means "the body could not be read within the limits".
 *
 * <p>Tomcat swallows up to 2 MiB of a refused body so the client can read the answer on a connection that
 * stays usable; a body that goes on beyond that is cut off by closing the connection, as it should be.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10) // after RequestIds, so a refusal carries a request id too
public class RequestLimits extends OncePerRequestFilter {

    static final String REFUSAL_TYPE = "SerializationException";

    private final int maxBodyBytes;

    RequestLimits(WireProperties properties) {
        this.maxBodyBytes = (int) properties.maxBodyBytes().toBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The servlet path is the decoded, normalised path (no ";params", "//" merged): what the mappings see.
        return !"POST".equals(request.getMethod()) || !"/".equals(request.getServletPath());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            refuse(request, response, "The request body of " + declared + " bytes exceeds the limit of " + maxBodyBytes
                    + " bytes.");
            return;
        }
        byte[] body = request.getInputStream().readNBytes(maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            refuse(request, response, "The request body exceeds the limit of " + maxBodyBytes + " bytes.");
            return;
        }
        chain.doFilter(new ReadBody(request, body), response);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        if (queryProtocol(request)) {
            // STS's Query protocol shares this endpoint and speaks XML: the same envelope StsXml writes.
            response.setContentType("text/xml;charset=UTF-8");
            response.getOutputStream().write(("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
                    + "  <Error>\n    <Type>Sender</Type>\n    <Code>ValidationError</Code>\n    <Message>" + message
                    + "</Message>\n  </Error>\n  <RequestId>" + RequestIds.of(request) + "</RequestId>\n</ErrorResponse>\n")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("__type", REFUSAL_TYPE);
        error.put("message", message);
        response.setContentType(AwsJsonEndpoint.AMZ_JSON.toString());
        response.setHeader("x-amzn-ErrorType", REFUSAL_TYPE);
        response.getOutputStream().write(WireJson.mapper().writeValueAsBytes(error));
    }

    /** A form-encoded request without X-Amz-Target: the one StsController's mapping takes. */
    static boolean queryProtocol(HttpServletRequest request) {
        if (request.getHeader("X-Amz-Target") != null || request.getContentType() == null) {
            return false;
        }
        try {
            return MediaType.APPLICATION_FORM_URLENCODED.includes(MediaType.parseMediaType(request.getContentType()));
        } catch (IllegalArgumentException unparseable) {
            return false;
        }
    }
}
