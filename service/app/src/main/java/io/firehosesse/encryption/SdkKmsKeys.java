package io.firehosesse.encryption;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GrantConstraints;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * The port on any KMS-compatible endpoint (AWS KMS, LocalStack, this service's own embedded KMS) through
 * the AWS SDK v2. One client per region, sharing one HTTP client; errors come back by KMS's name.
 */
public class SdkKmsKeys implements KmsKeys, AutoCloseable {

    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final Map<String, KmsClient> clients = new ConcurrentHashMap<>();

    public SdkKmsKeys(URI endpoint, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
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
                .build());
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
