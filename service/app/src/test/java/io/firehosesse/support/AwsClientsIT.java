package io.firehosesse.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.services.firehose.FirehoseClient;
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
}
