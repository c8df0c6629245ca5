package io.firehosesse.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service jar running as a child process, so a test can do to it what an operator's
 * machine can: {@link #kill()} it with SIGKILL, mid-request, with no shutdown hook or graceful
 * shutdown running. Its output goes to a file under {@code target/service-processes/} for a person to
 * read after the run.
 */
public final class ServiceProcess implements AutoCloseable {

    /**
     * Generous on purpose: a JVM that starts in ten seconds on an idle machine takes several times that on two busy
     * cores, more so when two start together (ScaleOutIT). A service that never answers still fails, with its log.
     */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(20);
    private static final int LOG_TAIL_LINES = 40;

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;
    private final Thread reaper;
    private Duration startUp;

    private ServiceProcess(String name, int port, Process process, Path log, Thread reaper) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
        this.reaper = reaper;
    }

    /** A service on the given database (created on first start if missing), with the integration tests' settings. */
    public static Builder on(String databaseUrl) {
        return new Builder(databaseUrl);
    }

    public int port() {
        return port;
    }

    /** The name given with {@link Builder#named}. */
    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** From launching the JVM until the service answered its health check. */
    public Duration startUp() {
        return startUp;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the service gets no chance to finish, flush or roll back anything. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
        forget();
    }

    /** SIGTERM, so the service shuts down gracefully; SIGKILL if it has not stopped in time. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!awaitExit(GRACEFUL_STOP)) {
                process.destroyForcibly();
                awaitExit(Duration.ofSeconds(10));
            }
        }
        forget();
    }

    @Override
    public String toString() {
        return "service '" + name + "' (pid " + process.pid() + ", port " + port + ", log " + log + ")";
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        // A health check that is merely slow (a busy machine, a JVM still compiling) is waited for, not asked again.
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(20)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(this + " exited with " + process.exitValue() + " before it answered:\n"
                        + tail());
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet, or listening but not ready to answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + this, e);
            }
            pause();
        }
        throw new IllegalStateException(this + " did not answer within " + START_TIMEOUT + ":\n" + tail());
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void forget() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: it kills what is left anyway
        }
    }

    /** Settings for one instance; later properties replace earlier ones, as Spring would not (it joins repeats). */
    public static final class Builder {

        private final Map<String, String> properties = new LinkedHashMap<>();
        // C1 only: start-up dominates tests that start the service more than once, and it comes ~40 % sooner
        // (measured on a 2-CPU machine); the lower peak speed of the code does not matter to what they prove.
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"));
        private String name = "service";
        private boolean launcher;

        private Builder(String databaseUrl) {
            properties.put("spring.datasource.url", databaseUrl);
            properties.put("spring.datasource.username", TestDatabase.username());
            properties.put("spring.datasource.password", TestDatabase.password());
            // The same settings as @FirehoseIntegrationTest, so the child behaves as the in-process tests' service.
            properties.put("firehose.lifecycle.creation-delay", "300ms");
            properties.put("firehose.lifecycle.deletion-delay", "300ms");
            properties.put("firehose.snapshot-threshold", "5");
            properties.put("firehose.delivery.poll-interval", "200ms");
            properties.put("firehose.kms.master-key", FirehoseIntegrationTest.TEST_MASTER_KEY);
            properties.put("spring.main.banner-mode", "off");
        }

        /** Names the instance in its log file and in failure messages. */
        public Builder named(String name) {
            this.name = name;
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /**
         * Started as README's run command starts it: the build's launcher (target/firehose-sse/firehose-sse) with its
         * own JVM options and class-data-sharing archive; the JVM options of this builder do not apply.
         */
        public Builder viaLauncher() {
            this.launcher = true;
            return this;
        }

        /** Starts the service and returns once it answers; fails with the end of its log if it does not. */
        public ServiceProcess start() {
            Path target = moduleDirectory().resolve("target");
            int port = freePort();
            Path log = target.resolve("service-processes").resolve(name + "-" + port + ".log");
            Map<String, String> settings = new LinkedHashMap<>(properties);
            settings.put("server.port", Integer.toString(port));
            settings.putIfAbsent("firehose.delivery.directory", target.resolve("delivered-" + name).toString());

            List<String> command = new ArrayList<>();
            if (launcher) {
                command.add(launcher(target).toString());
            } else {
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(jvmOptions);
                command.add("-jar");
                command.add(jar(target).toString());
            }
            settings.forEach((key, value) -> command.add("--" + key + "=" + value));

            Instant launched = Instant.now();
            Process process;
            try {
                Files.createDirectories(log.getParent());
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
                // The launcher runs the JDK of JAVA_HOME: this test's, which also built the archive.
                builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
                builder.environment().remove("JAVA_OPTS");
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start " + command, e);
            }
            // A test that fails before close() must not leave a service running after the test JVM is gone.
            Thread reaper = new Thread(process::destroyForcibly, "kill-" + name);
            Runtime.getRuntime().addShutdownHook(reaper);
            ServiceProcess service = new ServiceProcess(name, port, process, log, reaper);
            try {
                service.awaitHealthy();
            } catch (RuntimeException | Error e) {
                service.kill();
                throw e;
            }
            service.startUp = Duration.between(launched, Instant.now());
            return service;
        }

        private static int freePort() {
            // Freed again before the child binds it; another process taking it meanwhile is unlikely enough here.
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Failsafe runs in the module folder; an IDE may run in the repository root. */
        private static Path moduleDirectory() {
            Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
            Path fromRoot = here.resolve("service").resolve("app");
            return Files.isDirectory(fromRoot.resolve("src")) ? fromRoot : here;
        }

        private static Path launcher(Path target) {
            Path script = target.resolve("firehose-sse").resolve("firehose-sse");
            if (!Files.isExecutable(script)) {
                throw new IllegalStateException("No " + script + ": package the service first (mvn package, or verify;"
                        + " not with -DskipCds).");
            }
            return script;
        }

        private static Path jar(Path target) {
            Path jar = target.resolve("firehose-sse.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("No " + jar + ": package the service first (mvn package, or verify).");
            }
            return jar;
        }
    }
}
