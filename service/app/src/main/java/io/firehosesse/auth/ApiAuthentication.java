package io.firehosesse.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.readmodel.api.ApiCaller;
import io.firehosesse.platform.PlatformProperties;
import io.firehosesse.system.ReadBody;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may call the REST API, in one place. With a credentials file every request under {@code /api} must be SigV4-signed
 * for service {@code firehose} and is verified by {@link Callers}, as the wire is; the caller's account then bounds what
 * the queries show ({@link ApiCaller}), and the admin routes need a key the credentials file marks {@code admin: true}.
 * Refusals are HTTP 403 problems titled with AWS's exception name and recorded in the audit trail. In open mode the
 * request passes untouched, as the service's open mode promises, with an unrestricted {@link ApiCaller}.
 *
 * <p>Here rather than in each controller so that a new route is guarded without anyone remembering to: the
 * table-driven {@code ApiAccessIT} walks the OpenAPI document to prove it. The wire ({@code POST /}) never passes
 * through this filter.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20) // after RequestIds (a refusal carries its request id), before the NUL check
public class ApiAuthentication extends OncePerRequestFilter {

    static final String CALLER = ApiAuthentication.class.getName() + ".caller";
    static final String ACCESS_DENIED = "AccessDeniedException";
    /** Routes only an admin may call: rebuilding and emptying state, processor internals, the chain across accounts. */
    private static final List<String> ADMIN_PATHS = List.of("/api/admin", "/api/audit/verify");
    /** REST bodies are a few bytes ({"projection":"all"}); a signature is checked over a body held in memory. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final boolean open;
    private final String openAccountId;
    private final Callers callers;
    private final CredentialStore credentials;
    private final ApiRefusals refusals;
    private final ObjectMapper json;

    /** Spring's mapper: it writes a ProblemDetail's properties as members, as the other problems are written. */
    ApiAuthentication(AuthProperties auth, PlatformProperties properties, Callers callers, CredentialStore credentials,
                      ApiRefusals refusals, ObjectMapper json) {
        this.open = auth.open();
        this.openAccountId = properties.accountId();
        this.callers = callers;
        this.credentials = credentials;
        this.refusals = refusals;
        this.json = json;
    }

    /** The caller this filter verified for an {@code /api} request; null in open mode, where nothing was verified. */
    public static Caller verified(HttpServletRequest request) {
        return request.getAttribute(CALLER) instanceof Caller caller ? caller : null;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !under(request, "/api");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (open) {
            request.setAttribute(ApiCaller.ATTRIBUTE, ApiCaller.open(openAccountId));
            chain.doFilter(request, response);
            return;
        }
        long declared = request.getContentLengthLong();
        byte[] body = declared > MAX_BODY_BYTES ? null : request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body == null || body.length > MAX_BODY_BYTES) {
            refuse(request, response, null, HttpStatus.BAD_REQUEST, "ValidationException",
                    "The request body exceeds the limit of " + MAX_BODY_BYTES + " bytes.");
            return;
        }
        HttpServletRequest read = new ReadBody(request, body);
        Caller caller;
        try {
            caller = callers.of(read, body, "firehose");
        } catch (AuthenticationException refused) {
            refuse(read, response, null, HttpStatus.FORBIDDEN, refused.reason().jsonCode(), refused.getMessage());
            return;
        }
        boolean admin = credentials.admin(caller.accessKeyId());
        if (!admin && ADMIN_PATHS.stream().anyMatch(path -> under(request, path))) {
            refuse(read, response, caller, HttpStatus.FORBIDDEN, ACCESS_DENIED, "User: " + caller.principal()
                    + " is not authorized to perform: " + request.getMethod() + " " + request.getServletPath()
                    + " because no admin key in the credentials file signed the request");
            return;
        }
        read.setAttribute(CALLER, caller);
        read.setAttribute(ApiCaller.ATTRIBUTE, ApiCaller.signed(caller.accountId(), admin));
        chain.doFilter(read, response);
    }

    /**
     * Whether the request is for {@code prefix} or below it, judged on the servlet path (decoded, normalised: no
     * "/./", no ";params", "//" merged: what the mappings match) and on the raw URI, so no spelling of a path reaches a
     * controller unchecked. Case matters, as it does to the mappings.
     */
    private static boolean under(HttpServletRequest request, String prefix) {
        return starts(request.getServletPath(), prefix)
                || starts(request.getRequestURI().replaceFirst("^/+", "/"), prefix);
    }

    private static boolean starts(String path, String prefix) {
        return path != null && (path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + ";"));
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Caller caller, HttpStatus status,
                        String code, String message) throws IOException {
        refusals.refused(request, caller, code, message);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        problem.setTitle(code);
        problem.setProperty("code", code);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setHeader("x-amzn-ErrorType", code);
        json.writeValue(response.getOutputStream(), problem);
    }
}
