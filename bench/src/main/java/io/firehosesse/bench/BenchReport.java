package io.firehosesse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The figures of one harness run, printed as Markdown tables (the form docs/benchmarks.md keeps them in). */
public final class BenchReport {

    final BenchOptions options;
    final Instant date;
    final List<LoadRun.Result> results = new ArrayList<>();
    final List<Probes.Sample> samples = new ArrayList<>();
    double idleRss = Double.NaN;
    double loadedRss = Double.NaN;
    double finalRss = Double.NaN;
    Long rotationLeft;
    Long restartMillis;
    Probes.Replay replay;
    /** With {@code --create-burst}: the burst's figures. */
    CreateBurst.Result burst;
    /** The fixture's Creates per second (before the service warm-up), NaN when no fixture was made. */
    double fixtureCreatesPerSecond = Double.NaN;
    /** The SQL bound's replays (create, start, describe), when the sql-bound mix ran. */
    final List<LoadRun.Result> sqlBound = new ArrayList<>();
    /** With {@code --start-ups}: each start, the first on new data, then the restarts. */
    final List<StartUp> startUps = new ArrayList<>();
    private String serviceLine = "";
    private Long startUpMillis;
    private Double springStartSeconds;

    BenchReport(BenchOptions options, Instant date) {
        this.options = options;
        this.date = date;
    }

    void service(ServiceUnderTest service) {
        serviceLine = service.launched()
                ? "launched " + options.serviceJar() + (options.embeddedDatabase() ? " with its embedded PostgreSQL (new data directory)"
                        : " on a fresh database") + ", credentials file (every call signed and verified), audit on"
                        + service.postgresVersion().map(v -> ", PostgreSQL " + v).orElse("")
                : "running at " + service.endpoint();
        startUpMillis = service.startUp().map(d -> d.toMillis()).orElse(null);
        springStartSeconds = service.springStartSeconds().orElse(null);
    }

    /** One start: launch (or stop and launch again) until health answers 200, then 3 s idle. */
    record StartUp(String kind, long millis, Double springSeconds, double jvmRssMib, double databaseRssMib) {
    }

    void add(LoadRun.Result result) {
        results.add(result);
    }

    public List<LoadRun.Result> results() {
        return List.copyOf(results);
    }

    public List<Probes.Sample> samples() {
        return List.copyOf(samples);
    }

    public List<LoadRun.Result> sqlBound() {
        return List.copyOf(sqlBound);
    }

    /**
     * One call's service figure next to its SQL bound: accepted calls/s each (NaN where this run did not measure it),
     * and where the service's figure comes from.
     */
    record BoundComparison(String call, String serviceSource, double service, double bound) {
        double percent() {
            return 100 * service / bound;
        }

        String line() {
            return Double.isNaN(service) || Double.isNaN(bound) || bound == 0 ? call + ": not measured in this run"
                    : String.format(Locale.ROOT, "%s: %.0f %% of the SQL bound", call, percent());
        }
    }

    /** Create, Start and Describe against the bound, for those the bound measured. */
    List<BoundComparison> boundComparisons() {
        List<BoundComparison> out = new ArrayList<>();
        // A burst is the run's Create load when there is one; else the fixture's Creates, made before the service warm-up,
        // so while the JIT compilers still take a share of the cores: a figure on the low side, and said so.
        bound("sql-bound create", SqlBound.CREATE).ifPresent(bound -> out.add(burst != null
                ? new BoundComparison("Create", "create burst, accepted Creates", burst.acceptedPerSecond(), bound)
                : new BoundComparison("Create", "the fixture's Creates (" + options.clients()
                        + " clients, before the service warm-up: JIT still compiling)", fixtureCreatesPerSecond, bound)));
        bound("sql-bound start", SqlBound.START_AWS_OWNED, SqlBound.START_CUSTOMER).ifPresent(bound -> out.add(new BoundComparison(
                "Start", "start-stop mix, accepted Starts and Stops (a Stop's trace: about as many statements as a Start's, of the same kinds)",
                accepted("start-stop"), bound)));
        bound("sql-bound describe", SqlBound.DESCRIBE).ifPresent(bound -> out.add(new BoundComparison("Describe",
                "describe mix", accepted("describe"), bound)));
        return out;
    }

