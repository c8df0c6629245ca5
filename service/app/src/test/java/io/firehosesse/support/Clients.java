package io.firehosesse.support;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

/** The real AWS SDK v2 client, pointed at the service under test. */
public final class Clients {

    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));

    private Clients() {
    }

    public static KmsClient kms(int port) {
        return kms(port, CREDENTIALS);
    }

    public static KmsClient kms(int port, AwsCredentialsProvider credentials) {
        return local(KmsClient.builder(), port, Region.US_EAST_1, credentials).build();
    }

    public static FirehoseClient firehose(int port) {
        return firehose(port, Region.US_EAST_1);
    }

    public static FirehoseClient firehose(int port, Region region) {
        return firehose(port, region, CREDENTIALS);
    }

    public static FirehoseClient firehose(int port, Region region, AwsCredentialsProvider credentials) {
        return local(FirehoseClient.builder(), port, region, credentials).build();
    }

    public static StsClient sts(int port, AwsCredentialsProvider credentials) {
        return local(StsClient.builder(), port, Region.US_EAST_1, credentials).build();
    }

    /** Any SDK client builder pointed at the service on {@code port}. */
    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B local(B builder, int port, Region region,
                                                                                         AwsCredentialsProvider credentials) {
        return builder.endpointOverride(URI.create("http://localhost:" + port))
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                // Errors are asserted as the first answer, not after the SDK's retries.
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()));
    }

    public static StaticCredentialsProvider credentials(String accessKeyId, String secret) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret));
    }

    public static StaticCredentialsProvider credentials(String accessKeyId, String secret, String sessionToken) {
        return StaticCredentialsProvider.create(AwsSessionCredentials.create(accessKeyId, secret, sessionToken));
    }
}
