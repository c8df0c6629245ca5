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
}
