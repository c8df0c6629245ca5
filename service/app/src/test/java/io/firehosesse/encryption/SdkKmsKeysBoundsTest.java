package io.firehosesse.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** How long the external-KMS adapter may keep a caller waiting, and what it retries. */
class SdkKmsKeysBoundsTest {

    private static final KmsKeys.OnBehalfOf CALLER = new KmsKeys.OnBehalfOf("123456789012", "us-east-1", null);
    private static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void aKmsThatNeverAnswersIsUnreachableWithinTheCallBound() throws IOException {
        try (ServerSocket hung = new ServerSocket()) {
            // Connections complete into the backlog and are never accepted, read or answered.
            hung.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            try (SdkKmsKeys kms = adapter(hung.getLocalPort())) {
                kms.describeKey(CALLER, KEY); // the first call also builds the client; time the next one
                long started = System.nanoTime();
                KmsResult<KmsKeys.KeyDescription> result = kms.describeKey(CALLER, KEY);
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertThat(result.error().name()).isEqualTo(KmsResult.KmsError.UNREACHABLE);
                // Cut off by the adapter's bound (it fires after 2 s to 3 s on any machine), not left to the SDK's own
                // timeouts and retries, which took some 40 s a call; the spare up to three bounds is a busy machine's.
                assertThat(took).isLessThan(SdkKmsKeys.CALL_TIMEOUT.multipliedBy(3));
            }
        }
    }

    @Test
    void aThrottledCallIsRetriedAndAnUnreachableOneIsNot() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger throttles = new AtomicInteger(); // ThrottlingExceptions still to answer before a success
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            boolean throttle = throttles.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
            byte[] body = (throttle ? "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"
                    : "{\"KeyMetadata\":{\"KeyId\":\"1234abcd-12ab-34cd-56ef-1234567890ab\",\"Arn\":\"" + KEY + "\","
                    + "\"KeySpec\":\"SYMMETRIC_DEFAULT\",\"KeyUsage\":\"ENCRYPT_DECRYPT\",\"KeyState\":\"Enabled\","
                    + "\"Enabled\":true,\"KeyManager\":\"CUSTOMER\"}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(throttle ? 400 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (SdkKmsKeys kms = adapter(server.getAddress().getPort());
             SdkKmsKeys nowhere = adapter(closedPort)) {
            // The first call of each also builds its client, which on two busy cores can take longer than the call
            // bound itself; the calls under test are the next ones.
            assertThat(kms.describeKey(CALLER, KEY).isOk()).isTrue();
            nowhere.describeKey(CALLER, KEY);
            requests.set(0);
            throttles.set(2);

            KmsResult<KmsKeys.KeyDescription> throttledTwice = kms.describeKey(CALLER, KEY);
            KmsResult<KmsKeys.KeyDescription> refused = nowhere.describeKey(CALLER, KEY);

            assertThat(throttledTwice.isOk()).isTrue();
            assertThat(throttledTwice.value().keyArn()).isEqualTo(KEY);
            assertThat(requests).hasValue(3);
            assertThat(refused.error().name()).isEqualTo(KmsResult.KmsError.UNREACHABLE);
            assertThat(refused.error().message()).contains("SDK Attempt Count: 1");
        } finally {
            server.stop(0);
        }
    }

    private static SdkKmsKeys adapter(int port) {
        return new SdkKmsKeys(URI.create("http://127.0.0.1:" + port),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "secret")));
    }
}
