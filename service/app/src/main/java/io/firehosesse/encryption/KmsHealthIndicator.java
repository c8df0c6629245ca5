package io.firehosesse.encryption;

import io.firehosesse.kms.KmsProperties;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * {@code kms} in the health endpoint (the dependencies group). The embedded KMS is part of this service and is UP
 * while the service is. An external one ({@code firehose.kms.endpoint}) is checked by opening a connection to it, at
 * most every {@link #RECHECK_MILLIS}, without calling KMS itself (a health probe must not spend a KMS request quota):
 * when it cannot be reached it is DEGRADED, which never brings the service's own health or readiness down, since
 * calls are still answered and the encryption process retries KMS until {@code firehose.encryption.kms-deadline}.
 */
@Component
class KmsHealthIndicator extends AbstractHealthIndicator {

    static final long RECHECK_MILLIS = 10_000;
    static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private final URI endpoint;
    private volatile Health last;
    private volatile long checkedAt;

    KmsHealthIndicator(KmsProperties properties) {
        this.endpoint = properties.endpoint() == null || properties.endpoint().isBlank() ? null : URI.create(properties.endpoint());
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        if (endpoint == null) {
            health.up().withDetail("type", "embedded");
            return;
        }
        long now = System.currentTimeMillis();
        Health checked = last;
        if (checked == null || now - checkedAt > RECHECK_MILLIS) {
            checked = probe();
            last = checked;
            checkedAt = now;
        }
        health.status(checked.getStatus()).withDetails(checked.getDetails());
    }

    private Health probe() {
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : "http".equalsIgnoreCase(endpoint.getScheme()) ? 80 : 443;
        Health.Builder health = new Health.Builder().withDetail("type", "external").withDetail("endpoint", endpoint.toString());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), port), CONNECT_TIMEOUT_MILLIS);
            return health.up().build();
        } catch (IOException | IllegalArgumentException unreachable) {
            return health.status("DEGRADED").withDetail("error", unreachable.toString()).build();
        }
    }
}
