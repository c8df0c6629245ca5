package io.firehosesse.system;

import io.firehosesse.platform.DatabaseUnavailableException;
import static io.firehosesse.support.Streams.awaitStatus;
import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.createDirectPut;
import static io.firehosesse.support.Streams.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.FirehoseSseApplication;
import io.firehosesse.support.Clients;
import io.firehosesse.support.EncryptionFixtures;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import io.firehosesse.support.FirehoseIntegrationTest;
import io.firehosesse.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;

/** The service as a user runs it: started on a database that does not exist yet, stopped, started again. */
@ExtendWith(TestDatabase.class)
class RestartIT {

    @Test
    void createsItsDatabaseAndLosesNoStreamOrKeyAcrossARestart() {
        String url = TestDatabase.freshDatabaseUrl();
        DeliveryStreamDescription before;
        String keyArn;
        SdkBytes sealed;
        try (ConfigurableApplicationContext first = start(url, "5s")) {
            try (KmsClient kms = Clients.kms(port(first))) {
                keyArn = kms.createKey(r -> r.description("kept")).keyMetadata().arn();
                kms.createAlias(r -> r.aliasName("alias/kept").targetKeyId(keyArn));
                sealed = kms.encrypt(r -> r.keyId("alias/kept").plaintext(SdkBytes.fromUtf8String("still here")))
                        .ciphertextBlob();
            }
            FirehoseClient firehose = Clients.firehose(port(first));
            createActive(firehose, "survivor");
            before = describe(firehose, "survivor");
            // Still CREATING when the service stops: the lifecycle must finish it after the restart.
            createDirectPut(firehose, "interrupted");
            firehose.close();
        }

        try (ConfigurableApplicationContext second = start(url, "100ms")) {
            FirehoseClient firehose = Clients.firehose(port(second));
            DeliveryStreamDescription after = describe(firehose, "survivor");
            DeliveryStreamDescription resumed = awaitStatus(firehose, "interrupted", DeliveryStreamStatus.ACTIVE);
            firehose.close();
            try (KmsClient kms = Clients.kms(port(second))) {
                assertThat(kms.describeKey(r -> r.keyId("alias/kept")).keyMetadata().arn()).isEqualTo(keyArn);
                assertThat(kms.decrypt(r -> r.ciphertextBlob(sealed)).plaintext().asUtf8String()).isEqualTo("still here");
            }

            assertThat(after).isEqualTo(before);
            assertThat(resumed.deliveryStreamName()).isEqualTo("interrupted");
        }
    }

    @Test
    void encryptionInterruptedByAShutdownCompletesAfterTheRestartWithOneGrant() {
        String url = TestDatabase.freshDatabaseUrl();
        String keyId;
        try (ConfigurableApplicationContext first = start(url, "100ms", "--firehose.encryption.enable-delay=60s")) {
            try (KmsClient kms = Clients.kms(port(first)); FirehoseClient firehose = Clients.firehose(port(first))) {
                var key = kms.createKey(r -> r.description("interrupted")).keyMetadata();
                keyId = key.keyId();
                createActive(firehose, "sealed");
                EncryptionFixtures.startWithCustomerKey(firehose, "sealed", key.arn());
                assertThat(EncryptionFixtures.encryption(firehose, "sealed").status())
                        .isEqualTo(DeliveryStreamEncryptionStatus.ENABLING);
            }
        }

        try (ConfigurableApplicationContext second = start(url, "100ms");
             KmsClient kms = Clients.kms(port(second)); FirehoseClient firehose = Clients.firehose(port(second))) {
            EncryptionFixtures.awaitEncryption(firehose, "sealed", DeliveryStreamEncryptionStatus.ENABLED);

            assertThat(EncryptionFixtures.grants(kms, keyId)).hasSize(1);
        }
    }

    @Test
    void anUnreachableDatabaseStopsStartUpWithOneSentence() {
        assertThatThrownBy(() -> start("jdbc:postgresql://127.0.0.1:1/firehose", "1s"))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageStartingWith("Cannot connect to PostgreSQL: ");
    }

    private static ConfigurableApplicationContext start(String url, String creationDelay, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + TestDatabase.username(),
                "--spring.datasource.password=" + TestDatabase.password(),
                "--firehose.lifecycle.creation-delay=" + creationDelay,
                "--firehose.kms.master-key=" + FirehoseIntegrationTest.TEST_MASTER_KEY,
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(FirehoseSseApplication.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
