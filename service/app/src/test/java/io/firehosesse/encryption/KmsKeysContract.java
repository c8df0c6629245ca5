package io.firehosesse.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.encryption.KmsKeys.GrantEntry;
import io.firehosesse.encryption.KmsKeys.GrantRequest;
import io.firehosesse.encryption.KmsKeys.OnBehalfOf;
import io.firehosesse.support.AwsClientsIT;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * What every {@link KmsKeys} adapter must do, checked against the embedded KMS: keys made with the
 * SDK's {@code KmsClient}, then used through the adapter under test.
 */
abstract class KmsKeysContract extends AwsClientsIT {

    static final OnBehalfOf CALLER = new OnBehalfOf("123456789012", "us-east-1", null);
    static final String STREAM = "arn:aws:firehose:us-east-1:123456789012:deliverystream/contract";
    static final Map<String, String> CONTEXT = Map.of("aws:firehose:arn", STREAM);
    static final List<String> OPERATIONS = List.of("Encrypt", "Decrypt", "GenerateDataKey", "DescribeKey", "RetireGrant");

    abstract KmsKeys adapter();

    GrantRequest grantFor(String keyId, String name) {
        return new GrantRequest(keyId, "firehose.amazonaws.com", "firehose.amazonaws.com", OPERATIONS, CONTEXT, name);
    }

    @Test
    void describesAKeyBySpecUsageAndState() {
        KeyMetadata key = newKey("contract describe");

        KmsKeys.KeyDescription described = adapter().describeKey(CALLER, key.arn()).value();

        assertThat(described.keyArn()).isEqualTo(key.arn());
        assertThat(described.keyId()).isEqualTo(key.keyId());
        assertThat(described.keySpec()).isEqualTo("SYMMETRIC_DEFAULT");
        assertThat(described.keyUsage()).isEqualTo("ENCRYPT_DECRYPT");
        assertThat(described.keyState()).isEqualTo("Enabled");
        assertThat(described.enabled()).isTrue();
        assertThat(described.keyManager()).isEqualTo("CUSTOMER");
    }

    @Test
    void describesAnAsymmetricKeyAsSuch() {
        KeyMetadata key = kms.createKey(r -> r.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.ENCRYPT_DECRYPT)).keyMetadata();

        assertThat(adapter().describeKey(CALLER, key.keyId()).value().keySpec()).isEqualTo("RSA_2048");
    }

    @Test
    void aMissingKeyIsNotFoundByName() {
        KmsResult<KmsKeys.KeyDescription> result = adapter().describeKey(CALLER,
                "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000");

        assertThat(result.isOk()).isFalse();
        assertThat(result.error().name()).isEqualTo("NotFoundException");
        assertThat(result.error().message()).contains("does not exist");
    }

    @Test
    void aGrantIsCreatedOnceByNameListedAndRetired() {
        KeyMetadata key = newKey("contract grants");

        KmsKeys.CreatedGrant first = adapter().createGrant(CALLER, grantFor(key.arn(), "firehose-contract")).value();
        KmsKeys.CreatedGrant again = adapter().createGrant(CALLER, grantFor(key.arn(), "firehose-contract")).value();
        List<GrantEntry> listed = adapter().listGrants(CALLER, key.arn()).value();

        assertThat(again.grantId()).isEqualTo(first.grantId());
        assertThat(listed).singleElement().satisfies(grant -> {
            assertThat(grant.grantId()).isEqualTo(first.grantId());
            assertThat(grant.name()).isEqualTo("firehose-contract");
            assertThat(grant.granteePrincipal()).isEqualTo("firehose.amazonaws.com");
            assertThat(grant.operations()).containsExactlyInAnyOrderElementsOf(OPERATIONS);
        });
        assertThat(adapter().retireGrant(CALLER, key.arn(), first.grantId()).isOk()).isTrue();
        assertThat(adapter().listGrants(CALLER, key.arn()).value()).isEmpty();
    }

    @Test
    void aGrantCanBeRevoked() {
        KeyMetadata key = newKey("contract revoke");
        String grantId = adapter().createGrant(CALLER, grantFor(key.keyId(), "to-revoke")).value().grantId();

        assertThat(adapter().revokeGrant(CALLER, key.keyId(), grantId).isOk()).isTrue();
        assertThat(adapter().revokeGrant(CALLER, key.keyId(), grantId).error().name()).isEqualTo("NotFoundException");
    }

    @Test
    void aDisabledKeyRefusesGrantsWithDisabledException() {
        KeyMetadata key = newKey("contract disabled");
        kms.disableKey(r -> r.keyId(key.keyId()));

        KmsResult<KmsKeys.CreatedGrant> result = adapter().createGrant(CALLER, grantFor(key.arn(), "refused"));

        assertThat(result.error().name()).isEqualTo("DisabledException");
        assertThat(result.error().message()).isEqualTo(key.arn() + " is disabled.");
    }

    @Test
    void aKeyPendingDeletionRefusesGrantsWithInvalidState() {
        KeyMetadata key = newKey("contract doomed");
        kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));

        assertThat(adapter().createGrant(CALLER, grantFor(key.arn(), "refused")).error().name())
                .isEqualTo("KMSInvalidStateException");
    }

    @Test
    void aDataKeyOpensOnlyUnderItsEncryptionContext() {
        KeyMetadata key = newKey("contract data key");

        KmsKeys.DataKey dataKey = adapter().generateDataKey(CALLER, key.arn(), CONTEXT).value();
        byte[] opened = adapter().decrypt(CALLER, dataKey.ciphertextBlob(), CONTEXT).value();
        KmsResult<byte[]> wrongContext = adapter().decrypt(CALLER, dataKey.ciphertextBlob(), Map.of("aws:firehose:arn", "other"));

        assertThat(dataKey.keyArn()).isEqualTo(key.arn());
        assertThat(dataKey.plaintext()).hasSize(32);
        assertThat(opened).isEqualTo(dataKey.plaintext());
        assertThat(wrongContext.error().name()).isEqualTo("InvalidCiphertextException");
    }
}
