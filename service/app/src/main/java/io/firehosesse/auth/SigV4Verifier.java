package io.firehosesse.auth;

import io.firehosesse.auth.AuthenticationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Checks AWS Signature Version 4 on a request, in the order AWS reports problems: a missing or
 * malformed Authorization header, an unknown key or session token, an expired token, a date outside
 * the allowed skew, then the signature itself. The signature is recomputed with the AWS SDK's own
 * signer over exactly the headers the client signed, and compared in constant time.
 */
public final class SigV4Verifier {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final Pattern PARAMETER = Pattern.compile("(Credential|SignedHeaders|Signature)=([^,\\s]*)");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    static final String INVALID_TOKEN = "The security token included in the request is invalid.";
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
    /** How often the hand computation stood in for the SDK's signer (tests check the SDK does the usual work). */
    static final java.util.concurrent.atomic.AtomicLong FALLBACKS = new java.util.concurrent.atomic.AtomicLong();

    private final Function<String, Optional<Credential>> credentials;
    private final Clock clock;
    private final Duration maxSkew;

    public SigV4Verifier(Function<String, Optional<Credential>> credentials, Clock clock, Duration maxSkew) {
        this.credentials = credentials;
        this.clock = clock;
        this.maxSkew = maxSkew;
    }

    /** The parts of an Authorization header; {@code signedHeaders} in the order the client listed them. */
    public record Authorization(String accessKeyId, String scopeDate, String region, String service,
                                List<String> signedHeaders, String signature) {
    }

