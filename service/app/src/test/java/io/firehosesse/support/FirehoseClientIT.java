package io.firehosesse.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/** An integration test that talks to the service with a fresh SDK v2 client per test. */
@FirehoseIntegrationTest
public abstract class FirehoseClientIT {

    @LocalServerPort
    protected int port;

    protected FirehoseClient firehose;

    @BeforeEach
    void connect() {
        firehose = Clients.firehose(port);
    }

    @AfterEach
    void disconnect() {
        firehose.close();
    }
}
