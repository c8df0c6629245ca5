package io.firehosesse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Runs the harness once on a tiny setting, only to keep it working: it launches the packaged service, drives every
 * mix through the signed wire protocol and reads every figure. It asserts that each was measured, never how fast.
 */
class BenchHarnessIT {

    @Test
    void measuresEveryMixAndFigureOfALaunchedService() throws Exception {
        Path jar = Path.of(System.getProperty("bench.serviceJar", "../service/app/target/firehose-sse.jar"));
        assumeTrue(Files.isRegularFile(jar), "the service jar is packaged before this module's integration tests");
        Path report = Files.createTempFile("bench-report", ".md");
        List<String> args = new ArrayList<>(List.of("--service-jar=" + jar, "--clients=2", "--service-warmup=2s",
                "--warmup=0s", "--duration=2s", "--streams=12", "--streams-per-key=3", "--put-streams=1",
                "--records-per-batch=10", "--probes=2", "--report=" + report));
        args.addAll(database());

        BenchReport result = Bench.run(BenchOptions.parse(args.toArray(String[]::new)));

        assertThat(result.results()).extracting(LoadRun.Result::mix)
                .containsExactly("describe", "start-stop", "mixed", "put-record-batch (SSE off)", "put-record-batch (SSE on)");
        for (LoadRun.Result run : result.results()) {
            assertThat(run.totalCalls()).as(run.mix()).isPositive();
            run.operations().values().forEach(op -> assertThat(op.serverErrors()).as(op.name() + " 5xx").isZero());
        }
        assertThat(result.results().get(0).operations()).containsKey("DescribeDeliveryStream");
        assertThat(result.results().get(1).operations().keySet()).contains(
                "StartDeliveryStreamEncryption (AWS_OWNED_CMK)", "StartDeliveryStreamEncryption (CUSTOMER_MANAGED_CMK)");
        OperationStats encryptedPuts = result.results().get(4).operations().get("PutRecordBatch (SSE on)");
        assertThat(encryptedPuts.records()).isPositive().isLessThanOrEqualTo(encryptedPuts.calls() * 10);
        assertThat(encryptedPuts.payloadBytes()).isEqualTo(encryptedPuts.records() * 1024);
        assertThat(result.samples()).extracting(Probes.Sample::name).contains(
                "Start -> ENABLED (AWS_OWNED_CMK)", "Start -> ENABLED (CUSTOMER_MANAGED_CMK)",
                "Status -> data plane (Encrypted on PutRecord)");
        for (Probes.Sample sample : result.samples()) {
            if (!sample.name().contains("under the mixed load")) {
                assertThat(sample.millis()).as(sample.name()).isNotEmpty();
                assertThat(sample.failures()).as(sample.name()).isZero();
            }
        }
        // The SQL bound was measured for each call, and set against the service's figures; how fast is not asserted.
        assertThat(result.sqlBound()).extracting(LoadRun.Result::mix)
                .containsExactly("sql-bound create", "sql-bound start", "sql-bound describe");
        for (LoadRun.Result bound : result.sqlBound()) {
            bound.operations().values().forEach(op -> {
                assertThat(op.succeeded()).as(bound.mix() + " " + op.name()).isPositive();
                assertThat(op.errors()).as(bound.mix() + " " + op.name()).isEmpty();
            });
        }
        assertThat(result.sqlBound().get(1).operations()).containsKeys(SqlBound.START_AWS_OWNED, SqlBound.START_CUSTOMER);
        assertThat(result.boundComparisons()).extracting(BenchReport.BoundComparison::call)
                .containsExactly("Create", "Start", "Describe");
        assertThat(result.boundComparisons()).allSatisfy(c -> assertThat(c.percent()).as(c.call()).isPositive());
        assertThat(result.replay().state()).isEqualTo("DONE");
        assertThat(result.replay().events()).isPositive();
        assertThat(result.startUpMillis()).isPositive();
        assertThat(result.idleRssMib()).isPositive();
        assertThat(Files.readString(report)).contains("| describe | DescribeDeliveryStream |", "replay of every projection",
                "| sql-bound start |", "Start: ", "% of the SQL bound", "Describe: ");
    }

    @Test
    void measuresStartUpsOnTheEmbeddedDatabase() throws Exception {
        Path jar = Path.of(System.getProperty("bench.serviceJar", "../service/app/target/firehose-sse.jar"));
        assumeTrue(Files.isRegularFile(jar), "the service jar is packaged before this module's integration tests");
        Path report = Files.createTempFile("bench-start-ups", ".md");

        BenchReport result = Bench.run(BenchOptions.parse("--service-jar=" + jar, "--database-url=embedded",
                "--start-ups=1", "--report=" + report));

        assertThat(result.startUps).extracting(BenchReport.StartUp::kind).containsExactly("first start, new data", "restart 1");
        assertThat(result.startUps).allSatisfy(start -> {
            assertThat(start.millis()).isPositive();
            assertThat(start.jvmRssMib()).isPositive();
            assertThat(start.databaseRssMib()).isPositive();
        });
        assertThat(result.results()).isEmpty();
        assertThat(Files.readString(report)).contains("| restart 1 |", "embedded PostgreSQL");
    }

    /**
     * FIREHOSE_TEST_DB_URL's server when set (as in CI), else a Testcontainers PostgreSQL where Docker runs, else an
     * embedded PostgreSQL (the binaries the service itself ships): never skipped for lack of a database.
     */
    private static List<String> database() throws IOException {
        String url = System.getenv("FIREHOSE_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            return List.of("--database-url=" + url,
                    "--database-user=" + System.getenv().getOrDefault("FIREHOSE_TEST_DB_USER", "postgres"),
                    "--database-password=" + System.getenv().getOrDefault("FIREHOSE_TEST_DB_PASSWORD", ""));
        }
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            docker = false;
        }
        if (!docker) {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is going; the server's temporary directory goes with the machine's temp cleaning
                }
            }));
            return List.of("--database-url=" + embedded.getJdbcUrl("postgres", "postgres"), "--database-user=postgres",
                    "--database-password=");
        }
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
        container.start();
        return List.of("--database-url=" + container.getJdbcUrl(), "--database-user=" + container.getUsername(),
                "--database-password=" + container.getPassword());
    }
}
