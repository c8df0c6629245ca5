package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.RotationType;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.LimitExceededException;
import software.amazon.awssdk.services.kms.model.ListResourceTagsResponse;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.kms.model.TagException;

class KmsTagsAndRotationIT extends AwsClientsIT {

    private static Tag tag(String key, String value) {
        return Tag.builder().tagKey(key).tagValue(value).build();
    }

    // ---- tags, descriptions, policies, aliases

    @Test
    void tagsGivenAtCreationAreListedAndTagResourceAddsReplacesAndUntagRemoves() {
        KeyMetadata key = kms.createKey(r -> r.description("tagged").tags(tag("team", "orders"), tag("env", "dev")))
                .keyMetadata();

        kms.tagResource(r -> r.keyId(key.arn()).tags(tag("env", "prod"), tag("cost-centre", "")));
        kms.untagResource(r -> r.keyId(key.keyId()).tagKeys("team", "absent"));

        assertThat(kms.listResourceTags(r -> r.keyId(key.keyId())).tags())
                .containsExactly(tag("cost-centre", ""), tag("env", "prod"));
    }

    @Test
    void tagsArePagedInTagKeyOrder() {
        KeyMetadata key = newKey("paged tags");
        kms.tagResource(r -> r.keyId(key.keyId()).tags(tag("c", "3"), tag("a", "1"), tag("b", "2")));

        ListResourceTagsResponse first = kms.listResourceTags(r -> r.keyId(key.keyId()).limit(2));
        ListResourceTagsResponse second = kms.listResourceTags(r -> r.keyId(key.keyId()).marker(first.nextMarker()));

        assertThat(first.tags()).containsExactly(tag("a", "1"), tag("b", "2"));
        assertThat(first.truncated()).isTrue();
        assertThat(second.tags()).containsExactly(tag("c", "3"));
        assertThat(second.truncated()).isFalse();
    }

