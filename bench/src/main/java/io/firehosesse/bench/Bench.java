package io.firehosesse.bench;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The benchmark harness: drives the service's wire protocol with signed calls from concurrent clients and prints,
 * per operation, calls/s, p50/p90/p99/max latency and errors by {@code __type}; then the latencies of status changes,
 * replay speed, start-up time and memory. See docs/benchmarks.md for the figures and how to read them.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        BenchReport report = run(options);
        System.out.println();
        System.out.println(report.markdown());
        if (options.report() != null) {
            System.out.println("Written to " + options.report().toAbsolutePath());
        }
    }

    /** Runs everything the options ask for against the service and answers the figures. */
    public static BenchReport run(BenchOptions options) throws Exception {
        BenchReport report = new BenchReport(options, Instant.now());
        log("Service: " + (options.launches() ? "launching " + options.serviceJar() : options.endpoint()));
        if (options.startUps() > 0) {
            return startUps(options, report);
        }
        try (ServiceUnderTest service = options.launches() ? ServiceUnderTest.launch(options) : ServiceUnderTest.running(options)) {
            report.service(service);
            if (service.launched()) {
                log("Started in " + service.startUp().orElseThrow().toMillis() + " ms; settling 3 s to read idle memory");
                Thread.sleep(3000);
                report.idleRss = service.rssMib().orElse(Double.NaN);
            }
            String run = UUID.randomUUID().toString().substring(0, 6);
            if (options.createBurst() > 0) {
                log("Create burst: " + options.createBurst() + " CreateDeliveryStream calls from " + options.clients() + " clients");
                CreateBurst.Result burst = CreateBurst.run(service, options.createBurst(), options.clients(), run);
                report.burst = burst;
                if (options.mixes().contains("sql-bound")) {
                    report.sqlBound.addAll(sqlBound(service, options, false));
                }
                if (options.report() != null) {
                    Files.writeString(options.report(), report.markdown());
                }
                return report;
            }
            log("Making " + options.streams() + " streams, " + 2 * options.putStreams() + " put streams and keys");
            long setup = System.nanoTime();
            Fixture fixture = Fixture.make(service, options, run);
            log(String.format("Fixture ready in %.1f s", (System.nanoTime() - setup) / 1e9));
            report.fixtureCreatesPerSecond = fixture.createsPerSecond;
            Mixes mixes = new Mixes(fixture, options);
            Probes probes = new Probes(service, fixture);
            if (!options.serviceWarmup().isZero()) {
                log("Warming the service up: the mixed load (batches of 10 records) for " + options.serviceWarmup().toSeconds() + " s, not measured");
                Mixes warmupMixes = new Mixes(fixture, options, new StartStopRotation(fixture.warmupStreams, fixture.warmupKeys));
                LoadRun.run("service warm-up", service, options.clients(), Duration.ZERO, options.serviceWarmup(),
                        warmupMixes::warmup, () -> { });
            }
            AtomicReference<Double> peakRss = new AtomicReference<>(0.0);
            Runnable sampler = () -> service.rssMib().ifPresent(rss -> peakRss.accumulateAndGet(rss, Math::max));

            // Order matters on a shared machine: the put mixes leave a delivery backlog that the service drains for a
            // while, so the control-plane mixes and the latency probes come first and the put mixes last.
            if (options.mixes().contains("describe")) {
                report.add(load("describe", service, options, mixes::describe, sampler));
            }
            if (options.mixes().contains("start-stop")) {
                report.add(load("start-stop", service, options, mixes::startStop, sampler));
                report.rotationLeft = mixes.rotation().callsLeft();
            }
            log("Waiting for the asynchronous processors to catch up");
            probes.awaitQuiet();
            if (options.mixes().contains("sql-bound")) {
                // After the control-plane mixes, so the copied tables hold what they did while the service was measured.
                report.sqlBound.addAll(sqlBound(service, options, true));
            }
            log("Sequential Start -> ENABLED, " + options.probes() + " per key type");
            report.samples.add(probes.startToEnabled(null, options.probes()));
            report.samples.add(probes.startToEnabled(fixture.probeKeys.get(0), options.probes()));
            log("Status -> data plane lag");
            report.samples.add(probes.statusToDataPlaneLag(Math.max(2, Math.min(40, options.probes()))));
            if (options.mixes().contains("mixed")) {
                List<Double> toView = Collections.synchronizedList(new ArrayList<>());
                List<Double> toEnabled = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean stop = new AtomicBoolean();
                List<Double> processorLag = Collections.synchronizedList(new ArrayList<>());
                Thread probe = new Thread(probes.underLoad(toView, toEnabled, stop), "under-load-probe");
                probe.start();
                report.add(load("mixed", service, options, mixes::mixed, () -> {
                    sampler.run();
                    long lag = probes.processorLagMillis();
                    if (lag >= 0) {
                        processorLag.add((double) lag);
                    }
                }));
                stop.set(true);
                probe.join();
                report.samples.add(new Probes.Sample("Asynchronous processors' lag (oldest unhandled event), sampled under the mixed load",
                        processorLag, 0));
                report.samples.add(new Probes.Sample("Start -> REST view shows it, under the mixed load", toView, 0));
                report.samples.add(new Probes.Sample("Start -> ENABLED (AWS_OWNED_CMK), under the mixed load", toEnabled, 0));
            }
            probes.awaitQuiet();
            if (options.mixes().contains("put-record-batch")) {
                report.add(load("put-record-batch (SSE off)", service, options, mixes::putPlain, sampler));
                report.add(load("put-record-batch (SSE on)", service, options, mixes::putEncrypted, sampler));
            }
            report.loadedRss = peakRss.get() == 0.0 ? Double.NaN : peakRss.get();
            log("Replaying every projection");
            report.replay = probes.replay();
            report.finalRss = service.rssMib().orElse(Double.NaN);
            if (service.launched()) {
                log("Restarting the service on its database, now holding everything above");
                report.restartMillis = service.restart().toMillis();
            }
        }
        if (options.report() != null) {
            Files.writeString(options.report(), report.markdown());
        }
        return report;
    }

    /** Start-up alone: a first start on new data, then restarts on it, each followed by 3 s idle to read memory. */
    private static BenchReport startUps(BenchOptions options, BenchReport report) throws Exception {
        if (!options.launches()) {
            throw new IllegalArgumentException("--start-ups launches the service itself; leave out --endpoint");
        }
        try (ServiceUnderTest service = ServiceUnderTest.launch(options)) {
            report.service(service);
            report.startUps.add(idle(service, "first start, new data", service.startUp().orElseThrow()));
            for (int i = 1; i <= options.startUps(); i++) {
                Duration restart = service.restart();
                report.startUps.add(idle(service, "restart " + i, restart));
            }
        }
        if (options.report() != null) {
            Files.writeString(options.report(), report.markdown());
        }
        return report;
    }

    private static BenchReport.StartUp idle(ServiceUnderTest service, String kind, Duration took) throws InterruptedException {
        log(kind + ": healthy after " + took.toMillis() + " ms; settling 3 s to read idle memory");
        Thread.sleep(3000);
        return new BenchReport.StartUp(kind, took.toMillis(), service.springStartSeconds().orElse(null),
                service.rssMib().orElse(Double.NaN), service.databaseRssMib().orElse(Double.NaN));
    }

    private static LoadRun.Result load(String mix, ServiceUnderTest service, BenchOptions options, LoadRun.Action action,
                                       Runnable sampler) throws Exception {
        log("Mix " + mix + ": " + options.clients() + " clients, warm-up " + options.warmup().toSeconds() + " s, measured "
                + options.duration().toSeconds() + " s");
        LoadRun.Result result = LoadRun.run(mix, service, options.clients(), options.warmup(), options.duration(), action, sampler);
        System.out.print(BenchReport.table(List.of(result)));
        return result;
    }

    /**
     * The SQL bound (see {@link SqlBound}): the Create replay, whose streams the Start and Describe replays then work
     * across; empty, with the reason logged, when the service's database cannot be reached.
     */
    private static List<LoadRun.Result> sqlBound(ServiceUnderTest service, BenchOptions options, boolean all) throws Exception {
        var url = service.databaseUrl();
        if (url.isEmpty()) {
            log("SQL bound skipped: the service runs an embedded PostgreSQL the harness cannot reach");
            return List.of();
        }
        log("SQL bound: copying the service's tables to schema " + SqlBound.SCHEMA + ", pool of " + options.sqlBoundPool());
        List<LoadRun.Result> results = new ArrayList<>();
        SqlBound bound;
        try {
            bound = SqlBound.prepare(url.get(), options.databaseUser(), options.databasePassword(), options.sqlBoundPool(),
                    options.streams(), options.streamsPerKey());
        } catch (java.sql.SQLException e) {
            log("SQL bound skipped: " + e.getMessage());
            return List.of();
        }
        try (bound) {
            results.add(boundLoad("sql-bound create", bound, options, bound::create));
            if (all) {
                log("SQL bound: " + bound.adoptCreatedStreams() + " of the replayed Creates' streams for Start and Describe");
                results.add(boundLoad("sql-bound start", bound, options, bound::start));
                results.add(boundLoad("sql-bound describe", bound, options, bound::describe));
            }
        }
        return results;
    }

    private static LoadRun.Result boundLoad(String mix, SqlBound bound, BenchOptions options,
                                            LoadRun.ClientAction<SqlBound.Client> action) throws Exception {
        log("Mix " + mix + ": " + options.clients() + " JDBC clients, warm-up " + options.warmup().toSeconds() + " s, measured "
                + options.duration().toSeconds() + " s");
        LoadRun.Result result = LoadRun.run(mix, bound::client, options.clients(), options.warmup(), options.duration(),
                action, () -> { });
        System.out.print(BenchReport.table(List.of(result)));
        return result;
    }

    static void log(String line) {
        System.out.println("[bench " + Instant.now() + "] " + line);
    }
}
