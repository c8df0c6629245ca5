package io.firehosesse.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Calls the REST API as a client of a service with a credentials file does: each request SigV4-signed for service
 * {@code firehose} by the AWS SDK's own signer ({@code AwsV4HttpSigner}), or sent unsigned when no identity is given.
 */
public final class SignedApi {

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    public SignedApi(int port) {
        this.port = port;
    }

    public HttpResponse<String> get(String pathAndQuery, AwsCredentialsIdentity identity) {
        return send("GET", pathAndQuery, null, identity);
    }

    /**
     * @param pathAndQuery the path as sent (ARNs URL-encoded), and an optional query string
     * @param body         a JSON body, or null for none
     * @param identity     who signs; null: unsigned
     */
    public HttpResponse<String> send(String method, String pathAndQuery, String body, AwsCredentialsIdentity identity) {
        int question = pathAndQuery.indexOf('?');
        String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        String query = question < 0 ? null : pathAndQuery.substring(question + 1);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (identity != null) {
            SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method))
                    .protocol("http").host("localhost").port(port).encodedPath(path)
                    .rawQueryParameters(rawQuery(query));
            if (body != null) {
                unsigned.putHeader("Content-Type", "application/json");
            }
            SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(unsigned.build())
                            .payload(body == null ? null : ContentStreamProvider.fromUtf8String(body))
                            .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                            .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "firehose"))
                    .request();
            signed.forEachHeader((name, values) -> {
                // The client sets these itself (and refuses to be told).
                if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Type")
                        && !name.equalsIgnoreCase("Content-Length")) {
                    request.header(name, values.get(0));
                }
            });
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The query's parameters decoded: the signer encodes them again as the canonical request wants. */
    private static Map<String, List<String>> rawQuery(String query) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }
}
