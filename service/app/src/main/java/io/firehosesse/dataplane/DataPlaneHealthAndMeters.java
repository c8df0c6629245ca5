package io.firehosesse.dataplane;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the data plane shows an operator: the records and bytes accepted and not yet delivered (gauges, read from the
 * buffer table at most every few seconds, however often they are scraped), and the delivery targets' health.
 */
@Configuration(proxyBeanMethods = false)
class DataPlaneHealthAndMeters {

    /** A failing delivery target degrades the dependencies group; it never brings the service's health down. */
    static final String DEGRADED = "DEGRADED";

    @Bean
    MeterBinder bufferedRecordMeters(JdbcClient jdbc) {
        BufferedTotals totals = new BufferedTotals(jdbc);
        return registry -> {
            Gauge.builder("firehose.records.buffered", totals, t -> t.read()[0])
                    .description("Records accepted and not yet delivered, all streams").register(registry);
            Gauge.builder("firehose.records.buffered.bytes", totals, t -> t.read()[1])
                    .description("Bytes of records accepted and not yet delivered, all streams").baseUnit("bytes")
                    .register(registry);
        };
    }

    @Bean
    AbstractHealthIndicator deliveryTargetsHealthIndicator(RecordDelivery delivery, DeliveryProperties properties) {
        return new AbstractHealthIndicator() {
            @Override
            protected void doHealthCheck(Health.Builder health) {
                Map<String, Integer> failing = delivery.failingStreams();
                health.status(failing.isEmpty() ? "UP" : DEGRADED)
                        .withDetail("destination", properties.s3() != null && properties.s3().endpoint() != null
                                ? "S3 endpoint " + properties.s3().endpoint() : "directory " + properties.directory())
                        .withDetail("failingStreams", failing);
            }
        };
    }

    /** One query for both gauges, repeated at most every {@link #FRESH}. */
    static final class BufferedTotals {

        static final Duration FRESH = Duration.ofSeconds(5);

        private final JdbcClient jdbc;
        private volatile double[] last = {Double.NaN, Double.NaN};
        private volatile long readAt = Long.MIN_VALUE;

        BufferedTotals(JdbcClient jdbc) {
            this.jdbc = jdbc;
        }

        double[] read() {
            long now = System.nanoTime();
            if (readAt != Long.MIN_VALUE && now - readAt < FRESH.toNanos()) {
                return last;
            }
            try {
                last = jdbc.sql("SELECT count(*), coalesce(sum(size_bytes), 0) FROM record_buffer")
                        .query((row, n) -> new double[] {row.getLong(1), row.getLong(2)}).single();
            } catch (RuntimeException unavailable) {
                last = new double[] {Double.NaN, Double.NaN};
            }
            readAt = now;
            return last;
        }
    }
}
