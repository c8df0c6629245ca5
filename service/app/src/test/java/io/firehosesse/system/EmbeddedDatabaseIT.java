package io.firehosesse.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.support.Clients;
import io.firehosesse.support.ServiceProcess;
import io.firehosesse.support.Streams;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;

/**
 * The run command on a machine with only a JDK: no datasource URL, so the service runs PostgreSQL itself with its
 * data under {@code firehose.data-dir}, keeps it across a restart and across a SIGKILL, and stops it on shutdown.
 * The first start is README's run command itself, the build's launcher; the others the single jar.
 */
class EmbeddedDatabaseIT {

    @TempDir
    Path dataDir;

    @Test
    void withoutADatasourceUrlTheServiceKeepsItsStreamsInItsOwnPostgresAcrossRestarts() {
        String name = Streams.uniqueName("embedded");
        try (ServiceProcess first = embedded("embedded-first").viaLauncher().start();
             FirehoseClient firehose = Clients.firehose(first.port())) {
            Streams.createActive(firehose, name);
        }
        // A graceful stop stops the embedded server too: its lock file is gone.
        assertThat(dataDir.resolve("postgres").resolve("postmaster.pid")).doesNotExist();
        assertThat(dataDir.resolve("kms-master.key")).doesNotExist(); // the tests pass the master key itself

        try (ServiceProcess second = embedded("embedded-second").start();
             FirehoseClient firehose = Clients.firehose(second.port())) {
            assertThat(Streams.describe(firehose, name).deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.ACTIVE);
            second.kill();
        }
        // SIGKILL leaves the embedded server running on the data; the next start stops it and starts its own.
        try (ServiceProcess third = embedded("embedded-third").start();
             FirehoseClient firehose = Clients.firehose(third.port())) {
            assertThat(Streams.describe(firehose, name).deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.ACTIVE);
            assertThat(Files.isDirectory(dataDir.resolve("postgres"))).isTrue();
        }
    }

    private ServiceProcess.Builder embedded(String name) {
        return ServiceProcess.on("").named(name).property("firehose.data-dir", dataDir.toString());
    }
}
