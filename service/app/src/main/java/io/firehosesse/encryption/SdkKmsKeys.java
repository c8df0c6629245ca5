package io.firehosesse.encryption;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GrantConstraints;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * The port on any KMS-compatible endpoint (AWS KMS, LocalStack, this service's own embedded KMS) through
 * the AWS SDK v2. One client per region, sharing one HTTP client; errors come back by KMS's name.
 *
 * <p>Every call is bounded ({@link #CALL_TIMEOUT} in all), and a KMS that cannot be reached or does not
 * answer is reported at once as {@link KmsResult.KmsError#UNREACHABLE}, not retried here: a Start's key
 * check and a put's data key are asked for while a request waits (with the SDK's retries, 24 Starts
 * against a closed port took up to 1.3 s each and a put 1.5 s; against a KMS that accepts connections
 * but never answers, 40 s each), and the encryption process has retries of its own, up to its deadline.
 * KMS's own requests to slow down, and its server errors, are still retried.
 */
public class SdkKmsKeys implements KmsKeys, AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
    private static final int MAX_ATTEMPTS = 3;

    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final Map<String, KmsClient> clients = new ConcurrentHashMap<>();

    public SdkKmsKeys(URI endpoint, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(ATTEMPT_TIMEOUT)
                .build();
    }

    @Override
    public KmsResult<KeyDescription> describeKey(OnBehalfOf caller, String keyId) {
        return call(() -> {
            KeyMetadata key = client(caller).describeKey(r -> r.keyId(keyId)).keyMetadata();
            return new KeyDescription(key.arn(), key.keyId(), key.keySpecAsString(), key.keyUsageAsString(),
                    key.keyStateAsString(), Boolean.TRUE.equals(key.enabled()), key.keyManagerAsString());
        });
    }

    @Override
    public KmsResult<CreatedGrant> createGrant(OnBehalfOf caller, GrantRequest request) {
        return call(() -> {
            var response = client(caller).createGrant(r -> r.keyId(request.keyId())
                    .granteePrincipal(request.granteePrincipal())
                    .retiringPrincipal(request.retiringPrincipal())
                    .operationsWithStrings(request.operations())
                    .constraints(request.encryptionContextSubset() == null ? null
                            : GrantConstraints.builder().encryptionContextSubset(request.encryptionContextSubset()).build())
                    .name(request.name()));
            return new CreatedGrant(response.grantId(), response.grantToken());
        });
    }

    @Override
    public KmsResult<Void> retireGrant(OnBehalfOf caller, String keyId, String grantId) {
        return call(() -> {
            client(caller).retireGrant(r -> r.keyId(keyId).grantId(grantId));
            return null;
        });
    }

    @Override
    public KmsResult<Void> revokeGrant(OnBehalfOf caller, String keyId, String grantId) {
        return call(() -> {
            client(caller).revokeGrant(r -> r.keyId(keyId).grantId(grantId));
            return null;
        });
    }

    @Override
    public KmsResult<List<GrantEntry>> listGrants(OnBehalfOf caller, String keyId) {
        return call(() -> client(caller).listGrantsPaginator(r -> r.keyId(keyId)).grants().stream()
                .map(g -> new GrantEntry(g.grantId(), g.keyId(), g.name(), g.granteePrincipal(), g.retiringPrincipal(),
                        g.operationsAsStrings()))
                .toList());
    }

    @Override
    public KmsResult<DataKey> generateDataKey(OnBehalfOf caller, String keyId, Map<String, String> encryptionContext) {
        return call(() -> {
            var response = client(caller).generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256)
                    .encryptionContext(encryptionContext));
            return new DataKey(response.keyId(), response.plaintext().asByteArray(), response.ciphertextBlob().asByteArray());
        });
    }

    /**
     * An external KMS is called with the service's own credentials, which cannot be an AWS service principal: the data
     * key is asked for under the grant's encryption context as before, and whether that KMS serves it is for its key
     * policy and IAM to say. A grant revoked there stops puts only if those credentials had the key through the grant.
     */
    @Override
    public KmsResult<DataKey> generateDataKeyAsGrantee(Grantee grantee, String keyId, Map<String, String> encryptionContext) {
        return generateDataKey(new OnBehalfOf(grantee.accountId(), grantee.region(), null), keyId, encryptionContext);
    }

    @Override
    public KmsResult<byte[]> decrypt(OnBehalfOf caller, byte[] ciphertextBlob, Map<String, String> encryptionContext) {
        return call(() -> client(caller).decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(ciphertextBlob))
                .encryptionContext(encryptionContext)).plaintext().asByteArray());
    }

    private KmsClient client(OnBehalfOf caller) {
        return clients.computeIfAbsent(caller.region(), region -> KmsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClient(http)
                .overrideConfiguration(o -> o
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT)
                        .retryStrategy(StandardRetryStrategy.builder()
                                .useClientDefaults(false)
                                .maxAttempts(MAX_ATTEMPTS)
                                .retryOnException(SdkKmsKeys::askedToRetry)
                                .treatAsThrottling(SdkKmsKeys::throttled)
                                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(50), Duration.ofMillis(500)))
                                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100),
                                        Duration.ofSeconds(1)))
                                .circuitBreakerEnabled(false)
                                .build()))
                .build());
    }

    /** KMS answered, and asked to be called again: throttled, or failing on its side. */
    private static boolean askedToRetry(Throwable failure) {
        return failure instanceof AwsServiceException answered && (answered.isThrottlingException() || answered.statusCode() >= 500);
    }

    private static boolean throttled(Throwable failure) {
        return failure instanceof AwsServiceException answered && answered.isThrottlingException();
    }

    private static <T> KmsResult<T> call(Supplier<T> work) {
        try {
            return KmsResult.ok(work.get());
        } catch (KmsException refused) {
            String name = refused.awsErrorDetails() == null ? "KMSInternalException" : refused.awsErrorDetails().errorCode();
            String message = refused.awsErrorDetails() == null ? refused.getMessage() : refused.awsErrorDetails().errorMessage();
            return KmsResult.failed(name, message);
        } catch (SdkClientException unreachable) {
            return KmsResult.failed(KmsResult.KmsError.UNREACHABLE, unreachable.getMessage());
        }
    }

    @Override
    public void close() {
        clients.values().forEach(KmsClient::close);
        http.close();
    }
}
