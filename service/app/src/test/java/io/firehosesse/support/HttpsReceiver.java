package io.firehosesse.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS receiver on the loopback with a self-signed certificate made for it by the JDK's keytool (for
 * {@code localhost} and {@code 127.0.0.1}), whose PEM {@link #certificate()} the service is told to trust. Each test
 * uses a path of its own and says how that path answers; every request is kept, its body un-gzipped.
 */
public final class HttpsReceiver implements AutoCloseable {

    /** One request as it arrived: headers by lower-case name, the body as sent and as JSON text once un-gzipped. */
    public record Received(String path, Map<String, String> headers, byte[] rawBody, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** What a path answers: a status and a body. */
    public record Answer(int status, String body) {
    }

    private static final String PASSWORD = "receiver";

    private final Path directory;
    private final HttpsServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Function<Received, Answer>> answers = new ConcurrentHashMap<>();
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();

    public HttpsReceiver() {
        try {
            directory = Files.createTempDirectory("https-receiver");
            Path keys = directory.resolve("receiver.p12");
            keytool("-genkeypair", "-alias", "receiver", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", keys.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool("-exportcert", "-rfc", "-alias", "receiver", "-keystore", keys.toString(), "-storepass", PASSWORD,
                    "-file", directory.resolve("receiver.pem").toString());
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keys)) {
                store.load(in, PASSWORD.toCharArray());
            }
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(store, PASSWORD.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keyManagers.getKeyManagers(), null, null);
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot set up the HTTPS receiver", e);
        }
        server.createContext("/", this::handle);
        // Several threads: a request held on purpose (a timeout test) must not hold up the next one.
        server.setExecutor(threads);
        server.start();
    }

    /** The PEM of the receiver's self-signed certificate, for {@code firehose.delivery.http.trust-store}. */
    public Path certificate() {
        return directory.resolve("receiver.pem");
    }

    /** An https URL on this receiver (by name, so the certificate's host name is checked). */
    public String url(String path) {
        return "https://localhost:" + server.getAddress().getPort() + path;
    }

    /** How {@code path} answers from now on. */
    public void answer(String path, Function<Received, Answer> how) {
        answers.put(path, how);
    }

    /** The documented success: 200 and the request's own id. */
    public static Answer accepted(Received request) {
        return new Answer(200, "{\"requestId\":\"" + request.header("X-Amz-Firehose-Request-Id")
                + "\",\"timestamp\":" + System.currentTimeMillis() + "}");
    }

    public List<Received> received(String path) {
        return received.getOrDefault(path, List.of());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values)));
            String path = exchange.getRequestURI().getPath();
            byte[] plain = "gzip".equals(headers.get("content-encoding"))
                    ? new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes() : raw;
            Received request = new Received(path, headers, raw, new String(plain, StandardCharsets.UTF_8));
            received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(request);
            Answer answer = answers.getOrDefault(path, HttpsReceiver::accepted).apply(request);
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException | RuntimeException e) {
            // The client gave up (a timeout test): nothing to answer.
        }
    }

    private void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
