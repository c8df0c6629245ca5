package io.firehosesse.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The harness's settings, from {@code --name=value} (or {@code --name value}) arguments. Without {@code --endpoint}
 * the harness launches the service jar itself on a fresh database, with a credentials file, so every call is
 * signed and verified and the audit trail is on, and it can also read the service's start-up time and memory.
 */
record BenchOptions(
        URI endpoint,
        Path serviceJar,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        List<String> jvmOptions,
        List<String> serviceArguments,
        String accessKeyId,
        String secretAccessKey,
        int clients,
        Duration serviceWarmup,
        Duration warmup,
        Duration duration,
        int streams,
        int streamsPerKey,
        int putStreams,
        int recordsPerBatch,
        int recordBytes,
        List<String> mixes,
        int probes,
        boolean keepDatabase,
        int startUps,
        int createBurst,
        int sqlBoundPool,
        Path report) {

    /** {@code --database-url=embedded}: no datasource given, so the service runs its own embedded PostgreSQL. */
    static final String EMBEDDED = "embedded";

    static final List<String> ALL_MIXES = List.of("describe", "start-stop", "sql-bound", "put-record-batch", "mixed");

    /** The service's own pool size (spring.datasource.hikari.maximum-pool-size in service/app's application.yml). */
    static final int SERVICE_POOL_SIZE = 20;
    private static final String POOL_SIZE_ARG = "--spring.datasource.hikari.maximum-pool-size=";

    static final String USAGE = """
            Usage: java -jar bench/target/firehose-bench.jar [--name=value ...]
              --endpoint=URL          a running service (default: launch --service-jar on a fresh database)
              --service-jar=PATH      default service/app/target/firehose-sse.jar
              --database-url=JDBC     the PostgreSQL server to launch on (default jdbc:postgresql://127.0.0.1:5432/postgres;
                                      a database firehose_bench_<time> is made there, and dropped after unless --keep-database);
                                      "embedded": none, the service runs its own embedded PostgreSQL as a new user's does
              --start-ups=N           only start-up: a first start on new data, then N restarts (stop, start, health 200),
                                      the JVM's idle RSS after each and the embedded PostgreSQL's apart; no load
              --create-burst=N        only a burst: N CreateDeliveryStream calls from --clients clients at once, then how
                                      long after its Create each stream became ACTIVE (from its events) and how long after
                                      the last Create the last one did; a launched service keeps its 500 ms creation delay
              --database-user=NAME    default postgres       --database-password=TEXT  default empty
              --jvm-option=OPT        for the launched service (repeatable)   --service-arg=--name=value (repeatable)
              --access-key-id / --secret-access-key   with --endpoint (default test/test, for open mode)
              --service-warmup=60s    the mixed load, unmeasured, before anything is measured: on 2 cores the JIT
                                      compilers take a third of the CPU for the first minute of load
              --clients=16  --warmup=5s (per mix)  --duration=20s  --streams=1000  --streams-per-key=100
              --put-streams=16 (per SSE setting)  --records-per-batch=500  --record-bytes=1024
              --mixes=describe,start-stop,sql-bound,put-record-batch,mixed  --probes=100 (sequential Start->ENABLED per key type)
                                      sql-bound: the SQL bound. The statements a Create (through to ACTIVE), a Start (through
                                      to ENABLED) and a Describe make the service issue, replayed straight through JDBC by
                                      --clients clients for --warmup + --duration each, on a scratch copy of the service's
                                      tables in its own database (schema firehose_sql_bound, dropped after); the report gives
                                      each call's figure as a percentage of it. With --create-burst, the Create replay after
                                      the burst. With --endpoint, --database-url must name that service's database;
                                      with --database-url=embedded there is no bound
              --sql-bound-pool=N      the bound's HikariCP pool size: the service's (20, or the N of a
                                      --service-arg=--spring.datasource.hikari.maximum-pool-size=N)
              --report=FILE           also write the results as Markdown
            """;

    static BenchOptions parse(String... args) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument " + arg + "\n" + USAGE);
            }
            String name;
            String value;
            if (arg.contains("=")) {
                name = arg.substring(2, arg.indexOf('='));
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (arg.equals("--keep-database") || arg.equals("--help")) {
                name = arg.substring(2);
                value = "true";
            } else if (i + 1 < args.length) {
                name = arg.substring(2);
                value = args[++i];
            } else {
                throw new IllegalArgumentException("No value for " + arg + "\n" + USAGE);
            }
            values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        if (values.containsKey("help")) {
            throw new IllegalArgumentException(USAGE);
        }
        Reader read = new Reader(values, new java.util.HashSet<>());
        String endpoint = read.one("endpoint", null);
        BenchOptions options = new BenchOptions(
                endpoint == null ? null : URI.create(endpoint.endsWith("/") ? endpoint : endpoint + "/"),
                Path.of(read.one("service-jar", "service/app/target/firehose-sse.jar")),
                read.one("database-url", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                read.one("database-user", "postgres"),
                read.one("database-password", ""),
                read.all("jvm-option"),
                read.all("service-arg"),
                read.one("access-key-id", "test"),
                read.one("secret-access-key", "test"),
                Integer.parseInt(read.one("clients", "16")),
                duration(read.one("service-warmup", "60s")),
                duration(read.one("warmup", "5s")),
                duration(read.one("duration", "20s")),
                Integer.parseInt(read.one("streams", "1000")),
                Integer.parseInt(read.one("streams-per-key", "100")),
                Integer.parseInt(read.one("put-streams", "16")),
                Integer.parseInt(read.one("records-per-batch", "500")),
                Integer.parseInt(read.one("record-bytes", "1024")),
                List.of(read.one("mixes", String.join(",", ALL_MIXES)).split(",")),
                Integer.parseInt(read.one("probes", "100")),
                Boolean.parseBoolean(read.one("keep-database", "false")),
                Integer.parseInt(read.one("start-ups", "0")),
                Integer.parseInt(read.one("create-burst", "0")),
                Integer.parseInt(read.one("sql-bound-pool", Integer.toString(servicePoolSize(read.all("service-arg"))))),
                read.one("report", null) == null ? null : Path.of(read.one("report", null)));
        List<String> unknown = values.keySet().stream().filter(name -> !read.known().contains(name)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown option(s) " + unknown + "\n" + USAGE);
        }
        for (String mix : options.mixes()) {
            if (!ALL_MIXES.contains(mix)) {
                throw new IllegalArgumentException("Unknown mix " + mix + "; one of " + ALL_MIXES);
            }
        }
        return options;
    }

    /** The pool size the service is launched with: the last override among its arguments, else its default. */
    private static int servicePoolSize(List<String> serviceArguments) {
        int size = SERVICE_POOL_SIZE;
        for (String argument : serviceArguments) {
            if (argument.startsWith(POOL_SIZE_ARG)) {
                size = Integer.parseInt(argument.substring(POOL_SIZE_ARG.length()).trim());
            }
        }
        return size;
    }

    boolean embeddedDatabase() {
        return EMBEDDED.equals(databaseUrl);
    }

    boolean launches() {
        return endpoint == null;
    }

    static Duration duration(String text) {
        String t = text.trim().toLowerCase();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long amount = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("A duration is like 500ms, 20s or 2m: " + text);
        };
    }

    private record Reader(Map<String, List<String>> values, java.util.Set<String> known) {
        String one(String name, String fallback) {
            known.add(name);
            List<String> given = values.get(name);
            if (given == null) {
                return fallback;
            }
            return given.get(given.size() - 1);
        }

        List<String> all(String name) {
            known.add(name);
            List<String> given = values.get(name);
            return given == null ? List.of() : List.copyOf(given);
        }
    }
}
