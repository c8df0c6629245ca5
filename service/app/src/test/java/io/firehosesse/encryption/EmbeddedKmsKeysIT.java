package io.firehosesse.encryption;

import static org.assertj.core.api.Assertions.assertThat;

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
}
