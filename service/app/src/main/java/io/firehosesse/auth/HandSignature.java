package io.firehosesse.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SigV4 computed from the specification, for the one case the SDK's signer cannot reproduce: a client
 * that signed headers the SDK never signs (user-agent, expect, …). Everything else goes through the SDK.
 */
final class HandSignature {

    private HandSignature() {
    }

    static String of(SignedRequest request, SigV4Verifier.Authorization authorization, String secret, String amzDate) {
        List<String> names = authorization.signedHeaders().stream().sorted().toList();
        StringBuilder headers = new StringBuilder();
        for (String name : names) {
            List<String> values = request.headers().get(name);
            String value = name.equals("x-amz-date") && request.header("x-amz-date") == null ? amzDate
                    : String.join(",", values == null ? List.of() : values.stream().map(HandSignature::trim).toList());
            headers.append(name).append(':').append(value).append('\n');
        }
        String payloadHash = request.header("x-amz-content-sha256") != null ? request.header("x-amz-content-sha256")
                : hex(sha256(request.body() == null ? new byte[0] : request.body()));
        String canonical = request.method() + "\n" + canonicalPath(request.rawPath(), authorization.service()) + "\n"
                + canonicalQuery(request.rawQuery()) + "\n" + headers + "\n" + String.join(";", names) + "\n" + payloadHash;
        String scope = authorization.scopeDate() + "/" + authorization.region() + "/" + authorization.service() + "/aws4_request";
        String toSign = SigV4Verifier.ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), authorization.scopeDate());
        key = hmac(key, authorization.region());
        key = hmac(key, authorization.service());
        key = hmac(key, "aws4_request");
        return hex(hmac(key, toSign));
    }

    private static String trim(String value) {
        return value.trim().replaceAll("\\s+", " ");
    }

    private static String canonicalPath(String rawPath, String service) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if ("s3".equals(service)) {
            return path;
        }
        // Non-S3 services encode each segment of the already-encoded path once more.
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            segments.add(encode(segment));
        }
        return String.join("/", segments);
    }

    private static String canonicalQuery(String rawQuery) {
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : SigV4Verifier.parseQuery(rawQuery).entrySet()) {
            for (String value : entry.getValue()) {
                pairs.add(encode(SigV4Verifier.decode(entry.getKey())) + "=" + encode(SigV4Verifier.decode(value)));
            }
        }
        return String.join("&", pairs.stream().sorted().toList());
    }

    private static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
