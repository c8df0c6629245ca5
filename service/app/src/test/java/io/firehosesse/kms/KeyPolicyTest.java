package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyPolicyTest {

    static final KmsCaller DIRECT = KmsCaller.direct("123456789012", "us-east-1", "arn:aws:iam::123456789012:user/ana");
    static final KmsCaller FIREHOSE = KmsCaller.viaFirehose("123456789012", "us-east-1", "arn:aws:iam::123456789012:user/ana");

    static boolean denies(String statement, String action, KmsCaller caller, boolean forAwsResource) {
        return KeyPolicy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}")
                .denies(new KeyPolicy.Request(action, caller, forAwsResource));
    }

    @Test
    void anAllowNeverDenies() {
        assertThat(denies("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\"}", "kms:Decrypt", DIRECT, false)).isFalse();
    }

    @Test
    void actionsMatchWithIamWildcardsIgnoringCase() {
        String deny = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":[\"kms:GenerateDataKey*\",\"kms:Re?ncrypt*\"]}";

        assertThat(denies(deny, "kms:GenerateDataKeyWithoutPlaintext", DIRECT, false)).isTrue();
        assertThat(denies(deny, "KMS:generatedatakey", DIRECT, false)).isTrue();
        assertThat(denies(deny, "kms:ReEncryptFrom", DIRECT, false)).isTrue();
        assertThat(denies(deny, "kms:Decrypt", DIRECT, false)).isFalse();
    }

    @Test
    void principalsMatchByArnAccountOrService() {
        assertThat(denies("{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/ana\"},\"Action\":\"kms:*\"}",
                "kms:Decrypt", DIRECT, false)).isTrue();
        assertThat(denies("{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":[\"123456789012\"]},\"Action\":\"kms:*\"}",
                "kms:Decrypt", DIRECT, false)).isTrue();
        assertThat(denies("{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::999999999999:root\"},\"Action\":\"kms:*\"}",
                "kms:Decrypt", DIRECT, false)).isFalse();
        assertThat(denies("{\"Effect\":\"Deny\",\"Principal\":{\"Service\":\"firehose.amazonaws.com\"},\"Action\":\"kms:*\"}",
                "kms:Decrypt", DIRECT, false)).isFalse();
        assertThat(denies("{\"Effect\":\"Deny\",\"Principal\":{\"Service\":\"firehose.amazonaws.com\"},\"Action\":\"kms:*\"}",
                "kms:Decrypt", FIREHOSE, false)).isTrue();
    }

    @Test
    void everyConditionMustHoldAndMissingKeysFollowIam() {
        String viaFirehose = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:CreateGrant\",\"Condition\":{"
                + "\"StringEquals\":{\"kms:ViaService\":\"firehose.us-east-1.amazonaws.com\"},"
                + "\"Bool\":{\"kms:GrantIsForAWSResource\":\"true\"}}}";
        String notViaFirehose = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Condition\":{"
                + "\"StringNotLike\":{\"kms:ViaService\":\"firehose.*.amazonaws.com\"}}}";
        String onlyIfPresent = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Condition\":{"
                + "\"StringEqualsIfExists\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}}";

        assertThat(denies(viaFirehose, "kms:CreateGrant", FIREHOSE, true)).isTrue();
        assertThat(denies(viaFirehose, "kms:CreateGrant", FIREHOSE, false)).isFalse();
        assertThat(denies(viaFirehose, "kms:CreateGrant", DIRECT, true)).isFalse();
        assertThat(denies(notViaFirehose, "kms:Decrypt", DIRECT, false)).isTrue();
        assertThat(denies(notViaFirehose, "kms:Decrypt", FIREHOSE, false)).isFalse();
        assertThat(denies(onlyIfPresent, "kms:Decrypt", DIRECT, false)).isTrue();
        assertThat(denies(onlyIfPresent, "kms:Decrypt", FIREHOSE, false)).isFalse();
    }

    @Test
    void aDocumentThatIsNoPolicyIsMalformed() {
        assertThatThrownBy(() -> KeyPolicy.parse("not json"))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.errorName()).isEqualTo("MalformedPolicyDocumentException"));
        assertThatThrownBy(() -> KeyPolicy.parse("{\"Statement\":[{\"Effect\":\"Maybe\"}]}"))
                .isInstanceOf(KmsException.class);
    }
}
