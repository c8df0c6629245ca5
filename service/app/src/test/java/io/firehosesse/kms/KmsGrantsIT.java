package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.CreateGrantResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.InvalidGrantIdException;
import software.amazon.awssdk.services.kms.model.InvalidGrantTokenException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

class KmsGrantsIT extends AwsClientsIT {

    static final String FIREHOSE = "firehose.amazonaws.com";

    CreateGrantResponse grant(String keyId, String name) {
        return kms.createGrant(r -> r.keyId(keyId).granteePrincipal(FIREHOSE).retiringPrincipal(FIREHOSE)
                .operations(GrantOperation.ENCRYPT, GrantOperation.DECRYPT, GrantOperation.GENERATE_DATA_KEY)
                .constraints(c -> c.encryptionContextSubset(Map.of("aws:firehose:arn", "arn:aws:firehose:us-east-1:123456789012:deliverystream/s")))
                .name(name));
    }

    @Test
    void aGrantIsListedWithEverythingItWasCreatedWith() {
        KeyMetadata key = newKey("granted");

        CreateGrantResponse created = grant(key.keyId(), "firehose-s-1");
        GrantListEntry listed = kms.listGrants(r -> r.keyId(key.arn())).grants().get(0);

        assertThat(created.grantId()).matches("[0-9a-f]{64}");
        assertThat(created.grantToken()).isNotBlank();
        assertThat(listed.grantId()).isEqualTo(created.grantId());
        assertThat(listed.keyId()).isEqualTo(key.arn());
        assertThat(listed.name()).isEqualTo("firehose-s-1");
        assertThat(listed.granteePrincipal()).isEqualTo(FIREHOSE);
        assertThat(listed.retiringPrincipal()).isEqualTo(FIREHOSE);
        assertThat(listed.operations()).containsExactly(GrantOperation.ENCRYPT, GrantOperation.DECRYPT,
                GrantOperation.GENERATE_DATA_KEY);
        assertThat(listed.constraints().encryptionContextSubset())
                .containsEntry("aws:firehose:arn", "arn:aws:firehose:us-east-1:123456789012:deliverystream/s");
        assertThat(listed.issuingAccount()).isEqualTo("arn:aws:iam::123456789012:root");
    }

    @Test
    void aRepeatedIdenticalRequestByNameGetsTheSameGrant() {
        KeyMetadata key = newKey("idempotent");

        String first = grant(key.keyId(), "same-name").grantId();
        String second = grant(key.keyId(), "same-name").grantId();

        assertThat(second).isEqualTo(first);
        assertThat(kms.listGrants(r -> r.keyId(key.keyId())).grants()).hasSize(1);
    }

    @Test
    void grantsAreRetiredByTokenOrByIdAndRevoked() {
        KeyMetadata key = newKey("retired");
        CreateGrantResponse byToken = grant(key.keyId(), "by-token");
        CreateGrantResponse byId = grant(key.keyId(), "by-id");
        CreateGrantResponse revoked = grant(key.keyId(), "revoked");

        assertThat(kms.listRetirableGrants(r -> r.retiringPrincipal(FIREHOSE).limit(1000)).grants())
                .extracting(GrantListEntry::grantId).contains(byToken.grantId(), byId.grantId(), revoked.grantId());

        kms.retireGrant(r -> r.grantToken(byToken.grantToken()));
        kms.retireGrant(r -> r.keyId(key.arn()).grantId(byId.grantId()));
        kms.revokeGrant(r -> r.keyId(key.keyId()).grantId(revoked.grantId()));

        assertThat(kms.listGrants(r -> r.keyId(key.keyId())).grants()).isEmpty();
        assertThatThrownBy(() -> kms.retireGrant(r -> r.grantToken(byToken.grantToken())))
                .isInstanceOf(InvalidGrantTokenException.class);
        assertThatThrownBy(() -> kms.revokeGrant(r -> r.keyId(key.keyId()).grantId("not-a-grant-id")))
                .isInstanceOf(InvalidGrantIdException.class);
        assertThatThrownBy(() -> kms.revokeGrant(r -> r.keyId(key.keyId()).grantId(revoked.grantId())))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void noGrantOnADisabledOrDoomedKeyButGrantsCanStillBeRetired() {
        KeyMetadata disabled = newKey("disabled");
        String existing = grant(disabled.keyId(), "before").grantId();
        kms.disableKey(r -> r.keyId(disabled.keyId()));
        KeyMetadata doomed = newKey("doomed");
        kms.scheduleKeyDeletion(r -> r.keyId(doomed.keyId()).pendingWindowInDays(7));

        assertThatThrownBy(() -> grant(disabled.keyId(), "after"))
                .isInstanceOf(DisabledException.class)
                .hasMessageContaining(disabled.arn() + " is disabled.");
        assertThatThrownBy(() -> grant(doomed.keyId(), "after"))
                .isInstanceOf(KmsInvalidStateException.class)
                .hasMessageContaining(doomed.arn() + " is pending deletion.");
        kms.retireGrant(r -> r.keyId(disabled.keyId()).grantId(existing));
        assertThat(kms.listGrants(r -> r.keyId(disabled.keyId())).grants()).isEmpty();
    }

    @Test
    void aGrantNamesItsKeyByIdOrArnAndNeverByAlias() {
        KeyMetadata key = newKey("aliased");
        kms.createAlias(r -> r.aliasName("alias/grants-" + key.keyId()).targetKeyId(key.keyId()));

        // KMS takes CreateGrant's and ListGrants' KeyId as a key id or key ARN only.
        assertThatThrownBy(() -> grant("alias/grants-" + key.keyId(), "through-alias"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Invalid keyId 'alias/grants-" + key.keyId() + "'");
        grant(key.arn(), "through-arn");

        assertThat(kms.listGrants(r -> r.keyId(key.keyId())).grants()).hasSize(1);
    }
}
