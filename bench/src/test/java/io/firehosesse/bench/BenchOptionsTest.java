package io.firehosesse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void readsBothArgumentFormsAndRepeatedOptions() {
        BenchOptions options = BenchOptions.parse("--clients=4", "--duration", "2m", "--warmup=500ms",
                "--jvm-option=-Xmx512m", "--jvm-option=-XX:+UseSerialGC", "--mixes=describe,mixed", "--keep-database");

        assertThat(options.clients()).isEqualTo(4);
        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.jvmOptions()).containsExactly("-Xmx512m", "-XX:+UseSerialGC");
        assertThat(options.mixes()).containsExactly("describe", "mixed");
        assertThat(options.keepDatabase()).isTrue();
        assertThat(options.launches()).isTrue();
    }

    @Test
    void defaultsAreTheDocumentedRun() {
        BenchOptions options = BenchOptions.parse();

        assertThat(options.clients()).isEqualTo(16);
        assertThat(options.streams()).isEqualTo(1000);
        assertThat(options.recordsPerBatch()).isEqualTo(500);
        assertThat(options.recordBytes()).isEqualTo(1024);
        assertThat(options.mixes()).isEqualTo(BenchOptions.ALL_MIXES);
        assertThat(options.serviceWarmup()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThatThrownBy(() -> BenchOptions.parse("--client=4")).hasMessageContaining("Unknown option(s) [client]");
        assertThatThrownBy(() -> BenchOptions.parse("--mixes=describe,everything")).hasMessageContaining("Unknown mix everything");
        assertThatThrownBy(() -> BenchOptions.parse("--duration=20x")).hasMessageContaining("A duration is like");
    }

    @Test
    void anEndpointMeansARunningService() {
        BenchOptions options = BenchOptions.parse("--endpoint=http://localhost:8080");

        assertThat(options.launches()).isFalse();
        assertThat(options.endpoint().toString()).isEqualTo("http://localhost:8080/");
    }

    @Test
    void aLaunchedServiceGetsADatabaseOfItsOwnOnTheSameServer() {
        assertThat(ServiceUnderTest.withDatabase("jdbc:postgresql://127.0.0.1:5432/postgres", "firehose_bench_1"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/firehose_bench_1");
        assertThat(ServiceUnderTest.withDatabase("jdbc:postgresql://db:5432/x?sslmode=disable", "b"))
                .isEqualTo("jdbc:postgresql://db:5432/b?sslmode=disable");
        assertThat(List.of(ServiceUnderTest.withDatabase("jdbc:postgresql://db/", "b"))).containsExactly("jdbc:postgresql://db/b");
    }

    @Test
    void theSqlBoundRunsByDefaultOnAPoolTheServicesSize() {
        BenchOptions defaults = BenchOptions.parse();
        assertThat(defaults.mixes()).contains("sql-bound");
        assertThat(defaults.sqlBoundPool()).isEqualTo(20);

        // Alone, with a pool of its own size, or following the size the launched service is given.
        assertThat(BenchOptions.parse("--mixes=sql-bound").mixes()).containsExactly("sql-bound");
        assertThat(BenchOptions.parse("--sql-bound-pool=8").sqlBoundPool()).isEqualTo(8);
        assertThat(BenchOptions.parse("--service-arg=--spring.datasource.hikari.maximum-pool-size=32").sqlBoundPool())
                .isEqualTo(32);
        assertThat(BenchOptions.parse("--service-arg=--spring.datasource.hikari.maximum-pool-size=32", "--sql-bound-pool=10")
                .sqlBoundPool()).isEqualTo(10);
        assertThat(BenchOptions.USAGE).contains("--sql-bound-pool=N", "sql-bound:");
    }

    @Test
    void startUpsOnTheEmbeddedDatabase() {
        BenchOptions options = BenchOptions.parse("--database-url=embedded", "--start-ups=3");
        assertThat(options.embeddedDatabase()).isTrue();
        assertThat(options.startUps()).isEqualTo(3);
        assertThat(BenchOptions.parse().startUps()).isZero();
        assertThat(BenchOptions.parse().embeddedDatabase()).isFalse();
    }
}
