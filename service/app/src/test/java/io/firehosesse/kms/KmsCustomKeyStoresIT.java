package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.CustomKeyStoreType;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

/** The custom key store family: every operation, and CreateKey into a store, is AWS's UnsupportedOperationException. */
class KmsCustomKeyStoresIT extends AwsClientsIT {

    private static final String STORE = "cks-1234567890abcdef0";

    @Test
    void everyCustomKeyStoreOperationIsUnsupported() {
        assertUnsupported(() -> kms.createCustomKeyStore(r -> r.customKeyStoreName("hsm")
                .customKeyStoreType(CustomKeyStoreType.AWS_CLOUDHSM).cloudHsmClusterId("cluster-abcdefghijk")
                .trustAnchorCertificate("-----BEGIN CERTIFICATE-----").keyStorePassword("password")));
        assertUnsupported(() -> kms.createCustomKeyStore(r -> r.customKeyStoreName("xks")
                .customKeyStoreType(CustomKeyStoreType.EXTERNAL_KEY_STORE)));
        assertUnsupported(() -> kms.connectCustomKeyStore(r -> r.customKeyStoreId(STORE)));
        assertUnsupported(() -> kms.disconnectCustomKeyStore(r -> r.customKeyStoreId(STORE)));
        assertUnsupported(() -> kms.deleteCustomKeyStore(r -> r.customKeyStoreId(STORE)));
        assertUnsupported(() -> kms.updateCustomKeyStore(r -> r.customKeyStoreId(STORE).newCustomKeyStoreName("renamed")));
        assertUnsupported(() -> kms.describeCustomKeyStores(r -> { }));
        assertUnsupported(() -> kms.describeCustomKeyStores(r -> r.customKeyStoreName("hsm")));
    }

    @Test
    void aKeyCannotBeCreatedInACustomKeyStore() {
        assertUnsupported(() -> kms.createKey(r -> r.customKeyStoreId(STORE)));
        assertUnsupported(() -> kms.createKey(r -> r.origin(OriginType.AWS_CLOUDHSM)));
        assertUnsupported(() -> kms.createKey(r -> r.origin(OriginType.EXTERNAL_KEY_STORE).xksKeyId("key-in-my-hsm")));
        assertThat(kms.createKey(r -> r.origin(OriginType.AWS_KMS)).keyMetadata().originAsString()).isEqualTo("AWS_KMS");
    }

    private static void assertUnsupported(Runnable call) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(UnsupportedOperationException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnsupportedOperationException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("Custom key stores are not supported");
                });
    }
}
