package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;

/** The embedded KMS's keys, driven with the real SDK v2 {@code KmsClient} over {@code TrentService.*}. */
class KmsKeysIT extends AwsClientsIT {

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EmbeddedKms embeddedKms;

    @Test
    void aNewKeyIsAnEnabledSymmetricCustomerKey() {
        KeyMetadata created = kms.createKey(r -> r.description("orders key")).keyMetadata();
        KeyMetadata described = kms.describeKey(r -> r.keyId(created.arn())).keyMetadata();

        assertThat(created.arn()).isEqualTo("arn:aws:kms:us-east-1:123456789012:key/" + created.keyId());
        assertThat(described.keyState()).isEqualTo(KeyState.ENABLED);
        assertThat(described.enabled()).isTrue();
        assertThat(described.keySpec()).isEqualTo(KeySpec.SYMMETRIC_DEFAULT);
        assertThat(described.keyUsage()).isEqualTo(KeyUsageType.ENCRYPT_DECRYPT);
        assertThat(described.keyManagerAsString()).isEqualTo("CUSTOMER");
        assertThat(described.description()).isEqualTo("orders key");
        assertThat(described.creationDate()).isEqualTo(created.creationDate());
    }

    @Test
    void keyMaterialIsStoredOnlyWrapped() {
        KeyMetadata created = kms.createKey(r -> r.description("wrapped")).keyMetadata();

        byte[] stored = jdbc.sql("SELECT wrapped_material FROM kms_key WHERE key_id = :id")
                .param("id", created.keyId()).query(byte[].class).single();

        // 12-byte IV + 32 bytes of material + 16-byte GCM tag: the plain 32 bytes are never stored.
        assertThat(stored).hasSize(60);
    }

    @Test
    void asymmetricKeysTakeTheirSpecAndUsage() {
        KeyMetadata signing = kms.createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata();

        assertThat(signing.keySpec()).isEqualTo(KeySpec.ECC_NIST_P256);
        assertThat(signing.keyUsage()).isEqualTo(KeyUsageType.SIGN_VERIFY);
        assertThatThrownBy(() -> kms.createKey(r -> r.keySpec(KeySpec.SYMMETRIC_DEFAULT).keyUsage(KeyUsageType.SIGN_VERIFY)))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void keysCanBeDisabledAndEnabledAgain() {
        String keyId = kms.createKey(r -> r.description("toggled")).keyMetadata().keyId();

        kms.disableKey(r -> r.keyId(keyId));
        KeyState disabled = kms.describeKey(r -> r.keyId(keyId)).keyMetadata().keyState();
        kms.enableKey(r -> r.keyId(keyId));

        assertThat(disabled).isEqualTo(KeyState.DISABLED);
        assertThat(kms.describeKey(r -> r.keyId(keyId)).keyMetadata().keyState()).isEqualTo(KeyState.ENABLED);
    }

    @Test
    void aKeyPendingDeletionRefusesStateChangesUntilCancelledThenIsDisabled() {
        KeyMetadata key = kms.createKey(r -> r.description("doomed")).keyMetadata();

        ScheduleKeyDeletionResponse scheduled = kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));

        assertThat(scheduled.keyId()).isEqualTo(key.arn());
        assertThat(scheduled.keyState()).isEqualTo(KeyState.PENDING_DELETION);
        assertThat(scheduled.pendingWindowInDays()).isEqualTo(7);
        assertThat(scheduled.deletionDate()).isBetween(Instant.now().plus(Duration.ofDays(7)).minusSeconds(60),
                Instant.now().plus(Duration.ofDays(7)).plusSeconds(60));
        assertThatThrownBy(() -> kms.enableKey(r -> r.keyId(key.keyId())))
                .isInstanceOf(KmsInvalidStateException.class)
                .hasMessageContaining(key.arn() + " is pending deletion.");

        kms.cancelKeyDeletion(r -> r.keyId(key.keyId()));

        KeyMetadata after = kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata();
        assertThat(after.keyState()).isEqualTo(KeyState.DISABLED);
        assertThat(after.deletionDate()).isNull();
    }

    @Test
    void aKeyIsGoneOnceItsDeletionWindowHasPassed() {
        KeyMetadata key = kms.createKey(r -> r.description("expiring")).keyMetadata();
        kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));

        clock.advance(Duration.ofDays(8));
        try {
            assertThatThrownBy(() -> kms.describeKey(r -> r.keyId(key.keyId())))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("Key '" + key.arn() + "' does not exist");
        } finally {
            clock.advance(Duration.ofDays(-8));
        }
    }

    @Test
    void unknownAndMalformedKeyIdsAreNotFound() {
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId("11111111-2222-3333-4444-555555555555")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Key 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555' does not exist");
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId("not-a-key")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Invalid keyId 'not-a-key'");
        assertThatThrownBy(() -> kms.scheduleKeyDeletion(r -> r.keyId("not-a-key").pendingWindowInDays(3)))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void theServicesOwnKeyIsNeverListedToUsers() {
        KmsKey owned = embeddedKms.awsOwnedKey("123456789012", "us-east-1");
        Set<String> listed = new HashSet<>();
        String marker = null;
        do {
            String from = marker;
            ListKeysResponse page = kms.listKeys(r -> r.limit(1000).marker(from));
            page.keys().forEach(k -> listed.add(k.keyId()));
            marker = page.truncated() ? page.nextMarker() : null;
        } while (marker != null);

        assertThat(embeddedKms.awsOwnedKey("123456789012", "us-east-1").keyId()).isEqualTo(owned.keyId());
        assertThat(listed).doesNotContain(owned.keyId());
        assertThat(kms.describeKey(r -> r.keyId(owned.arn())).keyMetadata().keyManagerAsString()).isEqualTo("AWS");
    }

    @Test
    void listingPagesThroughEveryKey() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            created.add(kms.createKey(r -> r.description("listed")).keyMetadata().keyId());
        }
        Set<String> seen = new HashSet<>();
        String marker = null;
        int pages = 0;
        do {
            String from = marker;
            ListKeysResponse page = kms.listKeys(r -> r.limit(2).marker(from));
            page.keys().forEach(k -> seen.add(k.keyId()));
            marker = page.truncated() ? page.nextMarker() : null;
            pages++;
        } while (marker != null && pages < 1000);

        assertThat(seen).containsAll(created);
        assertThat(pages).isGreaterThan(1);
    }
}
