package io.firehosesse.encryption;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.EncryptionFixtures.encryption;
import static io.firehosesse.support.EncryptionFixtures.grants;
import static io.firehosesse.support.EncryptionFixtures.startWithCustomerKey;
import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.describe;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.Waits;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionConfiguration;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamFailureType;
import software.amazon.awssdk.services.firehose.model.InvalidKmsResourceException;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/** Start/StopDeliveryStreamEncryption through the wire, against keys made in the embedded KMS. */
class StreamEncryptionIT extends AwsClientsIT {

    @Test
    void enablesWithTheAwsOwnedKeyWhenNoKeyIsGiven() {
        String name = uniqueName("owned");
        createActive(firehose, name);
        Instant before = describe(firehose, name).createTimestamp();

        firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        DeliveryStreamEncryptionConfiguration enabled = awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        DeliveryStreamDescription description = describe(firehose, name);

        assertThat(enabled.keyType()).isEqualTo(KeyType.AWS_OWNED_CMK);
        assertThat(enabled.keyARN()).isNull();
        assertThat(enabled.failureDescription()).isNull();
        assertThat(description.versionId()).isEqualTo("1");
        assertThat(description.lastUpdateTimestamp()).isAfterOrEqualTo(before);
    }

    @Test
    void enablesWithACustomerKeyAndHoldsAGrantForFirehoseOnIt() {
        String name = uniqueName("cmk");
        String streamArn = createActive(firehose, name);
        KeyMetadata key = newKey("stream key");

        startWithCustomerKey(firehose, name, key.arn());
        DeliveryStreamEncryptionConfiguration enabled = awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);

