package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.EncryptionFixtures;
import io.firehosesse.support.Streams;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MultiRegionKey;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ReplicateKeyResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

/**
 * Multi-Region keys through the wire: one mrk- key id in several Regions of the account, each Region's key its own
 * resource, all sharing the key material, so what one Region encrypts another decrypts. The SDK's Region is the call's.
 */
class KmsMultiRegionKeysIT extends AwsClientsIT {

    private static final String ACCOUNT = "123456789012";

    /** {@link #kms} is us-east-1, where these tests make their primary keys. */
    private KmsClient euWest2;

    private KmsClient apNortheast1;

    @BeforeEach
    void otherRegions() {
        euWest2 = kmsIn(Region.EU_WEST_2);
        apNortheast1 = kmsIn(Region.AP_NORTHEAST_1);
    }

    @AfterEach
    void closeOtherRegions() {
        euWest2.close();
        apNortheast1.close();
    }

    @Test
    void aMultiRegionKeyHasAnMrkIdAndDescribesItselfAsPrimary() {
        KeyMetadata key = kms.createKey(r -> r.multiRegion(true).description("mrk")).keyMetadata();

        assertThat(key.keyId()).matches("mrk-[0-9a-f]{32}");
        assertThat(key.arn()).isEqualTo("arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + key.keyId());
        assertThat(key.multiRegion()).isTrue();
        assertThat(key.multiRegionConfiguration().multiRegionKeyType()).isEqualTo(MultiRegionKeyType.PRIMARY);
        assertThat(key.multiRegionConfiguration().primaryKey())
                .isEqualTo(MultiRegionKey.builder().arn(key.arn()).region("us-east-1").build());
        assertThat(key.multiRegionConfiguration().replicaKeys()).isEmpty();
        assertThat(kms.listKeys(r -> r.limit(1000)).keys()).anySatisfy(k -> assertThat(k.keyId()).isEqualTo(key.keyId()));
        // A single-Region key stays as it was.
        KeyMetadata single = newKey("single");
        assertThat(single.multiRegion()).isFalse();
        assertThat(single.multiRegionConfiguration()).isNull();
    }

    @Test
    void replicateKeyMakesAReplicaWithTheSameIdAndItsOwnPolicyDescriptionAndTags() {
        KeyMetadata primary = kms.createKey(r -> r.multiRegion(true).description("primary")).keyMetadata();

        ReplicateKeyResponse replicated = kms.replicateKey(r -> r.keyId(primary.arn()).replicaRegion("eu-west-2")
                .description("replica in London").tags(t -> t.tagKey("site").tagValue("london")));

        KeyMetadata replica = replicated.replicaKeyMetadata();
        String replicaArn = "arn:aws:kms:eu-west-2:" + ACCOUNT + ":key/" + primary.keyId();
        assertThat(replica.keyId()).isEqualTo(primary.keyId());
        assertThat(replica.arn()).isEqualTo(replicaArn);
        assertThat(replica.description()).isEqualTo("replica in London");
        assertThat(replica.keyStateAsString()).isEqualTo("Enabled");
        assertThat(replica.multiRegionConfiguration().multiRegionKeyType()).isEqualTo(MultiRegionKeyType.REPLICA);
        assertThat(replica.multiRegionConfiguration().primaryKey().arn()).isEqualTo(primary.arn());
        assertThat(replica.multiRegionConfiguration().replicaKeys()).extracting(MultiRegionKey::region)
                .containsExactly("eu-west-2");
        assertThat(replicated.replicaPolicy()).contains("arn:aws:iam::" + ACCOUNT + ":root");
        assertThat(replicated.replicaTags()).singleElement().satisfies(t -> assertThat(t.tagKey()).isEqualTo("site"));

        // Each Region's key is its own resource, found in its own Region.
        KeyMetadata described = euWest2.describeKey(r -> r.keyId(primary.keyId())).keyMetadata();
        assertThat(described.arn()).isEqualTo(replicaArn);
        assertThat(euWest2.listResourceTags(r -> r.keyId(primary.keyId())).tags()).hasSize(1);
        assertThat(kms.listResourceTags(r -> r.keyId(primary.keyId())).tags()).isEmpty();
        assertThat(kms.describeKey(r -> r.keyId(primary.keyId())).keyMetadata().description()).isEqualTo("primary");
        assertThat(kms.describeKey(r -> r.keyId(primary.keyId())).keyMetadata().multiRegionConfiguration().replicaKeys())
                .containsExactly(MultiRegionKey.builder().arn(replicaArn).region("eu-west-2").build());
        assertThatThrownBy(() -> apNortheast1.describeKey(r -> r.keyId(primary.keyId())))
                .isInstanceOf(NotFoundException.class);
        // A replica's state and aliases are its own.
        euWest2.createAlias(r -> r.aliasName("alias/mrk-" + primary.keyId().substring(4, 12)).targetKeyId(primary.keyId()));
        euWest2.disableKey(r -> r.keyId(primary.keyId()));
        assertThat(kms.describeKey(r -> r.keyId(primary.keyId())).keyMetadata().keyStateAsString()).isEqualTo("Enabled");
        assertThat(euWest2.listAliases(r -> r.keyId(primary.keyId())).aliases()).singleElement()
                .satisfies(a -> assertThat(a.targetKeyId()).isEqualTo(primary.keyId()));
        assertThat(kms.listAliases(r -> r.keyId(primary.keyId())).aliases()).isEmpty();
    }

    @Test
    void whatOneRegionEncryptsAnotherDecryptsAndRotationOnThePrimaryReachesTheReplicas() {
        KeyMetadata primary = kms.createKey(r -> r.multiRegion(true)).keyMetadata();
        kms.replicateKey(r -> r.keyId(primary.keyId()).replicaRegion("eu-west-2"));
        Map<String, String> context = Map.of("purpose", "multi-region");

        SdkBytes fromPrimary = kms.encrypt(r -> r.keyId(primary.keyId()).plaintext(utf8("sealed in Virginia"))
                .encryptionContext(context)).ciphertextBlob();
        var opened = euWest2.decrypt(r -> r.ciphertextBlob(fromPrimary).encryptionContext(context));
        assertThat(opened.plaintext().asUtf8String()).isEqualTo("sealed in Virginia");
        assertThat(opened.keyId()).isEqualTo("arn:aws:kms:eu-west-2:" + ACCOUNT + ":key/" + primary.keyId());

        SdkBytes fromReplica = euWest2.encrypt(r -> r.keyId(primary.keyId()).plaintext(utf8("sealed in London")))
                .ciphertextBlob();
        assertThat(kms.decrypt(r -> r.ciphertextBlob(fromReplica)).plaintext().asUtf8String()).isEqualTo("sealed in London");
        // A Region without the key cannot open it.
        assertThatThrownBy(() -> apNortheast1.decrypt(r -> r.ciphertextBlob(fromReplica)))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidCiphertextException"));

        // Rotation is managed on the primary and gives every Region the new material.
        kms.rotateKeyOnDemand(r -> r.keyId(primary.keyId()));
        SdkBytes rotated = kms.encrypt(r -> r.keyId(primary.keyId()).plaintext(utf8("after rotation"))).ciphertextBlob();
        assertThat(euWest2.decrypt(r -> r.ciphertextBlob(rotated)).plaintext().asUtf8String()).isEqualTo("after rotation");
        assertThat(euWest2.listKeyRotations(r -> r.keyId(primary.keyId())).rotations()).hasSize(1);
        assertThat(kms.decrypt(r -> r.ciphertextBlob(fromPrimary).encryptionContext(context)).plaintext().asUtf8String())
                .isEqualTo("sealed in Virginia");
        assertThatThrownBy(() -> euWest2.rotateKeyOnDemand(r -> r.keyId(primary.keyId())))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> euWest2.enableKeyRotation(r -> r.keyId(primary.keyId())))
                .isInstanceOf(UnsupportedOperationException.class);
        kms.enableKeyRotation(r -> r.keyId(primary.keyId()).rotationPeriodInDays(90));
        assertThat(euWest2.getKeyRotationStatus(r -> r.keyId(primary.keyId())).rotationPeriodInDays()).isEqualTo(90);

        // A replica made after the rotation has every material too.
        kms.replicateKey(r -> r.keyId(primary.keyId()).replicaRegion("ap-northeast-1"));
        assertThat(apNortheast1.decrypt(r -> r.ciphertextBlob(rotated)).plaintext().asUtf8String())
                .isEqualTo("after rotation");
        assertThat(apNortheast1.decrypt(r -> r.ciphertextBlob(fromReplica)).plaintext().asUtf8String())
                .isEqualTo("sealed in London");
    }

