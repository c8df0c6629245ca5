package io.firehosesse.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.support.Clients;
import io.firehosesse.support.EncryptionFixtures;
import io.firehosesse.support.ServiceProcess;
import io.firehosesse.support.Streams;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CreateKeyRequest;

/**
 * The run command on a machine with only a JDK: no datasource URL, so the service runs PostgreSQL itself with its
 * data under {@code firehose.data-dir}, keeps it across a restart and across a SIGKILL, and stops it on shutdown.
 * The first start is README's run command itself, the build's launcher (with the ahead-of-time processed
 * configuration, so it also encrypts a stream); the others the single jar.
 */
class EmbeddedDatabaseIT {

    @TempDir
    Path dataDir;

    @Test
    void withoutADatasourceUrlTheServiceKeepsItsStreamsInItsOwnPostgresAcrossRestarts() throws Exception {
        String name = Streams.uniqueName("embedded");
        try (ServiceProcess first = embedded("embedded-first").viaLauncher().start();
             FirehoseClient firehose = Clients.firehose(first.port());
             KmsClient kms = Clients.kms(first.port())) {
            assertThat(Files.readString(first.log())).contains("Starting AOT-processed FirehoseSseApplication");
            Streams.createActive(firehose, name);
            // The launcher starts the ahead-of-time processed configuration: the encryption process, the KMS with its
            // grant and the data plane run as they do in the tests' contexts.
            String keyArn = kms.createKey(CreateKeyRequest.builder().build()).keyMetadata().arn();
            EncryptionFixtures.startWithCustomerKey(firehose, name, keyArn);
            EncryptionFixtures.awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
            assertThat(EncryptionFixtures.grants(kms, keyArn)).hasSize(1);
            assertThat(firehose.putRecord(put -> put.deliveryStreamName(name)
                    .record(record -> record.data(SdkBytes.fromUtf8String("sealed\n")))).encrypted()).isTrue();
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
