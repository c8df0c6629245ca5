package io.firehosesse.support;

import java.time.Duration;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionConfiguration;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GrantListEntry;

/** Steps the SSE integration tests repeat. */
public final class EncryptionFixtures {

    private EncryptionFixtures() {
    }

    public static DeliveryStreamEncryptionConfiguration encryption(FirehoseClient firehose, String name) {
        return Streams.describe(firehose, name).deliveryStreamEncryptionConfiguration();
    }

    public static DeliveryStreamEncryptionConfiguration awaitEncryption(FirehoseClient firehose, String name,
                                                                        DeliveryStreamEncryptionStatus status) {
        return Waits.background().pollInterval(Duration.ofMillis(50))
                .until(() -> encryption(firehose, name), e -> e.status() == status);
    }

    public static void startWithCustomerKey(FirehoseClient firehose, String name, String keyArn) {
        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name)
                .deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.CUSTOMER_MANAGED_CMK).keyARN(keyArn)));
    }

    public static java.util.List<GrantListEntry> grants(KmsClient kms, String keyId) {
        return kms.listGrants(r -> r.keyId(keyId)).grants();
    }
}
