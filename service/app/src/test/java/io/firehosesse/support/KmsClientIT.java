package io.firehosesse.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** An integration test that manages the embedded KMS with a fresh SDK v2 {@code KmsClient} per test. */
@FirehoseIntegrationTest
public abstract class KmsClientIT {

    @LocalServerPort
    protected int port;

    protected KmsClient kms;

    @BeforeEach
    void connectKms() {
        kms = Clients.kms(port);
    }

    @AfterEach
    void disconnectKms() {
        kms.close();
    }

    protected KeyMetadata newKey(String description) {
        return kms.createKey(r -> r.description(description)).keyMetadata();
    }
}
