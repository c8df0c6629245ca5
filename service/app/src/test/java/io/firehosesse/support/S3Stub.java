package io.firehosesse.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Just enough of S3 for delivery tests: path-style PutObject into memory, and a switch that makes the next
 * puts fail with 503 as an S3 outage would. Requests must be signed with SigV4 (S3 rejects anything else).
 */
public final class S3Stub implements AutoCloseable {

    /** A stored object, with the headers that show how the client sent it. */
    public record StoredObject(byte[] content, String contentEncoding, String authorization, String payloadHash) {

        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
    private final AtomicInteger failuresToServe = new AtomicInteger();
    private final AtomicInteger failuresServed = new AtomicInteger();

    public S3Stub() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Objects by {@code bucket/key}. */
    public Map<String, StoredObject> objects() {
        return objects;
    }

    public void failNext(int puts) {
        failuresToServe.set(puts);
    }

    public int failuresServed() {
        return failuresServed.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (!"PUT".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, "MethodNotAllowed", "Only PutObject is served here.");
                return;
            }
            if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
                reply(exchange, 403, "AccessDenied", "Anonymous access is not allowed.");
                return;
            }
            if (failuresToServe.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                failuresServed.incrementAndGet();
                reply(exchange, 503, "ServiceUnavailable", "Please reduce your request rate.");
                return;
            }
            String path = exchange.getRequestURI().getRawPath().substring(1);
            objects.put(java.net.URLDecoder.decode(path, StandardCharsets.UTF_8),
                    new StoredObject(body, exchange.getRequestHeaders().getFirst("Content-Encoding"), authorization,
                            exchange.getRequestHeaders().getFirst("x-amz-content-sha256")));
            exchange.getResponseHeaders().add("ETag", "\"" + Integer.toHexString(java.util.Arrays.hashCode(body)) + "\"");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private static void reply(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, xml.length);
        exchange.getResponseBody().write(xml);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