    /** Parses the Authorization header; throws MISSING or INCOMPLETE as AWS would. */
    public static Authorization parse(String header) {
        if (header == null || header.isBlank()) {
            throw new AuthenticationException(Reason.MISSING, "Missing Authentication Token");
        }
        String trimmed = header.trim();
        if (!trimmed.startsWith(ALGORITHM + " ")) {
            String algorithm = trimmed.split("\\s+", 2)[0];
            throw new AuthenticationException(Reason.INCOMPLETE, "Unsupported AWS 'algorithm': '" + algorithm + "'.");
        }
        Map<String, String> parameters = new TreeMap<>();
        Matcher matcher = PARAMETER.matcher(trimmed.substring(ALGORITHM.length()));
        while (matcher.find()) {
            parameters.putIfAbsent(matcher.group(1), matcher.group(2));
        }
        StringBuilder missing = new StringBuilder();
        for (String required : List.of("Credential", "Signature", "SignedHeaders")) {
            if (parameters.getOrDefault(required, "").isEmpty()) {
                missing.append("Authorization header requires '").append(required).append("' parameter. ");
            }
        }
        if (!missing.isEmpty()) {
            throw new AuthenticationException(Reason.INCOMPLETE, missing + "Authorization=" + trimmed);
        }
        String[] scope = parameters.get("Credential").split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request") || !scope[1].matches("\\d{8}") || scope[0].isEmpty()) {
            throw new AuthenticationException(Reason.INCOMPLETE, "Credential should be scoped to a valid region, not '"
                    + (scope.length > 2 ? scope[2] : "") + "'. Credential should be scoped with a valid terminator:"
                    + " 'aws4_request', not '" + scope[scope.length - 1] + "'.");
        }
        return new Authorization(scope[0], scope[1], scope[2], scope[3],
                Arrays.asList(parameters.get("SignedHeaders").toLowerCase(Locale.ROOT).split(";")), parameters.get("Signature"));
    }

    /** The credential that signed the request, or an AuthenticationException saying why it is refused. */
    public Credential verify(SignedRequest request) {
        Authorization authorization = parse(request.header("authorization"));
        Instant signedAt = signedAt(request, authorization);
        Credential credential = credentials.apply(authorization.accessKeyId())
                .orElseThrow(() -> new AuthenticationException(Reason.UNRECOGNIZED, INVALID_TOKEN));
        Instant now = clock.instant();
        if (credential.temporary()) {
            String token = request.header("x-amz-security-token");
            if (token == null || !constantTimeEquals(token, credential.sessionToken())) {
                throw new AuthenticationException(Reason.UNRECOGNIZED, INVALID_TOKEN);
            }
            if (credential.expiresAt() != null && !now.isBefore(credential.expiresAt())) {
                throw new AuthenticationException(Reason.EXPIRED_TOKEN, "The security token included in the request is expired");
            }
        }
        requireCurrent(signedAt, now);
        if (!authorization.signedHeaders().contains("host")) {
            throw new AuthenticationException(Reason.INVALID_SIGNATURE, "'Host' or ':authority' must be a 'SignedHeader' in the"
                    + " AWS Authorization.");
        }
        String expected = signature(request, authorization, credential, signedAt);
        if (!constantTimeEquals(expected, authorization.signature())) {
            throw new AuthenticationException(Reason.INVALID_SIGNATURE, "The request signature we calculated does not match"
                    + " the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service"
                    + " documentation for details.");
        }
        return credential;
    }

    private static Instant signedAt(SignedRequest request, Authorization authorization) {
        String amzDate = request.header("x-amz-date");
        Instant at;
        try {
            if (amzDate != null) {
                at = AMZ_DATE.parse(amzDate, Instant::from);
            } else if (request.header("date") != null) {
                at = HTTP_DATE.parse(request.header("date"), Instant::from);
            } else {
                throw new AuthenticationException(Reason.INCOMPLETE,
                        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
            }
        } catch (DateTimeParseException e) {
            throw new AuthenticationException(Reason.INCOMPLETE, "Date must be in ISO-8601 'basic format'. Got '" + amzDate
                    + "'. See http://en.wikipedia.org/wiki/ISO_8601");
        }
        String day = AMZ_DATE.format(at).substring(0, 8);
        if (!day.equals(authorization.scopeDate())) {
            throw new AuthenticationException(Reason.INVALID_SIGNATURE, "Date in Credential scope does not match YYYYMMDD from"
                    + " ISO-8601 version of date from HTTP: '" + authorization.scopeDate() + "' != '" + day + "', from '"
                    + AMZ_DATE.format(at) + "'.");
        }
        return at;
    }

    private void requireCurrent(Instant signedAt, Instant now) {
        long minutes = maxSkew.toMinutes();
        if (signedAt.isBefore(now.minus(maxSkew))) {
            throw new AuthenticationException(Reason.INVALID_SIGNATURE, "Signature expired: " + AMZ_DATE.format(signedAt)
                    + " is now earlier than " + AMZ_DATE.format(now.minus(maxSkew)) + " (" + AMZ_DATE.format(now) + " - "
                    + minutes + " min.)");
        }
        if (signedAt.isAfter(now.plus(maxSkew))) {
            throw new AuthenticationException(Reason.INVALID_SIGNATURE, "Signature not yet current: " + AMZ_DATE.format(signedAt)
                    + " is still later than " + AMZ_DATE.format(now.plus(maxSkew)) + " (" + AMZ_DATE.format(now) + " + "
                    + minutes + " min.)");
        }
    }

    /**
     * The signature the SDK's signer gives this request with this credential: it is handed exactly the
     * headers the client signed (Host included), the body, and a clock stopped at the request's date.
     */
    static String signature(SignedRequest request, Authorization authorization, Credential credential, Instant signedAt) {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method()))
                .protocol("http")
                .host(hostName(request.header("host")))
                .port(hostPort(request.header("host")))
                .encodedPath(request.rawPath() == null || request.rawPath().isEmpty() ? "/" : request.rawPath());
        parseQuery(request.rawQuery()).forEach((name, values) ->
                values.forEach(value -> unsigned.appendRawQueryParameter(decode(name), decode(value))));
        List<String> skipped = new ArrayList<>();
        for (String name : authorization.signedHeaders()) {
            if (name.equals("x-amz-date") || name.equals("x-amz-security-token")) {
                continue; // the signer writes these itself, from its clock and the identity
            }
            List<String> values = request.headers().get(name);
            if (values == null) {
                skipped.add(name);
                continue;
            }
            if (!name.equals("host")) {
                unsigned.putHeader(name, values);
            }
        }
        if (!skipped.isEmpty()) {
            // A signed header that did not arrive cannot be recomputed: the signature cannot match.
            return "";
        }
        AwsCredentialsIdentity identity = credential.temporary()
                ? AwsSessionCredentialsIdentity.create(credential.accessKeyId(), credential.secretAccessKey(), credential.sessionToken())
                : AwsCredentialsIdentity.create(credential.accessKeyId(), credential.secretAccessKey());
        byte[] body = request.body() == null ? new byte[0] : request.body();
        var signed = SIGNER.sign(sign -> sign.identity(identity)
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.REGION_NAME, authorization.region())
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, authorization.service())
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, !"s3".equals(authorization.service()))
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, !"s3".equals(authorization.service()))
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        String header = signed.request().firstMatchingHeader("Authorization").orElse("");
        Authorization recomputed = parse(header);
        if (!recomputed.signedHeaders().equals(sorted(authorization.signedHeaders()))) {
            FALLBACKS.incrementAndGet();
            // The SDK never signs some headers (user-agent, expect …) that other clients may sign.
            return HandSignature.of(request, authorization, credential.secretAccessKey(), AMZ_DATE.format(signedAt));
        }
        return recomputed.signature();
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted().toList();
    }

    private static String hostName(String host) {
        if (host == null) {
            return "localhost";
        }
        return host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.split(":")[0];
    }

    /** The port the client put in Host (the signer writes Host from host and port), or -1 for none. */
    private static int hostPort(String host) {
        if (host == null) {
            return -1;
        }
        int colon = host.lastIndexOf(':');
        if (colon < 0 || colon < host.lastIndexOf(']')) {
            return -1;
        }
        try {
            return Integer.parseInt(host.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> parameters = new TreeMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    /** Percent-decoding as SigV4 means it: a '+' is a plus sign, not a space. */
    static String decode(String encoded) {
        return java.net.URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