    @Test
    void aKeyTakesFiftyTagsAndNoMoreAndTheAwsPrefixIsReserved() {
        KeyMetadata key = newKey("tag limits");
        List<Tag> fifty = IntStream.range(0, 50).mapToObj(i -> tag("k" + i, "v")).toList();
        kms.tagResource(r -> r.keyId(key.keyId()).tags(fifty));

        assertThatThrownBy(() -> kms.tagResource(r -> r.keyId(key.keyId()).tags(tag("one-more", "v"))))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> kms.tagResource(r -> r.keyId(key.keyId()).tags(tag("aws:owner", "me"))))
                .isInstanceOf(TagException.class).hasMessageContaining("aws:");
        assertThatThrownBy(() -> kms.createKey(r -> r.tags(tag("AWS:x", "y"))))
                .isInstanceOf(TagException.class);
        assertThatThrownBy(() -> kms.tagResource(r -> r.keyId(key.keyId()).tags(tag("", "v"))))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        kms.tagResource(r -> r.keyId(key.keyId()).tags(tag("k0", "replaced")));
        assertThat(kms.listResourceTags(r -> r.keyId(key.keyId())).tags()).hasSize(50).contains(tag("k0", "replaced"));
    }

    @Test
    void aKeyPendingDeletionCannotBeTaggedOrDescribedAnewButListsItsTags() {
        KeyMetadata key = kms.createKey(r -> r.tags(tag("keep", "me"))).keyMetadata();
        kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));

        assertThatThrownBy(() -> kms.tagResource(r -> r.keyId(key.keyId()).tags(tag("a", "b"))))
                .isInstanceOf(KmsInvalidStateException.class);
        assertThatThrownBy(() -> kms.untagResource(r -> r.keyId(key.keyId()).tagKeys("keep")))
                .isInstanceOf(KmsInvalidStateException.class);
        assertThatThrownBy(() -> kms.updateKeyDescription(r -> r.keyId(key.keyId()).description("late")))
                .isInstanceOf(KmsInvalidStateException.class);
        assertThat(kms.listResourceTags(r -> r.keyId(key.keyId())).tags()).containsExactly(tag("keep", "me"));
    }

    @Test
    void anExplicitDenyOnTagResourceRefusesTaggingOnly() {
        KeyMetadata key = newKey("no tagging");
        kms.putKeyPolicy(r -> r.keyId(key.keyId()).policy("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},
                  {"Effect":"Deny","Principal":"*","Action":"kms:TagResource","Resource":"*"}]}"""));

        assertThatThrownBy(() -> kms.tagResource(r -> r.keyId(key.keyId()).tags(tag("a", "b"))))
                .isInstanceOfSatisfying(KmsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("kms:TagResource");
                });
        kms.untagResource(r -> r.keyId(key.keyId()).tagKeys("a"));
    }

    @Test
    void updateKeyDescriptionIsSeenByDescribeKey() {
        KeyMetadata key = newKey("before");

        kms.updateKeyDescription(r -> r.keyId(key.arn()).description("after"));

        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().description()).isEqualTo("after");
    }

    @Test
    void aKeyHasOnePolicyNamedDefault() {
        KeyMetadata key = newKey("policies");

        var listed = kms.listKeyPolicies(r -> r.keyId(key.keyId()));

        assertThat(listed.policyNames()).containsExactly("default");
        assertThat(listed.truncated()).isFalse();
        assertThatThrownBy(() -> kms.listKeyPolicies(r -> r.keyId("00000000-0000-0000-0000-000000000000")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void updateAliasRetargetsToAKeyOfTheSameTypeAndUsageOnly() {
        KeyMetadata first = newKey("alias first");
        KeyMetadata second = newKey("alias second");
        KeyMetadata hmac = kms.createKey(r -> r.keySpec(KeySpec.HMAC_256).keyUsage(KeyUsageType.GENERATE_VERIFY_MAC))
                .keyMetadata();
        String alias = "alias/retarget-" + first.keyId().substring(0, 8);
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(first.keyId()));

        kms.updateAlias(r -> r.aliasName(alias).targetKeyId(second.arn()));

        assertThat(kms.describeKey(r -> r.keyId(alias)).keyMetadata().keyId()).isEqualTo(second.keyId());
        assertThatThrownBy(() -> kms.updateAlias(r -> r.aliasName(alias).targetKeyId(hmac.keyId())))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThat(kms.describeKey(r -> r.keyId(alias)).keyMetadata().keyId()).isEqualTo(second.keyId());
        assertThatThrownBy(() -> kms.updateAlias(r -> r.aliasName("alias/never-made-" + first.keyId())
                .targetKeyId(second.keyId()))).isInstanceOf(NotFoundException.class);
    }

    // ---- rotation

    @Autowired
    MutableClock clock;

    @Autowired
    EmbeddedKms embeddedKms;

    private static final Map<String, String> CONTEXT = Map.of("stream", "orders");

    private SdkBytes encrypt(KeyMetadata key, String text) {
        return kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromString(text, StandardCharsets.UTF_8))
                .encryptionContext(CONTEXT)).ciphertextBlob();
    }

    private String decrypt(SdkBytes blob) {
        return kms.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(CONTEXT)).plaintext()
                .asString(StandardCharsets.UTF_8);
    }

    @Test
    void rotationIsEnabledWithAPeriodReportedAndDisabled() {
        KeyMetadata key = newKey("rotation status");
        assertThat(kms.getKeyRotationStatus(r -> r.keyId(key.keyId())).keyRotationEnabled()).isFalse();
        Instant before = Instant.now();

        kms.enableKeyRotation(r -> r.keyId(key.keyId()).rotationPeriodInDays(180));

        GetKeyRotationStatusResponse status = kms.getKeyRotationStatus(r -> r.keyId(key.arn()));
        assertThat(status.keyRotationEnabled()).isTrue();
        assertThat(status.keyId()).isEqualTo(key.arn());
        assertThat(status.rotationPeriodInDays()).isEqualTo(180);
        assertThat(status.nextRotationDate()).isAfter(before.plus(Duration.ofDays(179)));
        assertThat(status.onDemandRotationStartDate()).isNull();

        kms.enableKeyRotation(r -> r.keyId(key.keyId()));
        assertThat(kms.getKeyRotationStatus(r -> r.keyId(key.keyId())).rotationPeriodInDays()).isEqualTo(365);
        kms.disableKeyRotation(r -> r.keyId(key.keyId()));
        GetKeyRotationStatusResponse off = kms.getKeyRotationStatus(r -> r.keyId(key.keyId()));
        assertThat(off.keyRotationEnabled()).isFalse();
        assertThat(off.rotationPeriodInDays()).isNull();
        assertThat(off.nextRotationDate()).isNull();
    }

    @Test
    void rotationOnDemandAddsMaterialThatSealsWhileOlderCiphertextStillDecrypts() {
        KeyMetadata key = newKey("rotated on demand");
        SdkBytes before = encrypt(key, "sealed before");
        var dataKey = kms.generateDataKey(r -> r.keyId(key.keyId()).numberOfBytes(32).encryptionContext(CONTEXT));

        assertThat(kms.rotateKeyOnDemand(r -> r.keyId(key.keyId())).keyId()).isEqualTo(key.arn());
        SdkBytes after = encrypt(key, "sealed after");
        kms.rotateKeyOnDemand(r -> r.keyId(key.keyId()));

        List<RotationsListEntry> rotations = kms.listKeyRotations(r -> r.keyId(key.keyId())).rotations();
        assertThat(rotations).hasSize(2).allSatisfy(rotation -> {
            assertThat(rotation.rotationType()).isEqualTo(RotationType.ON_DEMAND);
            assertThat(rotation.keyId()).isEqualTo(key.arn());
            assertThat(rotation.keyMaterialId()).matches("[0-9a-f]{64}");
            assertThat(rotation.rotationDate()).isNotNull();
        });
        assertThat(rotations.get(0).keyMaterialStateAsString()).isEqualTo("NON_CURRENT");
        assertThat(rotations.get(1).keyMaterialStateAsString()).isEqualTo("CURRENT");
        var firstPage = kms.listKeyRotations(r -> r.keyId(key.keyId()).limit(1));
        assertThat(firstPage.truncated()).isTrue();
        assertThat(kms.listKeyRotations(r -> r.keyId(key.keyId()).marker(firstPage.nextMarker())).rotations())
                .containsExactly(rotations.get(1));

        assertThat(decrypt(before)).isEqualTo("sealed before");
        assertThat(decrypt(after)).isEqualTo("sealed after");
        assertThat(decrypt(encrypt(key, "sealed last"))).isEqualTo("sealed last");
        assertThat(kms.decrypt(r -> r.ciphertextBlob(dataKey.ciphertextBlob()).encryptionContext(CONTEXT)).plaintext())
                .isEqualTo(dataKey.plaintext());
        assertThat(kms.getKeyRotationStatus(r -> r.keyId(key.keyId())).keyRotationEnabled()).isFalse();
    }

    @Test
    void aKeyIsRotatedWhenItsPeriodHasPassedAndTheSweepRuns() {
        KeyMetadata key = newKey("rotated by schedule");
        kms.enableKeyRotation(r -> r.keyId(key.keyId()).rotationPeriodInDays(90));
        SdkBytes before = encrypt(key, "sealed before the schedule");
        Instant firstDue = kms.getKeyRotationStatus(r -> r.keyId(key.keyId())).nextRotationDate();

        embeddedKms.rotateDueKeys();
        assertThat(kms.listKeyRotations(r -> r.keyId(key.keyId())).rotations()).isEmpty();

        clock.advance(Duration.ofDays(91));
        try {
            embeddedKms.rotateDueKeys();

            List<RotationsListEntry> rotations = kms.listKeyRotations(r -> r.keyId(key.keyId())).rotations();
            assertThat(rotations).hasSize(1);
            assertThat(rotations.get(0).rotationType()).isEqualTo(RotationType.AUTOMATIC);
            assertThat(kms.getKeyRotationStatus(r -> r.keyId(key.keyId())).nextRotationDate())
                    .isAfter(firstDue.plus(Duration.ofDays(89)));
            assertThat(decrypt(before)).isEqualTo("sealed before the schedule");
            assertThat(decrypt(encrypt(key, "sealed after the schedule"))).isEqualTo("sealed after the schedule");
        } finally {
            clock.advance(Duration.ofDays(-91));
        }
    }

    @Test
    void onlyEnabledSymmetricKeysRotateAndThePeriodIsBounded() {
        KeyMetadata hmac = kms.createKey(r -> r.keySpec(KeySpec.HMAC_256).keyUsage(KeyUsageType.GENERATE_VERIFY_MAC))
                .keyMetadata();
        KeyMetadata rsa = kms.createKey(r -> r.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata();
        KeyMetadata disabled = newKey("disabled rotation");
        kms.disableKey(r -> r.keyId(disabled.keyId()));

        assertThatThrownBy(() -> kms.enableKeyRotation(r -> r.keyId(hmac.keyId())))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> kms.rotateKeyOnDemand(r -> r.keyId(rsa.keyId())))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> kms.getKeyRotationStatus(r -> r.keyId(rsa.keyId())))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> kms.enableKeyRotation(r -> r.keyId(disabled.keyId())))
                .isInstanceOf(DisabledException.class);
        assertThatThrownBy(() -> kms.rotateKeyOnDemand(r -> r.keyId(disabled.keyId())))
                .isInstanceOf(DisabledException.class);
        KeyMetadata key = newKey("bounded period");
        for (int days : new int[] {89, 2561}) {
            assertThatThrownBy(() -> kms.enableKeyRotation(r -> r.keyId(key.keyId()).rotationPeriodInDays(days)))
                    .isInstanceOfSatisfying(KmsException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        }
        assertThatThrownBy(() -> kms.listKeyRotations(r -> r.keyId(key.keyId()).marker("not-ours")))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidMarkerException"));
    }
}
