package io.firehosesse.support;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.kms.KmsClient;

/** The real AWS SDK v2 client, pointed at the service under test. */
public final class Clients {

    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));

    private Clients() {
    }

    public static KmsClient kms(int port) {
        return KmsClient.builder()
                .endpointOverride(URI.create("http://localhost:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
    }

    public static FirehoseClient firehose(int port) {
        return firehose(port, Region.US_EAST_1);
    }

    public static FirehoseClient firehose(int port, Region region) {
        return FirehoseClient.builder()
                .endpointOverride(URI.create("http://localhost:" + port))
                .region(region)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                // Errors are asserted as the first answer, not after the SDK's retries.
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
    }
}
