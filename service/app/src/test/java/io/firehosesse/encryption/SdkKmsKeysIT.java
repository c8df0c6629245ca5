package io.firehosesse.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The external-KMS adapter, pointed at this service's own KMS endpoint over HTTP. */
class SdkKmsKeysIT extends KmsKeysContract {

    SdkKmsKeys sdk;

    @BeforeEach
    void connectAdapter() {
        sdk = new SdkKmsKeys(URI.create("http://localhost:" + port),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "secret")));
    }

    @AfterEach
    void closeAdapter() {
        sdk.close();
    }

    @Override
    KmsKeys adapter() {
        return sdk;
    }

    @Test
    void anUnreachableKmsIsReportedAsSuchNotThrown() {
        try (SdkKmsKeys nowhere = new SdkKmsKeys(URI.create("http://127.0.0.1:1"),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "secret")))) {
            KmsResult<KmsKeys.KeyDescription> result = nowhere.describeKey(CALLER, "alias/anything");

            assertThat(result.error().name()).isEqualTo(KmsResult.KmsError.UNREACHABLE);
        }
    }

    /**
     * An external KMS is called with the service's own credentials, which cannot be the firehose.amazonaws.com service
     * principal: the grantee's data key is asked for as the service, under the grant's context, as before.
     */
    @Test
    void aGranteesDataKeyIsAskedForWithTheServicesOwnCredentials() {
        var key = newKey("external grantee");

        KmsResult<KmsKeys.DataKey> dataKey = adapter().generateDataKeyAsGrantee(
                new KmsKeys.Grantee("123456789012", "us-east-1", FirehoseGrant.GRANTEE), key.arn(), CONTEXT);

        assertThat(dataKey.value().keyArn()).isEqualTo(key.arn());
        assertThat(adapter().decrypt(CALLER, dataKey.value().ciphertextBlob(), CONTEXT).value())
                .isEqualTo(dataKey.value().plaintext());
    }
}
