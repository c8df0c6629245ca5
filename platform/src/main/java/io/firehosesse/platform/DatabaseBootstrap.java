package io.firehosesse.platform;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Runs before any bean, as the last of the context's initializers (so a test's own initializer may name a database
 * first). Without {@code spring.datasource.url}, starts the embedded PostgreSQL ({@link EmbeddedDatabase})
 * with its data under {@code firehose.data-dir}, in the background, and points the service at it. With a URL, checks that PostgreSQL
 * answers and creates the configured database when it does not exist yet, so the run command works against a fresh
 * server. Anything else (server down, wrong password) stops start-up with one sentence saying so.
 */
public class DatabaseBootstrap implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

    /** Set by this class when it started the embedded PostgreSQL: its data directory. */
    static final String EMBEDDED_DATA_DIRECTORY = "firehose.embedded-database.data-directory";

    /** Set by Spring while the build processes the application ahead of time (SpringApplicationAotProcessor). */
    private static final String AOT_PROCESSING = "spring.aot.processing";

    private static final String UNDEFINED_DATABASE = "3D000";
    private static final String DUPLICATE_DATABASE = "42P04";
    /** Two instances creating the database at the same moment: the loser meets the catalog's unique index instead. */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final Log log = LogFactory.getLog(DatabaseBootstrap.class);

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment environment = context.getEnvironment();
        String url = environment.getProperty("spring.datasource.url");
        if (url == null || url.isBlank()) {
            if (Boolean.getBoolean(AOT_PROCESSING)) {
                // The build's ahead-of-time processing only records bean definitions; it needs no server.
                return;
            }
            startEmbedded(environment);
            return;
        }
        if (!url.startsWith("jdbc:postgresql:") || !PlatformProperties.of(environment).createDatabase()) {
            return;
        }
        ensureDatabase(url, environment.getProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password"));
    }

    private void startEmbedded(ConfigurableEnvironment environment) {
        Path directory = Path.of(PlatformProperties.of(environment).dataDir(), "postgres").toAbsolutePath().normalize();
        // Started in the background: the connection pool waits for it (EmbeddedDatabaseLifecycle), seconds from now.
        EmbeddedDatabase database = EmbeddedDatabase.startInBackground(directory);
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", database.jdbcUrl());
        properties.put("spring.datasource.username", EmbeddedDatabase.USER);
        properties.put("spring.datasource.password", "");
        properties.put(EMBEDDED_DATA_DIRECTORY, directory.toString());
        environment.getPropertySources().addFirst(new MapPropertySource("firehoseEmbeddedDatabase", properties));
        log.info("No spring.datasource.url given: PostgreSQL runs embedded on port " + database.port() + ", its data in "
                + directory);
    }

    /** Connects to {@code url}, creating its database first if the server says it does not exist. */
    public static void ensureDatabase(String url, String username, String password) {
        Properties credentials = new Properties();
        putIfSet(credentials, "user", username);
        putIfSet(credentials, "password", password);
        credentials.setProperty("connectTimeout", "5");
        try (Connection ignored = DriverManager.getConnection(url, credentials)) {
            return;
        } catch (SQLException e) {
            if (!UNDEFINED_DATABASE.equals(e.getSQLState())) {
                throw unavailable(url, e);
            }
        }
        createDatabase(url, credentials);
    }

    private static void createDatabase(String url, Properties credentials) {
        JdbcTarget target = JdbcTarget.parse(url);
        try (Connection admin = DriverManager.getConnection(target.withDatabase("postgres"), credentials);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE \"" + target.database().replace("\"", "\"\"") + "\"");
        } catch (SQLException e) {
            if (!DUPLICATE_DATABASE.equals(e.getSQLState()) && !UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new DatabaseUnavailableException("Database " + target.database()
                        + " does not exist and could not be created: " + e.getMessage(), url, e);
            }
        }
    }

    private static DatabaseUnavailableException unavailable(String url, SQLException e) {
        return new DatabaseUnavailableException("Cannot connect to PostgreSQL: " + e.getMessage(), url, e);
    }

    private static void putIfSet(Properties properties, String key, String value) {
        if (value != null) {
            properties.setProperty(key, value);
        }
    }

    /** The parts of a {@code jdbc:postgresql://host:port/database?params} URL this needs. */
    record JdbcTarget(String prefix, String database, String query) {

        static JdbcTarget parse(String url) {
            URI uri = URI.create(url.substring("jdbc:".length()));
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            String database = path.startsWith("/") ? path.substring(1) : path;
            String authority = uri.getRawAuthority() == null ? "localhost" : uri.getRawAuthority();
            return new JdbcTarget("jdbc:postgresql://" + authority + "/", database,
                    uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }

        String withDatabase(String other) {
            return prefix + other + query;
        }
    }
}
