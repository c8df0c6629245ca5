package io.firehosesse.encryption;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.EncryptionFixtures.grants;
import static io.firehosesse.support.EncryptionFixtures.startWithCustomerKey;
import static io.firehosesse.support.Streams.createActive;
import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.FirehoseSseApplication;
import io.firehosesse.support.Clients;
import io.firehosesse.support.FirehoseIntegrationTest;
import io.firehosesse.support.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionConfiguration;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamFailureType;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * The encryption process unchanged against an external KMS: one service instance is the KMS, reached
 * through the AWS SDK by another whose {@code firehose.kms.endpoint} names it.
 */
@ExtendWith(TestDatabase.class)
class ExternalKmsIT {

    /**
     * The SDK adapter takes credentials from the SDK's default chain; system properties come first in
     * it, so the chain never goes looking for instance metadata on the network.
     */
    @BeforeAll
    static void credentials() {
        System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
        System.setProperty("aws.secretAccessKey", "secret");
    }

    @AfterAll
    static void forgetCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void encryptionWorksThroughTheSdkAdapterAgainstAnotherKms() {
        try (ConfigurableApplicationContext kmsService = start(List.of());
             ConfigurableApplicationContext firehoseService = start(List.of(
                     "--firehose.kms.endpoint=http://localhost:" + port(kmsService)));
             KmsClient kms = Clients.kms(port(kmsService));
             FirehoseClient firehose = Clients.firehose(port(firehoseService))) {
            assertThat(firehoseService.getBean(KmsKeys.class)).isInstanceOf(SdkKmsKeys.class);
            KeyMetadata key = kms.createKey(r -> r.description("external")).keyMetadata();
            createActive(firehose, "external");

            startWithCustomerKey(firehose, "external", key.arn());
            DeliveryStreamEncryptionConfiguration enabled = awaitEncryption(firehose, "external", DeliveryStreamEncryptionStatus.ENABLED);

            assertThat(enabled.keyARN()).isEqualTo(key.arn());
            assertThat(grants(kms, key.keyId())).singleElement()
                    .satisfies(grant -> assertThat(grant.granteePrincipal()).isEqualTo("firehose.amazonaws.com"));
        }
    }

    @Test
    void anUnreachableKmsIsRetriedUntilTheDeadlineThenTheAttemptFails() {
        try (ConfigurableApplicationContext firehoseService = start(List.of(
                "--firehose.kms.endpoint=http://127.0.0.1:1", "--firehose.encryption.kms-deadline=2s"));
             FirehoseClient firehose = Clients.firehose(port(firehoseService))) {
            createActive(firehose, "kms-down");

            startWithCustomerKey(firehose, "kms-down", "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000001");
            DeliveryStreamEncryptionConfiguration failed = awaitEncryption(firehose, "kms-down",
                    DeliveryStreamEncryptionStatus.ENABLING_FAILED);

            assertThat(failed.failureDescription().type()).isEqualTo(DeliveryStreamFailureType.UNKNOWN_ERROR);
        }
    }

    private static ConfigurableApplicationContext start(List<String> more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + TestDatabase.freshDatabaseUrl(),
                "--spring.datasource.username=" + TestDatabase.username(),
                "--spring.datasource.password=" + TestDatabase.password(),
                "--firehose.lifecycle.creation-delay=100ms",
                "--firehose.kms.master-key=" + FirehoseIntegrationTest.TEST_MASTER_KEY,
                "--spring.main.banner-mode=off"));
        args.addAll(more);
        return new SpringApplicationBuilder(FirehoseSseApplication.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
