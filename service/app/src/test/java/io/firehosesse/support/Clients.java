package io.firehosesse.support;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/** The real AWS SDK v2 client, pointed at the service under test. */
public final class Clients {

    private Clients() {
    }

    public static FirehoseClient firehose(int port) {
        return firehose(port, Region.US_EAST_1);
    }

    public static FirehoseClient firehose(int port, Region region) {
        return FirehoseClient.builder()
                .endpointOverride(URI.create("http://localhost:" + port))
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")))
                .httpClient(UrlConnectionHttpClient.create())
                // Errors are asserted as the first answer, not after the SDK's retries.
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
    }
}
