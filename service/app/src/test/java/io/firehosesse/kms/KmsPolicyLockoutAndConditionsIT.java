package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;

/** KMS's policy lockout safety check, and the condition keys a request supplies to its key's policy. */
class KmsPolicyLockoutAndConditionsIT extends AwsClientsIT {

    private static final String LOCKOUT = "The new key policy will not allow you to update the key policy in the future.";
    private static final String ALLOW_ADMIN = """
            {"Sid":"Admin","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},
             "Action":["kms:PutKeyPolicy","kms:GetKeyPolicy","kms:DescribeKey"],"Resource":"*"}""";

    private static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    @Test
    void aPolicyThatWouldLockTheCallerOutIsRefusedUnlessTheCheckIsBypassed() {
        String bobOnly = policy("""
                {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"kms:*","Resource":"*"}""");
        String noPutPolicy = policy("""
                {"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":["kms:Encrypt","kms:DescribeKey"],"Resource":"*"}""");
        KeyMetadata key = newKey("lockout");

        for (String locking : new String[] {bobOnly, noPutPolicy}) {
            assertThatThrownBy(() -> kms.createKey(r -> r.policy(locking)))
                    .isInstanceOfSatisfying(MalformedPolicyDocumentException.class,
                            e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(LOCKOUT));
            assertThatThrownBy(() -> kms.putKeyPolicy(r -> r.keyId(key.keyId()).policy(locking)))
                    .isInstanceOfSatisfying(MalformedPolicyDocumentException.class,
                            e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(LOCKOUT));
        }
        // An explicit deny of PutKeyPolicy locks out as surely as no allow.
        assertThatThrownBy(() -> kms.putKeyPolicy(r -> r.keyId(key.keyId()).policy(policy(ALLOW_ADMIN, """
                {"Effect":"Deny","Principal":"*","Action":"kms:PutKeyPolicy","Resource":"*"}"""))))
                .isInstanceOf(MalformedPolicyDocumentException.class);
        assertThat(kms.getKeyPolicy(r -> r.keyId(key.keyId())).policy()).contains("Enable IAM User Permissions");

        kms.putKeyPolicy(r -> r.keyId(key.keyId()).policy(bobOnly).bypassPolicyLockoutSafetyCheck(true));
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId(key.keyId())))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("AccessDeniedException"));
        KeyMetadata bobs = kms.createKey(r -> r.policy(bobOnly).bypassPolicyLockoutSafetyCheck(true)).keyMetadata();
        assertThat(bobs.keyId()).isNotBlank();
        // A policy that still lets the caller manage it passes the check.
        KeyMetadata managed = kms.createKey(r -> r.policy(policy(ALLOW_ADMIN))).keyMetadata();
        kms.putKeyPolicy(r -> r.keyId(managed.keyId()).policy(policy(ALLOW_ADMIN)));
    }

    @Test
    void encryptionContextConditionsAreEvaluated() {
        KeyMetadata key = kms.createKey(r -> r.policy(policy(ALLOW_ADMIN, """
                {"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*",
                 "Condition":{"StringEquals":{"kms:EncryptionContext:Department":"IT"}}}""", """
                {"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"kms:GenerateDataKey","Resource":"*",
                 "Condition":{"ForAllValues:StringEquals":{"kms:EncryptionContextKeys":["stream","shard"]},
                              "Null":{"kms:EncryptionContextKeys":"false"}}}"""))).keyMetadata();
        SdkBytes data = SdkBytes.fromUtf8String("payroll");

        SdkBytes sealed = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(data).encryptionContext(Map.of("Department", "IT",
                "Other", "x"))).ciphertextBlob();
        assertThat(kms.decrypt(r -> r.ciphertextBlob(sealed).encryptionContext(Map.of("Department", "IT", "Other", "x")))
                .plaintext()).isEqualTo(data);
        assertDenied(() -> kms.encrypt(r -> r.keyId(key.keyId()).plaintext(data)
                .encryptionContext(Map.of("Department", "HR"))), "kms:Encrypt");
        assertDenied(() -> kms.encrypt(r -> r.keyId(key.keyId()).plaintext(data)), "kms:Encrypt");

        kms.generateDataKey(r -> r.keyId(key.keyId()).numberOfBytes(32).encryptionContext(Map.of("stream", "a", "shard", "1")));
        kms.generateDataKey(r -> r.keyId(key.keyId()).numberOfBytes(32).encryptionContext(Map.of("stream", "a")));
        assertDenied(() -> kms.generateDataKey(r -> r.keyId(key.keyId()).numberOfBytes(32)
                .encryptionContext(Map.of("stream", "a", "user", "eve"))), "kms:GenerateDataKey");
        assertDenied(() -> kms.generateDataKey(r -> r.keyId(key.keyId()).numberOfBytes(32)), "kms:GenerateDataKey");
    }

    @Test
    void callerAccountSourceIpAndViaServiceAreEvaluated() {
        KeyMetadata key = kms.createKey(r -> r.policy(policy(ALLOW_ADMIN, """
                {"Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*",
                 "Condition":{"StringEquals":{"kms:CallerAccount":"123456789012"},
                              "IpAddress":{"aws:SourceIp":["127.0.0.0/8","::1/128"]}}}""", """
                {"Effect":"Allow","Principal":"*","Action":"kms:GenerateDataKey","Resource":"*",
                 "Condition":{"NotIpAddress":{"aws:SourceIp":["127.0.0.0/8","::1/128"]}}}""", """
                {"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*",
                 "Condition":{"StringEquals":{"kms:ViaService":"firehose.us-east-1.amazonaws.com"}}}""", """
                {"Effect":"Allow","Principal":"*","Action":"kms:ReEncrypt*","Resource":"*",
                 "Condition":{"StringEquals":{"kms:CallerAccount":"999999999999"}}}"""))).keyMetadata();
        SdkBytes data = SdkBytes.fromUtf8String("x");

        SdkBytes sealed = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(data)).ciphertextBlob();
        assertDenied(() -> kms.generateDataKey(r -> r.keyId(key.keyId()).numberOfBytes(16)), "kms:GenerateDataKey");
        // A direct call carries no kms:ViaService.
        assertDenied(() -> kms.decrypt(r -> r.ciphertextBlob(sealed)), "kms:Decrypt");
        assertDenied(() -> kms.reEncrypt(r -> r.ciphertextBlob(sealed).destinationKeyId(key.keyId())), "kms:ReEncryptFrom");
    }

    private static void assertDenied(Runnable call, String action) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(KmsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.getMessage()).contains(action);
                });
    }
}