    @Test
    void aReplicatedSigningKeyVerifiesInAnotherRegion() {
        KeyMetadata primary = kms.createKey(r -> r.multiRegion(true).keySpec(KeySpec.ECC_NIST_P256)
                .keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata();
        kms.replicateKey(r -> r.keyId(primary.keyId()).replicaRegion("eu-west-2"));
        SdkBytes message = utf8("release");
        SdkBytes signature = kms.sign(r -> r.keyId(primary.keyId()).message(message)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)).signature();

        assertThat(euWest2.verify(r -> r.keyId(primary.keyId()).message(message).signature(signature)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)).signatureValid()).isTrue();
        assertThat(euWest2.getPublicKey(r -> r.keyId(primary.keyId())).publicKey())
                .isEqualTo(kms.getPublicKey(r -> r.keyId(primary.keyId())).publicKey());
    }

    @Test
    void replicateKeyRefusesATakenRegionTheSameRegionAReplicaAndADisabledPrimary() {
        KeyMetadata primary = kms.createKey(r -> r.multiRegion(true)).keyMetadata();
        kms.replicateKey(r -> r.keyId(primary.keyId()).replicaRegion("eu-west-2"));

        assertThatThrownBy(() -> kms.replicateKey(r -> r.keyId(primary.keyId()).replicaRegion("eu-west-2")))
                .isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> kms.replicateKey(r -> r.keyId(primary.keyId()).replicaRegion("us-east-1")))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> kms.replicateKey(r -> r.keyId(primary.keyId()).replicaRegion("cn-north-1")))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> euWest2.replicateKey(r -> r.keyId(primary.keyId()).replicaRegion("ap-northeast-1")))
                .isInstanceOfSatisfying(UnsupportedOperationException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).contains("is a multi-Region replica key"));
        kms.disableKey(r -> r.keyId(primary.keyId()));
        assertThatThrownBy(() -> kms.replicateKey(r -> r.keyId(primary.keyId()).replicaRegion("ap-northeast-1")))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DisabledException"));
    }

    @Test
    void updatePrimaryRegionSwapsThePrimaryAndAReplica() {
        KeyMetadata key = kms.createKey(r -> r.multiRegion(true)).keyMetadata();
        kms.replicateKey(r -> r.keyId(key.keyId()).replicaRegion("eu-west-2"));
        kms.enableKeyRotation(r -> r.keyId(key.keyId()));
        assertThatThrownBy(() -> kms.updatePrimaryRegion(r -> r.keyId(key.keyId()).primaryRegion("ap-northeast-1")))
                .isInstanceOf(NotFoundException.class);

        kms.updatePrimaryRegion(r -> r.keyId(key.arn()).primaryRegion("eu-west-2"));

        KeyMetadata london = euWest2.describeKey(r -> r.keyId(key.keyId())).keyMetadata();
        assertThat(london.multiRegionConfiguration().multiRegionKeyType()).isEqualTo(MultiRegionKeyType.PRIMARY);
        assertThat(london.multiRegionConfiguration().primaryKey().region()).isEqualTo("eu-west-2");
        assertThat(london.multiRegionConfiguration().replicaKeys()).extracting(MultiRegionKey::region)
                .containsExactly("us-east-1");
        KeyMetadata virginia = kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata();
        assertThat(virginia.multiRegionConfiguration().multiRegionKeyType()).isEqualTo(MultiRegionKeyType.REPLICA);
        // The rotation schedule moved with the role; replicating is now the new primary's.
        assertThat(euWest2.getKeyRotationStatus(r -> r.keyId(key.keyId())).keyRotationEnabled()).isTrue();
        assertThat(kms.getKeyRotationStatus(r -> r.keyId(key.keyId())).keyRotationEnabled()).isTrue();
        assertThatThrownBy(() -> kms.replicateKey(r -> r.keyId(key.keyId()).replicaRegion("ap-northeast-1")))
                .isInstanceOf(UnsupportedOperationException.class);
        euWest2.replicateKey(r -> r.keyId(key.keyId()).replicaRegion("ap-northeast-1"));
        assertThatThrownBy(() -> euWest2.updatePrimaryRegion(r -> r.keyId(key.keyId()).primaryRegion("eu-west-2")))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void aPrimaryWithReplicasIsNotDeletedButAReplicaIs() {
        KeyMetadata key = kms.createKey(r -> r.multiRegion(true)).keyMetadata();
        kms.replicateKey(r -> r.keyId(key.keyId()).replicaRegion("eu-west-2"));

        assertThatThrownBy(() -> kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7)))
                .isInstanceOfSatisfying(UnsupportedOperationException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).contains("has replica keys"));
        assertThat(euWest2.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7)).keyStateAsString())
                .isEqualTo("PendingDeletion");
        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyStateAsString()).isEqualTo("Enabled");
        // A single-Region key with MultiRegion false is unaffected, and an imported multi-Region key is refused.
        assertThatThrownBy(() -> kms.createKey(r -> r.multiRegion(true).origin("EXTERNAL")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aStreamEncryptedUnderAMultiRegionKeyIsEnabled() {
        KeyMetadata key = kms.createKey(r -> r.multiRegion(true).description("stream mrk")).keyMetadata();
        String name = Streams.uniqueName("mrk");
        Streams.createActive(firehose, name);

        EncryptionFixtures.startWithCustomerKey(firehose, name, key.arn());

        assertThat(EncryptionFixtures.awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED).keyARN())
                .isEqualTo(key.arn());
        firehose.putRecord(r -> r.deliveryStreamName(name).record(rec -> rec.data(utf8("sealed under an mrk key"))));
    }

    private KmsClient kmsIn(Region region) {
        return KmsClient.builder().endpointOverride(URI.create("http://localhost:" + port)).region(region)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
    }

    private static SdkBytes utf8(String text) {
        return SdkBytes.fromString(text, StandardCharsets.UTF_8);
    }
}
