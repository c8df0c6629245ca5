package io.firehosesse.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service the harness measures: either one it launched (a child JVM from the packaged jar on a database of its
 * own, signed calls checked against a credentials file, audit on), whose start-up and memory it can read, or one
 * already running at an endpoint.
 */
final class ServiceUnderTest implements AutoCloseable {

    static final String ACCESS_KEY_ID = "AKIABENCH00000000001";
    static final String SECRET_ACCESS_KEY = "bench/secret/access/key/0000000000000000";
    private static final Pattern STARTED = Pattern.compile("Started \\S+ in ([0-9.]+) seconds");

    private final URI endpoint;
    private final String accessKeyId;
    private final String secretAccessKey;
    private Process process;
    private final Path log;
    private final List<String> command;
    private final Path work;
    private final Duration startUp;
    private final String databaseUrl;
    private final BenchOptions options;

    private ServiceUnderTest(URI endpoint, String accessKeyId, String secretAccessKey, Process process, Path log,
                             Duration startUp, String databaseUrl, BenchOptions options, List<String> command, Path work) {
        this.command = command;
        this.work = work;
        this.endpoint = endpoint;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.process = process;
        this.log = log;
        this.startUp = startUp;
        this.databaseUrl = databaseUrl;
        this.options = options;
    }

    static ServiceUnderTest running(BenchOptions options) {
        return new ServiceUnderTest(options.endpoint(), options.accessKeyId(), options.secretAccessKey(), null, null, null,
                null, options, List.of(), null);
    }

    static ServiceUnderTest launch(BenchOptions options) throws IOException, InterruptedException {
        if (!Files.isRegularFile(options.serviceJar())) {
            throw new IllegalStateException("No service jar at " + options.serviceJar().toAbsolutePath()
                    + "; build it with ./mvnw -B package -DskipTests, or give --service-jar / --endpoint");
        }
        Path work = Files.createTempDirectory("firehose-bench");
        Path credentials = work.resolve("credentials.yml");
        Files.writeString(credentials, """
                credentials:
                  - accessKeyId: %s
                    secretAccessKey: %s
                    accountId: "123456789012"
                    principalArn: arn:aws:iam::123456789012:user/bench
                    admin: true
                """.formatted(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
        String database = "firehose_bench_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
        String databaseUrl = options.embeddedDatabase() ? null : withDatabase(options.databaseUrl(), database);
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options.jvmOptions());
        command.addAll(List.of("-jar", options.serviceJar().toAbsolutePath().toString(), "--server.port=" + port));
        command.addAll(databaseUrl == null ? List.of("--firehose.data-dir=" + work.resolve("data")) : List.of(
                "--spring.datasource.url=" + databaseUrl,
                "--spring.datasource.username=" + options.databaseUser(),
                "--spring.datasource.password=" + options.databasePassword()));
        command.addAll(List.of(
                "--firehose.auth.credentials-file=" + credentials,
                "--firehose.kms.master-key-file=" + work.resolve("kms-master.key"),
                "--firehose.delivery.directory=" + work.resolve("delivered")));
        if (options.createBurst() == 0) {
            // Streams become ACTIVE at once: the harness measures the service, not AWS's rehearsed creation time. A
            // create burst measures how the service keeps that time, so it keeps it.
            command.add("--firehose.lifecycle.creation-delay=0ms");
        }
        command.addAll(options.serviceArguments());
        Path log = work.resolve("service.log");
        long launched = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port + "/");
        ServiceUnderTest service = new ServiceUnderTest(endpoint, ACCESS_KEY_ID, SECRET_ACCESS_KEY, process, log,
                null, databaseUrl, options, command, work);
        service.awaitHealthy();
        Duration startUp = Duration.ofNanos(System.nanoTime() - launched);
        return new ServiceUnderTest(endpoint, ACCESS_KEY_ID, SECRET_ACCESS_KEY, process, log, startUp, databaseUrl, options,
                command, work);
    }

    URI endpoint() {
        return endpoint;
    }

    WireClient client() {
        return new WireClient(endpoint, accessKeyId, secretAccessKey, "us-east-1");
    }

    boolean launched() {
        return process != null;
    }

