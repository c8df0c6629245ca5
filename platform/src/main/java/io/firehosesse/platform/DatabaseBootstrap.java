package io.firehosesse.platform;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Runs before any bean: checks that PostgreSQL answers and creates the configured database when it
 * does not exist yet, so the README's one run command works against a fresh server. Anything else
 * (server down, wrong password) stops start-up with one sentence saying so.
 */
public class DatabaseBootstrap implements EnvironmentPostProcessor {

    private static final String UNDEFINED_DATABASE = "3D000";
    private static final String DUPLICATE_DATABASE = "42P04";
    /** Two instances creating the database at the same moment: the loser meets the catalog's unique index instead. */
    private static final String UNIQUE_VIOLATION = "23505";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty("spring.datasource.url");
        if (url == null || !url.startsWith("jdbc:postgresql:")
                || !environment.getProperty("firehose.create-database", Boolean.class, true)) {
            return;
        }
        ensureDatabase(url, environment.getProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password"));
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
