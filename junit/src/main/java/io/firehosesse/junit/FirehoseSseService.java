package io.firehosesse.junit;

import io.firehosesse.FirehoseSseApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A firehose-sse running in this JVM: its endpoint, ready SDK v2 clients, and the reset. Started by
 * {@link FirehoseSseExtension}; can also be started and closed by hand with {@link #start(List)}.
 */
public final class FirehoseSseService implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final URI endpoint;
    private final Path temporaryData;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final HttpClient admin = HttpClient.newHttpClient();
    private volatile FirehoseClient firehose;
    private volatile KmsClient kms;

    private FirehoseSseService(ConfigurableApplicationContext context, Path temporaryData) {
        this.context = context;
        this.temporaryData = temporaryData;
        this.endpoint = URI.create("http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    /**
     * Starts a service with the given {@code name=value} settings over these defaults: a free port, open mode, the
     * reset allowed, and an embedded PostgreSQL whose data lives in a temporary directory deleted on close (unless
     * {@code firehose.data-dir} or {@code spring.datasource.url} is given). Settings from the environment
     * ({@code SPRING_DATASOURCE_URL}, {@code FIREHOSE_*}) do not leak in for these, nor does the test project's
     * own {@code application.yml}: the service reads its own.
     */
    public static FirehoseSseService start(List<String> properties) {
        Path temporaryData = null;
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", "0");
        settings.put("spring.datasource.url", "");
        settings.put("firehose.auth.credentials-file", "");
        settings.put("firehose.admin.reset-enabled", "true");
        for (String property : properties) {
            int equals = property.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("Not a name=value setting: " + property);
            }
            settings.put(property.substring(0, equals).trim(), property.substring(equals + 1).trim());
        }
        if (!settings.containsKey("firehose.data-dir")) {
            try {
                temporaryData = Files.createTempDirectory("firehose-sse-junit");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            settings.put("firehose.data-dir", temporaryData.toString());
        }
        settings.putIfAbsent("spring.config.location", ownConfiguration());
        settings.putIfAbsent("spring.main.banner-mode", Banner.Mode.OFF.name().toLowerCase());

        SpringApplication application = FirehoseSseApplication.application();
        // Command-line arguments outrank the environment and every configuration file.
        String[] arguments = settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        try {
            return new FirehoseSseService(application.run(arguments), temporaryData);
        } catch (RuntimeException e) {
            delete(temporaryData);
            throw e;
        }
    }

    /**
     * The service's own application.yml, named where its classes are: on a test classpath the project's own
     * application.yml (in src/test/resources or src/main/resources) comes first and would replace it.
     */
    private static String ownConfiguration() {
        try {
            URI classes = FirehoseSseApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI();
            return classes.getPath().endsWith(".jar") ? "jar:" + classes + "!/application.yml"
                    : classes.resolve("application.yml").toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where SDKs and tools send their requests, e.g. {@code http://localhost:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The Region the service's resources are in unless a request says otherwise. */
    public Region region() {
        return Region.of(setting("firehose.default-region"));
    }

    /** The account every caller is in (open mode). */
    public String accountId() {
        return setting("firehose.account-id");
    }

    /** Any credentials are accepted in open mode; these are the ones the ready clients sign with. */
    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAFIREHOSESSETEST", "firehose-sse-test"));
    }

    /** Points any SDK v2 client builder at this service: endpoint, Region and credentials. */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        return builder.endpointOverride(endpoint).region(region()).credentialsProvider(credentials());
    }

    /** A Firehose client for this service, made once and closed with it. */
    public FirehoseClient firehose() {
        if (firehose == null) {
            synchronized (this) {
                if (firehose == null) {
                    firehose = configure(FirehoseClient.builder()).httpClient(http).build();
                }
            }
        }
        return firehose;
    }

    /** A KMS client for this service, made once and closed with it. */
    public KmsClient kms() {
        if (kms == null) {
            synchronized (this) {
                if (kms == null) {
                    kms = configure(KmsClient.builder()).httpClient(http).build();
                }
            }
        }
        return kms;
    }

    /** Returns the service to empty: no streams, keys, aliases, grants, records or sessions. */
    public void reset() {
        try {
            HttpResponse<String> response = admin.send(HttpRequest.newBuilder(endpoint.resolve("/api/admin/reset"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("firehose-sse refused the reset (" + response.statusCode() + "): "
                        + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while resetting firehose-sse", e);
        }
    }

    /** The running application, for a test that needs one of its settings. */
    public String setting(String name) {
        return context.getEnvironment().getProperty(name);
    }

    /** Stops the service and its embedded database, and deletes the temporary data the service was started with. */
    @Override
    public void close() {
        try {
            if (firehose != null) {
                firehose.close();
            }
            if (kms != null) {
                kms.close();
            }
            http.close();
            context.close();
        } finally {
            delete(temporaryData);
        }
    }

    private static void delete(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
