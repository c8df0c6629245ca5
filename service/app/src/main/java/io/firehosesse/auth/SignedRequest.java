package io.firehosesse.auth;

import java.util.List;
import java.util.Map;

/**
 * What a signature covers: method, path and query as they arrived (still percent-encoded), the headers
 * (names lower-cased) and the body.
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
