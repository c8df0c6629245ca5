package io.firehosesse.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** The default adapter: the embedded KMS in-process, as the service wires it when no endpoint is set. */
class EmbeddedKmsKeysIT extends KmsKeysContract {

    @Autowired
    KmsKeys kmsKeys;

    @Override
    KmsKeys adapter() {
        return kmsKeys;
    }

    @Test
    void theServiceUsesTheEmbeddedKmsByDefault() {
        assertThat(kmsKeys).isInstanceOf(EmbeddedKmsKeys.class);
    }

    @Test
    void aKeyPolicyThatDeniesFirehoseRefusesFirehoseButNotTheOwner() {
        KeyMetadata key = newKey("no firehose");
        kms.putKeyPolicy(r -> r.keyId(key.keyId()).policy("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},
                  {"Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:CreateGrant",
                  "Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"firehose.us-east-1.amazonaws.com"},
                  "Bool":{"kms:GrantIsForAWSResource":"true"}}}]}"""));

        KmsResult<KmsKeys.CreatedGrant> viaFirehose = adapter().createGrant(CALLER, grantFor(key.arn(), "denied"));

        assertThat(viaFirehose.error().name()).isEqualTo("AccessDeniedException");
        assertThat(kms.createGrant(r -> r.keyId(key.keyId()).granteePrincipal("arn:aws:iam::123456789012:role/app")
                .operationsWithStrings("Decrypt")).grantId()).isNotBlank();
    }

    @Test
    void aPolicyDenyingTheFirehoseServicePrincipalRefusesDataKeys() {
        KeyMetadata key = newKey("no firehose principal");
        kms.putKeyPolicy(r -> r.keyId(key.keyId()).policy("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},
                  {"Effect":"Deny","Principal":{"Service":"firehose.amazonaws.com"},
                  "Action":"kms:GenerateDataKey*","Resource":"*"}]}"""));

        assertThat(adapter().generateDataKey(CALLER, key.keyId(), CONTEXT).error().name()).isEqualTo("AccessDeniedException");
        assertThat(adapter().describeKey(CALLER, key.keyId()).isOk()).isTrue();
    }

    static final KmsKeys.Grantee FIREHOSE = new KmsKeys.Grantee("123456789012", "us-east-1", FirehoseGrant.GRANTEE);

    @Test
    void aGranteeGetsADataKeyOnlyThroughAGrantWhoseConstraintTheContextMeets() {
        KeyMetadata key = newKey("grantee");
        KmsResult<KmsKeys.DataKey> beforeAnyGrant = adapter().generateDataKeyAsGrantee(FIREHOSE, key.arn(), CONTEXT);
        String grantId = adapter().createGrant(CALLER, grantFor(key.arn(), "for the grantee")).value().grantId();

        KmsKeys.DataKey dataKey = adapter().generateDataKeyAsGrantee(FIREHOSE, key.arn(), CONTEXT).value();
        KmsResult<KmsKeys.DataKey> otherStream = adapter().generateDataKeyAsGrantee(FIREHOSE, key.arn(),
                Map.of("aws:firehose:arn", STREAM + "-other"));
        KmsResult<KmsKeys.DataKey> widerContext = adapter().generateDataKeyAsGrantee(FIREHOSE, key.arn(),
                Map.of("aws:firehose:arn", STREAM, "purpose", "more"));
        adapter().revokeGrant(CALLER, key.arn(), grantId);
        KmsResult<KmsKeys.DataKey> afterRevocation = adapter().generateDataKeyAsGrantee(FIREHOSE, key.arn(), CONTEXT);

        assertThat(beforeAnyGrant.error().name()).isEqualTo("AccessDeniedException");
        assertThat(beforeAnyGrant.error().message()).contains("User: firehose.amazonaws.com is not authorized to perform:"
                + " kms:GenerateDataKey on resource: " + key.arn());
        assertThat(adapter().decrypt(CALLER, dataKey.ciphertextBlob(), CONTEXT).value()).isEqualTo(dataKey.plaintext());
        assertThat(otherStream.error().name()).as("another stream's context").isEqualTo("AccessDeniedException");
        assertThat(widerContext.isOk()).as("EncryptionContextSubset: more pairs are allowed").isTrue();
        assertThat(afterRevocation.error().name()).isEqualTo("AccessDeniedException");
    }

    @Test
    void aGrantWithoutGenerateDataKeyOrForAnotherGranteeOrWithAnExactContextIsReadAsKmsReadsIt() {
        KeyMetadata key = newKey("grant shapes");
        kms.createGrant(r -> r.keyId(key.keyId()).granteePrincipal(FirehoseGrant.GRANTEE).operationsWithStrings("Decrypt"));
        kms.createGrant(r -> r.keyId(key.keyId()).granteePrincipal("arn:aws:iam::123456789012:role/app")
                .operationsWithStrings("GenerateDataKey"));
        assertThat(adapter().generateDataKeyAsGrantee(FIREHOSE, key.arn(), CONTEXT).error().name())
                .isEqualTo("AccessDeniedException");

        kms.createGrant(r -> r.keyId(key.keyId()).granteePrincipal(FirehoseGrant.GRANTEE).operationsWithStrings("GenerateDataKey")
                .constraints(c -> c.encryptionContextEquals(CONTEXT)));

        assertThat(adapter().generateDataKeyAsGrantee(FIREHOSE, key.arn(), CONTEXT).isOk()).isTrue();
        assertThat(adapter().generateDataKeyAsGrantee(FIREHOSE, key.arn(), Map.of("aws:firehose:arn", STREAM, "x", "y"))
                .error().name()).as("EncryptionContextEquals: exactly").isEqualTo("AccessDeniedException");
    }

    @Test
    void aGranteeIsStillRefusedByAnExplicitDenyAndByADisabledKey() {
        KeyMetadata key = newKey("grantee denied");
        adapter().createGrant(CALLER, grantFor(key.arn(), "denied grantee"));
        kms.putKeyPolicy(r -> r.keyId(key.keyId()).policy("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},
                  {"Effect":"Deny","Principal":{"Service":"firehose.amazonaws.com"},
                  "Action":"kms:GenerateDataKey*","Resource":"*"}]}"""));
        KmsResult<KmsKeys.DataKey> denied = adapter().generateDataKeyAsGrantee(FIREHOSE, key.arn(), CONTEXT);
        KeyMetadata off = newKey("grantee disabled");
        adapter().createGrant(CALLER, grantFor(off.arn(), "disabled"));
        kms.disableKey(r -> r.keyId(off.keyId()));

        assertThat(denied.error().name()).isEqualTo("AccessDeniedException");
        assertThat(denied.error().message()).contains("explicit deny");
        assertThat(adapter().generateDataKeyAsGrantee(FIREHOSE, off.arn(), CONTEXT).error().name())
                .isEqualTo("DisabledException");
    }
}
