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

    @Test
    void replicateKeyAndUpdatePrimaryRegionRefuseASingleRegionKey() {
        var key = newKey("single-Region");
        assertThat(key.multiRegion()).isFalse();
        assertThatThrownBy(() -> kms.replicateKey(r -> r.keyId(key.arn()).replicaRegion("eu-west-1")))
                .isInstanceOfSatisfying(UnsupportedOperationException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).isEqualTo(key.arn() + " is not a multi-Region key."));
        assertThatThrownBy(() -> kms.updatePrimaryRegion(r -> r.keyId(key.keyId()).primaryRegion("eu-west-1")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> kms.replicateKey(r -> r.keyId("11111111-2222-3333-4444-555555555555")
                .replicaRegion("eu-west-1")))
                .isInstanceOf(software.amazon.awssdk.services.kms.model.NotFoundException.class);
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