    private java.util.Optional<Double> bound(String mix, String... operations) {
        return sqlBound.stream().filter(r -> r.mix().equals(mix)).findFirst().map(r -> {
            double seconds = r.duration().toNanos() / 1e9;
            return java.util.Arrays.stream(operations).map(r.operations()::get).filter(java.util.Objects::nonNull)
                    .mapToLong(OperationStats::succeeded).sum() / seconds;
        });
    }

    /** Calls answered without an error per second, over every operation of a mix of the service's. */
    private double accepted(String mix) {
        return results.stream().filter(r -> r.mix().equals(mix)).findFirst()
                .map(r -> r.operations().values().stream().mapToLong(OperationStats::succeeded).sum()
                        / (r.duration().toNanos() / 1e9))
                .orElse(Double.NaN);
    }

    private void appendSqlBound(StringBuilder out) {
        if (sqlBound.isEmpty()) {
            return;
        }
        out.append(String.format(Locale.ROOT, "%n#### The SQL bound: the service's statements for each call replayed straight through JDBC "
                + "(%d clients, HikariCP pool of %d, the service's database, a scratch copy of its tables)%n%n",
                options.clients(), options.sqlBoundPool()));
        out.append(table(sqlBound));
        out.append("\n| call | service accepted calls/s | from | SQL bound calls/s | service as a share of the bound |\n|---|---:|---|---:|---|\n");
        for (BoundComparison c : boundComparisons()) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %s |%n", c.call(),
                    Double.isNaN(c.service()) ? "-" : String.format(Locale.ROOT, "%.0f", c.service()),
                    Double.isNaN(c.service()) ? "not run" : c.serviceSource(), c.bound(), c.line()));
        }
    }

    public Probes.Replay replay() {
        return replay;
    }

    public Long startUpMillis() {
        return startUpMillis;
    }

    public double idleRssMib() {
        return idleRss;
    }

    static String table(List<LoadRun.Result> results) {
        StringBuilder out = new StringBuilder();
        out.append("| mix | operation | clients | calls | calls/s | p50 ms | p90 ms | p99 ms | max ms | records/s | MB/s | errors |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (LoadRun.Result result : results) {
            double seconds = result.duration().toNanos() / 1e9;
            for (OperationStats op : result.operations().values()) {
                boolean records = op.records() > 0;
                out.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %s | %s | %s |%n",
                        result.mix(), op.name(), result.clients(), op.calls(), result.callsPerSecond(op),
                        op.millis(50), op.millis(90), op.millis(99), op.maxMillis(),
                        records ? String.format(Locale.ROOT, "%.0f", op.records() / seconds) : "",
                        records ? String.format(Locale.ROOT, "%.1f", op.payloadBytes() / seconds / 1e6) : "",
                        errors(op.errors())));
            }
        }
        return out.toString();
    }

    private static String errors(Map<String, Long> errors) {
        return errors.isEmpty() ? "none" : errors.entrySet().stream().map(e -> e.getKey() + " × " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("### Run of ").append(date).append("\n\n");
        out.append("- Machine: ").append(machine()).append('\n');
        out.append("- Service: ").append(serviceLine).append('\n');
        if (!startUps.isEmpty()) {
            out.append("- JVM options: ").append(options.jvmOptions().isEmpty() ? "none (the JVM's defaults)"
                    : String.join(" ", options.jvmOptions())).append('\n');
            out.append("\n| start | launch → health 200 | Spring's \"Started in\" | JVM RSS, 3 s idle | embedded PostgreSQL RSS (sum of its processes) |\n|---|---:|---:|---:|---:|\n");
            for (StartUp start : startUps) {
                out.append(String.format(Locale.ROOT, "| %s | %d ms | %s | %.0f MiB | %s |%n", start.kind(), start.millis(),
                        start.springSeconds() == null ? "-" : String.format(Locale.ROOT, "%.2f s", start.springSeconds()),
                        start.jvmRssMib(), Double.isNaN(start.databaseRssMib()) ? "-"
                                : String.format(Locale.ROOT, "%.0f MiB", start.databaseRssMib())));
            }
            return out.toString();
        }
        if (burst != null) {
            Probes.Sample lags = new Probes.Sample("Create -> ACTIVE (event times)", burst.createToActiveMs(), 0);
            out.append(String.format(Locale.ROOT, "- Load: a burst of %d CreateDeliveryStream calls from %d clients%n%n",
                    options.createBurst(), options.clients()));
            out.append("| Creates accepted | accepted/s | errors | last Create → last stream ACTIVE | Create → ACTIVE p50 | p99 | max |\n");
            out.append("|---:|---:|---|---:|---:|---:|---:|\n");
            out.append(String.format(Locale.ROOT, "| %d | %.0f | %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms |%n", burst.accepted(),
                    burst.acceptedPerSecond(), burst.errors().isEmpty() ? "none" : burst.errors().toString(),
                    burst.lastCreateToLastActiveMs(), lags.percentile(50), lags.percentile(99), lags.max()));
            appendSqlBound(out);
            return out.toString();
        }
        out.append(String.format(Locale.ROOT, "- Load: %d clients; the service warmed up by %d s of the mixed load, then per mix a warm-up of %d s and %d s measured; %d streams (half AWS-owned key, "
                        + "half customer keys, %d streams a key), %d + %d put streams, batches of %d × %d B%n",
                options.clients(), options.serviceWarmup().toSeconds(), options.warmup().toSeconds(), options.duration().toSeconds(), options.streams(),
                options.streamsPerKey(), options.putStreams(), options.putStreams(), options.recordsPerBatch(), options.recordBytes()));
        out.append('\n').append(table(results));
        appendSqlBound(out);
        if (rotationLeft != null) {
            out.append("\nStart/Stop calls left in the 25-per-stream budget after start-stop: ").append(rotationLeft).append('\n');
        }
        out.append("\n| latency | probes | p50 ms | p99 ms | max ms | failed |\n|---|---:|---:|---:|---:|---:|\n");
        for (Probes.Sample sample : samples) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %d |%n", sample.name(), sample.millis().size(),
                    sample.percentile(50), sample.percentile(99), sample.max(), sample.failures()));
        }
        out.append("\n| service | figure |\n|---|---|\n");
        if (startUpMillis != null) {
            out.append(String.format(Locale.ROOT, "| first start on a fresh database, migrations included (launch → health 200) | %d ms%s |%n", startUpMillis,
                    springStartSeconds == null ? "" : String.format(Locale.ROOT, " (Spring: started in %.2f s)", springStartSeconds)));
        }
        if (restartMillis != null) {
            out.append(String.format(Locale.ROOT, "| restart on the used database (stop → health 200 again) | %d ms |%n", restartMillis));
        }
        if (!Double.isNaN(idleRss)) {
            out.append(String.format(Locale.ROOT, "| RSS idle after start-up | %.0f MiB |%n", idleRss));
        }
        if (!Double.isNaN(loadedRss)) {
            out.append(String.format(Locale.ROOT, "| RSS peak under load | %.0f MiB |%n", loadedRss));
        }
        if (!Double.isNaN(finalRss)) {
            out.append(String.format(Locale.ROOT, "| RSS at the end | %.0f MiB |%n", finalRss));
        }
        if (replay != null) {
            out.append(String.format(Locale.ROOT, "| replay of every projection | %s: %d events in %d ms = %.0f events/s (service's own figure %.0f) |%n",
                    replay.state(), replay.events(), replay.wall().toMillis(),
                    replay.events() / Math.max(1e-9, replay.wall().toNanos() / 1e9), replay.serverEventsPerSecond()));
        }
        return out.toString();
    }

    private static String machine() {
        String cpu = "";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("");
        } catch (IOException unreadable) {
            // not Linux
        }
        return String.format(Locale.ROOT, "%d cores%s, %d MiB heap max for the harness, Java %s, %s", Runtime.getRuntime().availableProcessors(),
                cpu.isEmpty() ? "" : " (" + cpu + ")", Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }
}