        assertThat(enabled.keyType()).isEqualTo(KeyType.CUSTOMER_MANAGED_CMK);
        assertThat(enabled.keyARN()).isEqualTo(key.arn());
        GrantListEntry grant = grants(kms, key.keyId()).get(0);
        assertThat(grants(kms, key.keyId())).hasSize(1);
        assertThat(grant.granteePrincipal()).isEqualTo("firehose.amazonaws.com");
        assertThat(grant.retiringPrincipal()).isEqualTo("firehose.amazonaws.com");
        assertThat(grant.name()).startsWith("firehose-");
        assertThat(grant.operationsAsStrings()).contains("Encrypt", "Decrypt", "GenerateDataKey", "ReEncryptFrom",
                "ReEncryptTo", "DescribeKey", "RetireGrant");
        assertThat(grant.constraints().encryptionContextSubset()).containsEntry("aws:firehose:arn", streamArn);
    }

    @Test
    void switchingKeysRetiresTheOldGrantAndShowsTheNewKeyAsGiven() {
        String name = uniqueName("switch");
        createActive(firehose, name);
        KeyMetadata first = newKey("first");
        KeyMetadata second = newKey("second");
        String aliasArn = "arn:aws:kms:us-east-1:123456789012:alias/switch-" + second.keyId();
        kms.createAlias(r -> r.aliasName("alias/switch-" + second.keyId()).targetKeyId(second.keyId()));
        startWithCustomerKey(firehose, name, first.arn());
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);

        startWithCustomerKey(firehose, name, aliasArn);
        DeliveryStreamEncryptionConfiguration enabled = awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);

        assertThat(enabled.keyARN()).isEqualTo(aliasArn);
        Waits.background().until(() -> grants(kms, first.keyId()).isEmpty());
        assertThat(grants(kms, second.keyId())).hasSize(1);
    }

    @Test
    void aFailedKeyChangeKeepsTheOldKeyInForceAndSaysWhy() {
        String name = uniqueName("failed-change");
        createActive(firehose, name);
        KeyMetadata good = newKey("good");
        KeyMetadata off = newKey("off");
        kms.disableKey(r -> r.keyId(off.keyId()));
        startWithCustomerKey(firehose, name, good.arn());
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);

        startWithCustomerKey(firehose, name, off.arn());
        DeliveryStreamEncryptionConfiguration failed = awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLING_FAILED);

        assertThat(failed.keyARN()).isEqualTo(good.arn());
        assertThat(failed.keyType()).isEqualTo(KeyType.CUSTOMER_MANAGED_CMK);
        assertThat(failed.failureDescription().type()).isEqualTo(DeliveryStreamFailureType.DISABLED_KMS_KEY);
        assertThat(failed.failureDescription().details()).isEqualTo(off.arn() + " is disabled.");
        assertThat(grants(kms, good.keyId())).hasSize(1);
        assertThat(grants(kms, off.keyId())).isEmpty();
    }

    @Test
    void unusableKeysFailAsynchronouslyWithTheMatchingTypeThenAGoodKeyRecovers() {
        KeyMetadata pending = newKey("pending");
        kms.scheduleKeyDeletion(r -> r.keyId(pending.keyId()).pendingWindowInDays(7));
        KeyMetadata asymmetric = kms.createKey(r -> r.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.ENCRYPT_DECRYPT)).keyMetadata();
        KeyMetadata denied = newKey("denies firehose");
        kms.putKeyPolicy(r -> r.keyId(denied.keyId()).policy("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},
                  {"Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:CreateGrant",
                  "Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"firehose.us-east-1.amazonaws.com"}}}]}"""));

        assertFailsWith(pending.arn(), DeliveryStreamFailureType.INVALID_KMS_KEY, pending.arn() + " is pending deletion.");
        assertFailsWith(asymmetric.arn(), DeliveryStreamFailureType.INVALID_KMS_KEY, "not a symmetric encryption key");
        assertFailsWith(denied.arn(), DeliveryStreamFailureType.KMS_ACCESS_DENIED, "AccessDeniedException");
    }

    private void assertFailsWith(String keyArn, DeliveryStreamFailureType type, String detailsPart) {
        String name = uniqueName("unusable");
        createActive(firehose, name);
        startWithCustomerKey(firehose, name, keyArn);
        DeliveryStreamEncryptionConfiguration failed = awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLING_FAILED);

        assertThat(failed.failureDescription().type()).isEqualTo(type);
        assertThat(failed.failureDescription().details()).contains(detailsPart);
        assertThat(failed.keyARN()).isEqualTo(keyArn);

        KeyMetadata good = newKey("recovery");
        startWithCustomerKey(firehose, name, good.arn());
        DeliveryStreamEncryptionConfiguration recovered = awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        assertThat(recovered.keyARN()).isEqualTo(good.arn());
        assertThat(recovered.failureDescription()).isNull();
    }

    @Test
    void aMissingOrUndescribableKeyIsRefusedAtOnce() {
        String name = uniqueName("missing-key");
        createActive(firehose, name);
        KeyMetadata hidden = newKey("hidden");
        kms.putKeyPolicy(r -> r.keyId(hidden.keyId()).policy("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},
                  {"Effect":"Deny","Principal":"*","Action":"kms:DescribeKey","Resource":"*"}]}"""));

        assertThatThrownBy(() -> startWithCustomerKey(firehose, name,
                "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"))
                .isInstanceOfSatisfying(InvalidKmsResourceException.class, e -> assertThat(e.code()).isEqualTo("NotFoundException"));
        assertThatThrownBy(() -> startWithCustomerKey(firehose, name, hidden.arn()))
                .isInstanceOfSatisfying(InvalidKmsResourceException.class, e -> assertThat(e.code()).isEqualTo("AccessDeniedException"));
        assertThat(encryption(firehose, name).status()).isEqualTo(DeliveryStreamEncryptionStatus.DISABLED);
    }

    @Test
    void stopRetiresTheGrantAndLeavesOnlyTheStatus() {
        String name = uniqueName("stop");
        KeyMetadata key = activeStreamEncryptedWithNewKey(name, "stopped");

        firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
        DeliveryStreamEncryptionConfiguration disabled = awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.DISABLED);

        assertThat(disabled.keyType()).isNull();
        assertThat(disabled.keyARN()).isNull();
        assertThat(grants(kms, key.keyId())).isEmpty();
    }

    @Test
    void stopOnAStreamThatWasNeverEncryptedIsAcceptedAndChangesNothing() {
        String name = uniqueName("never");
        createActive(firehose, name);

        firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(name));

        assertThat(encryption(firehose, name).status()).isEqualTo(DeliveryStreamEncryptionStatus.DISABLED);
    }
}
