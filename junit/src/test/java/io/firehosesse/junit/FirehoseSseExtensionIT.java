package io.firehosesse.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * The example of this module's README, run as it is written: a service in this JVM with its own embedded PostgreSQL,
 * SDK clients handed to the test, SSE with a customer managed key, and the reset. The project's own application.yml
 * in src/test/resources (pointing at a database that does not exist) proves a test project's configuration does not
 * leak into the service.
 */
@FirehoseSse(reset = FirehoseSse.Reset.BEFORE_CLASS)
class FirehoseSseExtensionIT {

    /** Under two busy cores a stream's CREATING time and the encryption process take far longer than on a laptop. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void encryptsAStreamWithACustomerManagedKeyAndResetsToEmpty(FirehoseClient firehose, KmsClient kms,
                                                                 FirehoseSseService service) {
        String keyArn = kms.createKey(r -> r.description("orders")).keyMetadata().arn();
        firehose.createDeliveryStream(r -> r.deliveryStreamName("orders")
                .extendedS3DestinationConfiguration(d -> d.roleARN("arn:aws:iam::123456789012:role/firehose")
                        .bucketARN("arn:aws:s3:::orders"))
                .deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.CUSTOMER_MANAGED_CMK).keyARN(keyArn)));
        Awaitility.await().atMost(PATIENCE).until(() -> firehose.describeDeliveryStream(r -> r.deliveryStreamName("orders"))
                .deliveryStreamDescription(), d -> d.deliveryStreamStatus() == DeliveryStreamStatus.ACTIVE
                && d.deliveryStreamEncryptionConfiguration().status() == DeliveryStreamEncryptionStatus.ENABLED);
        firehose.putRecord(r -> r.deliveryStreamName("orders").record(b -> b.data(SdkBytes.fromUtf8String("{\"id\":1}"))));

        assertThat(firehose.describeDeliveryStream(r -> r.deliveryStreamName("orders")).deliveryStreamDescription()
                .deliveryStreamARN()).isEqualTo("arn:aws:firehose:us-east-1:123456789012:deliverystream/orders");
        assertThat(service.endpoint().toString()).startsWith("http://localhost:");

        service.reset();

        assertThat(firehose.listDeliveryStreams(r -> { }).deliveryStreamNames()).isEmpty();
        assertThatThrownBy(() -> firehose.describeDeliveryStream(r -> r.deliveryStreamName("orders")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId(keyArn))).isInstanceOf(NotFoundException.class);
    }

    @Nested
    class InANestedClass {

        @Test
        void theSameServiceIsHandedOn(FirehoseSseService nested, KmsClient kms) {
            assertThat(nested.kms()).isSameAs(kms);
            assertThat(kms.listKeys(r -> { }).sdkHttpResponse().isSuccessful()).isTrue();
        }
    }
}
