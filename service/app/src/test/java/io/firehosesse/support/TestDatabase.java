package io.firehosesse.support;

import io.firehosesse.platform.DatabaseBootstrap;
import io.firehosesse.platform.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The PostgreSQL the integration tests run against: {@code FIREHOSE_TEST_DB_URL} when set (a server
 * whose user may create databases), otherwise a Testcontainers PostgreSQL 16 where Docker runs, otherwise
 * the service's own embedded PostgreSQL, started once for the test JVM: on a machine with only a JDK every
 * test runs. Each test run gets a database of its own, so nothing a previous run left behind can leak in.
 * As a context initializer it runs first, so the service's own (which starts the embedded database when
 * no URL is given) finds the test's URL.
 */
public final class TestDatabase implements ExecutionCondition, ApplicationContextInitializer<ConfigurableApplicationContext>,
        Ordered {

    public static final String ENV = "FIREHOSE_TEST_DB_URL";

    private static Server server;

    record Server(String baseUrl, String username, String password) {
    }

    private static synchronized Optional<Server> server() {
        if (server != null) {
            return Optional.of(server);
        }
        String url = System.getenv(ENV);
        if (url != null && !url.isBlank()) {
            server = new Server(url, System.getenv().getOrDefault("FIREHOSE_TEST_DB_USER", "postgres"),
                    System.getenv().getOrDefault("FIREHOSE_TEST_DB_PASSWORD", ""));
        } else if (dockerAvailable()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
            container.start();
            server = new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        } else {
            server = embedded();
        }
        return Optional.of(server);
    }

    private static Server embedded() {
        try {
            Path directory = Files.createTempDirectory("firehose-test-postgres");
            EmbeddedDatabase database = EmbeddedDatabase.start(directory.resolve("postgres"));
            Runtime.getRuntime().addShutdownHook(new Thread(database::stopIfUnused, "test-postgres-stop"));
            return new Server(DatabaseUrls.withDatabase(database.jdbcUrl(), "postgres"), EmbeddedDatabase.USER, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Two live services on one database both run its event processors, each with its own clock: the second one's
     * lifecycle and encryption processes take the first one's events (a test that moved its clock then finds its
     * stream handled by a service whose clock did not move). A test class whose settings differ from
     * {@code @FirehoseIntegrationTest}'s, and so gets a context of its own, must take a database of its own.
     */
    private static void onlyContextOnTheRunDatabase(ConfigurableApplicationContext context) {
        ON_RUN_DATABASE.removeIf(other -> other != context && !other.isActive());
        if (!ON_RUN_DATABASE.isEmpty()) {
            throw new IllegalStateException("A second service on the test run's shared database, while the first is still"
                    + " running: a test class with settings of its own must set " + OWN_DATABASE + "=true");
        }
        ON_RUN_DATABASE.add(context);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** A JDBC URL for a database that does not exist yet, on the test server. */
    public static String freshDatabaseUrl() {
        Server s = server().orElseThrow();
        String name = "firehose_test_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"))
                + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        return DatabaseUrls.withDatabase(s.baseUrl(), name);
    }

    public static String username() {
        return server().orElseThrow().username();
    }

    public static String password() {
        return server().orElseThrow().password();
    }

    private static String runDatabaseUrl;

    private static synchronized String runDatabaseUrl() {
        if (runDatabaseUrl == null) {
            runDatabaseUrl = freshDatabaseUrl();
        }
        return runDatabaseUrl;
    }

    /** Never skips: where no server is given the embedded one is started; a failure to start it fails the tests. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return ConditionEvaluationResult.enabled("PostgreSQL at " + server().orElseThrow().baseUrl());
    }

    /**
     * A test class whose service must not share its database with the others' (its schedulers and processors
     * would otherwise take work from theirs) sets this property to true in its @TestPropertySource.
     */
    public static final String OWN_DATABASE = "firehose.test.own-database";

    /** The live contexts on the run's shared database: there may be one at a time. */
    private static final Set<ConfigurableApplicationContext> ON_RUN_DATABASE = ConcurrentHashMap.newKeySet();

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        boolean own = context.getEnvironment().getProperty(OWN_DATABASE, Boolean.class, false);
        if (!own) {
            onlyContextOnTheRunDatabase(context);
        }
        String url = own ? freshDatabaseUrl() : runDatabaseUrl();
        // Test properties arrive after the service's own start-up check has run, so create it here.
        DatabaseBootstrap.ensureDatabase(url, username(), password());
        TestPropertyValues.of(
                "spring.datasource.url=" + url,
                "spring.datasource.username=" + username(),
                "spring.datasource.password=" + password()).applyTo(context);
    }
}
