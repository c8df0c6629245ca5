package io.firehosesse.auth;

import io.firehosesse.auth.AuthProperties;
import io.firehosesse.auth.AuthenticationException;
import io.firehosesse.auth.Credential;
import io.firehosesse.auth.CredentialStore;
import io.firehosesse.auth.SigV4Verifier;
import io.firehosesse.auth.SignedRequest;
import io.firehosesse.auth.Caller;
import io.firehosesse.platform.CallLogContext;
import io.firehosesse.platform.PlatformProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * Establishes who is calling. With a credentials file, the SigV4 signature is verified and the caller
 * is the credential's principal in the credential's account (two accounts never see each other's
 * streams or keys). In open mode, a well-formed Authorization header is taken at its word, a missing one
 * is let through, and the caller is recorded as unverified in the configured account. The region always
 * comes from the credential scope, as AWS routes by it.
 */
@Component
public class Callers {

    private final PlatformProperties properties;
    private final AuthProperties auth;
    private final SigV4Verifier verifier;

    private final CredentialStore credentials;

    Callers(PlatformProperties properties, AuthProperties auth, CredentialStore credentials, Clock clock) {
        this.credentials = credentials;
        this.properties = properties;
        this.auth = auth;
        this.verifier = new SigV4Verifier(credentials::find, clock, auth.maxSkew());
    }

    /** The caller of a request to {@code service} (the SigV4 signing name: firehose, kms, sts). */
    public Caller of(HttpServletRequest request, byte[] body, String service) {
        Caller caller = identify(request, body, service);
        CallLogContext.putCaller(caller.principal(), caller.accessKeyId());
        return caller;
    }

    /**
     * The caller of an {@code /api} request: the one {@link ApiAuthentication} verified with a credentials file; in open
     * mode, as {@link #of} finds it (nothing was verified, so nothing is kept).
     */
    public Caller ofApi(HttpServletRequest request) {
        Caller verified = ApiAuthentication.verified(request);
        return verified != null ? verified : of(request, new byte[0], "firehose");
    }

    private Caller identify(HttpServletRequest request, byte[] body, String service) {
        String header = request.getHeader("Authorization");
        if (auth.open()) {
            return open(request, header);
        }
        SignedRequest signed = new SignedRequest(request.getMethod(), request.getRequestURI(), request.getQueryString(),
                headers(request), body);
        SigV4Verifier.Authorization scope = SigV4Verifier.parse(header);
        if (!scope.service().equals(service)) {
            throw new AuthenticationException(AuthenticationException.Reason.INVALID_SIGNATURE,
                    "Credential should be scoped to correct service: '" + service + "'. ");
        }
        Credential credential = verifier.verify(signed);
        return new Caller(RequestIds.of(request), credential.accountId(), scope.region(), credential.accessKeyId(),
                credential.principalArn(), request.getRemoteAddr(), request.getHeader("User-Agent"),
                new Caller.Identity(credential.identityType(), credential.temporary() ? credential.issuedAt() : null,
                        credential.sessionIssuerArn(), true));
    }

    private Caller open(HttpServletRequest request, String header) {
        String accessKeyId = null;
        String region = properties.defaultRegion();
        if (header != null) {
            SigV4Verifier.Authorization scope = SigV4Verifier.parse(header);
            accessKeyId = scope.accessKeyId();
            region = scope.region();
        }
        // Sessions STS issued are known even here: their issue time still decides the six-hour rule.
        Credential session = accessKeyId != null && accessKeyId.startsWith("ASIA")
                ? credentials.find(accessKeyId).orElse(null) : null;
        if (session != null) {
            return new Caller(RequestIds.of(request), properties.accountId(), region, accessKeyId, session.principalArn(),
                    request.getRemoteAddr(), request.getHeader("User-Agent"),
                    new Caller.Identity(session.identityType(), session.issuedAt(), session.sessionIssuerArn(), false));
        }
        return new Caller(RequestIds.of(request), properties.accountId(), region, accessKeyId, null,
                request.getRemoteAddr(), request.getHeader("User-Agent"), Caller.Identity.UNVERIFIED);
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> headers = new TreeMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), Collections.list(request.getHeaders(name)));
        }
        return headers;
    }
}
