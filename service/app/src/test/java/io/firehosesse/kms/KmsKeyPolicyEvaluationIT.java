package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;

/** Key policies through the wire: the elements that used to be skipped now refuse, and what cannot be read is refused. */
class KmsKeyPolicyEvaluationIT extends AwsClientsIT {

    private static final String ALLOW_ACCOUNT = """
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}""";

    @Test
    void aNotActionDenyRefusesEveryActionItDoesNotList() {
        KeyMetadata key = newKey("not-action deny");
        kms.putKeyPolicy(r -> r.keyId(key.keyId()).policy("""
                {"Version":"2012-10-17","Statement":[%s,
                  {"Sid":"OnlyAdministration","Effect":"Deny","Principal":"*",
                   "NotAction":["kms:Describe*","kms:Get*","kms:PutKeyPolicy"],"Resource":"*"}]}""".formatted(ALLOW_ACCOUNT)));

        assertThatThrownBy(() -> kms.generateDataKey(r -> r.keyId(key.keyId()).numberOfBytes(32)))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(accessDenied(e))
                        .contains("kms:GenerateDataKey", "with an explicit deny"));
        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyId()).isEqualTo(key.keyId());
        assertThat(kms.getKeyPolicy(r -> r.keyId(key.keyId())).policy()).contains("NotAction");
    }

    @Test
    void aKeyWhosePolicyAllowsSomeoneElseIsRefusedToTheCaller() {
        KeyMetadata key = kms.createKey(r -> r.description("someone else's").bypassPolicyLockoutSafetyCheck(true).policy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},
                  "Action":"kms:*","Resource":"*"}]}""")).keyMetadata();

        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId(key.keyId())))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(accessDenied(e))
                        .contains("kms:DescribeKey", "because no resource-based policy allows the kms:DescribeKey action"));
    }

    @Test
    void anOperatorThisKmsCannotEvaluateIsRefusedAndTheOldPolicyStays() {
        KeyMetadata key = newKey("unknown operator");
        String before = kms.getKeyPolicy(r -> r.keyId(key.keyId())).policy();

        assertThatThrownBy(() -> kms.putKeyPolicy(r -> r.keyId(key.keyId()).policy("""
                {"Version":"2012-10-17","Statement":[%s,
                  {"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*",
                   "Condition":{"StringMatchesRegex":{"kms:ViaService":"s3.*"}}}]}""".formatted(ALLOW_ACCOUNT))))
                .isInstanceOfSatisfying(MalformedPolicyDocumentException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .contains("StringMatchesRegex"));
        assertThatThrownBy(() -> kms.createKey(r -> r.policy("""
                {"Version":"2012-10-17","Statement":[%s],"Condition":{}}""".formatted(ALLOW_ACCOUNT))))
                .isInstanceOfSatisfying(MalformedPolicyDocumentException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .contains("Condition"));
        assertThat(kms.getKeyPolicy(r -> r.keyId(key.keyId())).policy()).isEqualTo(before);
    }

    @Test
    void aForAnyValueDenyOnTheCallerIsEnforced() {
        KeyMetadata key = newKey("set operator deny");
        kms.putKeyPolicy(r -> r.keyId(key.keyId()).policy("""
                {"Version":"2012-10-17","Statement":[%s,
                  {"Effect":"Deny","Principal":"*","Action":"kms:Encrypt","Resource":"*",
                   "Condition":{"ForAnyValue:StringLike":{"aws:PrincipalArn":["arn:aws:iam::*:user/*","arn:aws:iam::*:root"]}}}]}"""
                .formatted(ALLOW_ACCOUNT)));

        assertThatThrownBy(() -> kms.encrypt(r -> r.keyId(key.keyId())
                .plaintext(SdkBytes.fromUtf8String("secret"))))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(accessDenied(e)).contains("kms:Encrypt"));
        assertThat(kms.generateDataKey(r -> r.keyId(key.keyId()).numberOfBytes(16)).plaintext().asByteArray()).hasSize(16);
    }

    /** The KMS model has no AccessDeniedException shape, so the SDK gives a KmsException carrying the code. */
    private static String accessDenied(KmsException e) {
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        return e.awsErrorDetails().errorMessage();
    }
}
