package io.firehosesse.awsjson;

import io.firehosesse.system.Caller;
import io.firehosesse.system.FirehoseProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Reads who is calling from the request. The region comes from the SigV4 credential scope, as AWS
 * routes by it; the signature itself is not verified here.
 */
@Component
class Callers {

    private static final Pattern CREDENTIAL =
            Pattern.compile("Credential=([^/,\\s]+)/(\\d{8})/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request");

    private final FirehoseProperties properties;

    Callers(FirehoseProperties properties) {
        this.properties = properties;
    }

    Caller of(HttpServletRequest request) {
        String accessKeyId = null;
        String region = properties.defaultRegion();
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            Matcher scope = CREDENTIAL.matcher(authorization);
            if (scope.find()) {
                accessKeyId = scope.group(1);
                region = scope.group(3);
            }
        }
        return new Caller(RequestIds.of(request), properties.accountId(), region, accessKeyId, null,
                request.getRemoteAddr(), request.getHeader("User-Agent"));
    }
}
