package io.firehosesse.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** An integration test that talks to the service as users do: fresh SDK v2 Firehose and KMS clients per test. */
@FirehoseIntegrationTest
public abstract class AwsClientsIT {

    @LocalServerPort
    protected int port;

    protected FirehoseClient firehose;

    protected KmsClient kms;

    @BeforeEach
    void connect() {
        firehose = Clients.firehose(port);
        kms = Clients.kms(port);
    }

    @AfterEach
    void disconnect() {
        firehose.close();
        kms.close();
    }

    protected KeyMetadata newKey(String description) {
        return kms.createKey(r -> r.description(description)).keyMetadata();
    }

    /** A new ACTIVE stream, encrypted (ENABLED) under a new customer managed key, which is returned. */
    protected KeyMetadata activeStreamEncryptedWithNewKey(String name, String keyDescription) {
        Streams.createActive(firehose, name);
        KeyMetadata key = newKey(keyDescription);
        EncryptionFixtures.startWithCustomerKey(firehose, name, key.arn());
        EncryptionFixtures.awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        return key;
    }
}
