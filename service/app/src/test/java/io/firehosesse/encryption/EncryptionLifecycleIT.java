package io.firehosesse.encryption;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.EncryptionFixtures.grants;
import static io.firehosesse.support.Streams.awaitGone;
import static io.firehosesse.support.Streams.awaitStatus;
import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.s3;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.api.deliverystream.KeyType;
import io.firehosesse.api.deliverystream.StartDeliveryStreamEncryption;
import io.firehosesse.api.deliverystream.StreamKey;
import io.firehosesse.deliverystream.StreamNameRegistry;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionConfiguration;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamFailureType;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** SSE across the stream's lifecycle: asked for at creation, held through deletion, and the six-hour rule. */
class EncryptionLifecycleIT extends AwsClientsIT {

    @Autowired
    MutableClock clock;

    @Autowired
    CommandGateway commands;

    @Autowired
    StreamNameRegistry names;

    @Test
    void aStreamCreatedWithACustomerKeyBecomesActiveWithEncryptionEnabled() {
        String name = uniqueName("born-encrypted");
        KeyMetadata key = newKey("at creation");

        firehose.createDeliveryStream(r -> r.deliveryStreamName(name).extendedS3DestinationConfiguration(s3("b"))
                .deliveryStreamEncryptionConfigurationInput(e -> e.keyType("CUSTOMER_MANAGED_CMK").keyARN(key.arn())));
        DeliveryStreamDescription active = awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);

        assertThat(active.deliveryStreamEncryptionConfiguration().status()).isEqualTo(DeliveryStreamEncryptionStatus.ENABLED);
        assertThat(active.deliveryStreamEncryptionConfiguration().keyARN()).isEqualTo(key.arn());
        assertThat(grants(kms, key.keyId())).hasSize(1);
    }

    @Test
    void aStreamCreatedWithAnUnusableKeyEndsCreatingFailedAndCanBeDeleted() {
        String name = uniqueName("born-broken");
        KeyMetadata key = newKey("disabled at creation");
        kms.disableKey(r -> r.keyId(key.keyId()));

        firehose.createDeliveryStream(r -> r.deliveryStreamName(name).extendedS3DestinationConfiguration(s3("b"))
                .deliveryStreamEncryptionConfigurationInput(e -> e.keyType("CUSTOMER_MANAGED_CMK").keyARN(key.arn())));
        DeliveryStreamDescription failed = awaitStatus(firehose, name, DeliveryStreamStatus.CREATING_FAILED);

        assertThat(failed.failureDescription().type()).isEqualTo(DeliveryStreamFailureType.DISABLED_KMS_KEY);
        assertThat(failed.deliveryStreamEncryptionConfiguration().status()).isEqualTo(DeliveryStreamEncryptionStatus.ENABLING_FAILED);
        firehose.deleteDeliveryStream(r -> r.deliveryStreamName(name));
        awaitGone(firehose, name);
    }

    @Test
    void deletingAStreamRetiresItsGrant() {
        String name = uniqueName("deleted-with-grant");
        KeyMetadata key = activeStreamEncryptedWithNewKey(name, "deleted stream's key");

        firehose.deleteDeliveryStream(r -> r.deliveryStreamName(name));
        awaitGone(firehose, name);

        assertThat(grants(kms, key.keyId())).isEmpty();
    }

    @Test
    void aGrantThatCannotBeRetiredStopsDeletionUnlessForced() {
        String name = uniqueName("stuck");
        KeyMetadata key = activeStreamEncryptedWithNewKey(name, "will be deleted");
        kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));
        clock.advance(Duration.ofDays(8));
        try {
            firehose.deleteDeliveryStream(r -> r.deliveryStreamName(name));
            DeliveryStreamDescription failed = awaitStatus(firehose, name, DeliveryStreamStatus.DELETING_FAILED);
            assertThat(failed.failureDescription().type()).isEqualTo(DeliveryStreamFailureType.RETIRE_KMS_GRANT_FAILED);

            firehose.deleteDeliveryStream(r -> r.deliveryStreamName(name).allowForceDelete(true));
            awaitGone(firehose, name);
        } finally {
            clock.advance(Duration.ofDays(-8));
        }
    }

    @Test
    void sessionCredentialsOlderThanSixHoursCannotCreateTheGrant() {
        String name = uniqueName("stale-session");
        createActive(firehose, name);
        KeyMetadata key = newKey("stale session");
        String streamId = names.streamIdOf(new StreamKey("123456789012", "us-east-1", name)).orElseThrow();

        commands.sendAndWait(new StartDeliveryStreamEncryption(streamId, KeyType.CUSTOMER_MANAGED_CMK, key.arn(), null,
                Instant.now().minus(Duration.ofHours(6)).minusSeconds(60), "stale-" + name));
        DeliveryStreamEncryptionConfiguration failed = awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLING_FAILED);

        assertThat(failed.failureDescription().type()).isEqualTo(DeliveryStreamFailureType.CREATE_KMS_GRANT_FAILED);
        assertThat(grants(kms, key.keyId())).isEmpty();
    }
}