    /** From launching the JVM until its health check answered 200. */
    Optional<Duration> startUp() {
        return Optional.ofNullable(startUp);
    }

    /** What Spring Boot itself reports as its latest start time ("Started … in N seconds"). */
    Optional<Double> springStartSeconds() {
        if (log == null) {
            return Optional.empty();
        }
        try {
            // The last start's: a restart appends to the same log.
            Matcher m = STARTED.matcher(Files.readString(log));
            Double last = null;
            while (m.find()) {
                last = Double.parseDouble(m.group(1));
            }
            return Optional.ofNullable(last);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The resident set size of the launched JVM, in MiB. */
    Optional<Double> rssMib() {
        if (process == null || !process.isAlive()) {
            return Optional.empty();
        }
        return rssMib(process.pid());
    }

    /**
     * The summed resident set size of the embedded PostgreSQL (its postmaster, found by its data directory, and the
     * postmaster's children), in MiB; empty on an external database. pg_ctl starts the postmaster detached, so it is
     * not among the JVM's descendants. Pages they share (shared buffers) count once per process: an upper bound.
     */
    Optional<Double> databaseRssMib() {
        if (databaseUrl != null || work == null) {
            return Optional.empty();
        }
        String dataDirectory = work.resolve("data").resolve("postgres").toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains("postgres")
                        && line.contains("-D " + dataDirectory)).orElse(false))
                .findFirst()
                .map(postmaster -> java.util.stream.Stream.concat(java.util.stream.Stream.of(postmaster),
                                postmaster.descendants())
                        .mapToDouble(p -> rssMib(p.pid()).orElse(0.0)).sum());
    }

    private static Optional<Double> rssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Optional.of(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException unreadable) {
            // not Linux, or the process is gone
        }
        return Optional.empty();
    }

    Optional<String> postgresVersion() {
        if (databaseUrl == null) {
            return Optional.empty();
        }
        try (Connection c = DriverManager.getConnection(databaseUrl, options.databaseUser(), options.databasePassword());
             Statement s = c.createStatement(); var rs = s.executeQuery("SHOW server_version")) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    Path log() {
        return log;
    }

    /**
     * The JDBC URL of the service's own database: the one a launched service was given, or for a running service
     * {@code --database-url}, which then has to name it; empty when it runs an embedded PostgreSQL.
     */
    Optional<String> databaseUrl() {
        if (launched()) {
            return Optional.ofNullable(databaseUrl);
        }
        return options.embeddedDatabase() ? Optional.empty() : Optional.of(options.databaseUrl());
    }

    /** Stops the service gracefully and starts it again on the same database; answers the time until it is healthy. */
    Duration restart() throws IOException, InterruptedException {
        stop();
        long launched = System.nanoTime();
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitHealthy();
        return Duration.ofNanos(System.nanoTime() - launched);
    }

    private void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        stop();
        if (options.keepDatabase()) {
            return;
        }
        if (databaseUrl != null) {
            String database = databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1);
            try (Connection c = DriverManager.getConnection(options.databaseUrl(), options.databaseUser(),
                    options.databasePassword()); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS \"" + database + "\"");
            } catch (SQLException e) {
                System.err.println("Could not drop " + database + ": " + e.getMessage());
            }
        }
        // The embedded PostgreSQL's data lives here too; its server stopped with the service.
        deleteQuietly(work);
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete " + directory + ": " + e.getMessage());
        }
    }

    /**
     * How long a start may take before the harness gives up: a bound on a broken start, not a measure. It is generous
     * because a start on two cores that other work keeps busy (a CI run under load) has taken over 90 s.
     */
    private static final Duration START_BOUND = Duration.ofMinutes(5);

    private void awaitHealthy() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(endpoint.resolve("/actuator/health")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The service exited with " + process.exitValue() + "; its log: " + log);
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("The service did not answer within " + START_BOUND.toSeconds() + " s; its log: " + log);
    }

    /** The same server and parameters, another database name. */
    static String withDatabase(String jdbcUrl, String database) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        String parameters = query < 0 ? "" : jdbcUrl.substring(query);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + database + parameters;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
