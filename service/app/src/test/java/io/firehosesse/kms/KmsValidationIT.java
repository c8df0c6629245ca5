package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/** Requests KMS refuses before it does anything: alias names, key references, and messages free of Java. */
class KmsValidationIT extends AwsClientsIT {

    @Test
    void aliasNamesFollowKmsRules() {
        KeyMetadata key = newKey("alias names");

        assertError(() -> kms.createAlias(r -> r.aliasName("alias/my:alias").targetKeyId(key.keyId())),
                "ValidationException", "Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$");
        assertError(() -> kms.createAlias(r -> r.aliasName("orders").targetKeyId(key.keyId())),
                "ValidationException", "Value 'orders' at 'aliasName'");
        assertError(() -> kms.createAlias(r -> r.aliasName("alias/").targetKeyId(key.keyId())),
                "ValidationException", "at 'aliasName'");
        assertError(() -> kms.createAlias(r -> r.aliasName("alias/aws/mine").targetKeyId(key.keyId())),
                "NotAuthorizedException", "reserved for AWS");
        assertError(() -> kms.updateAlias(r -> r.aliasName("alias/aws/mine").targetKeyId(key.keyId())),
                "NotAuthorizedException", "reserved for AWS");
        assertError(() -> kms.deleteAlias(r -> r.aliasName("alias/aws/firehose")), "NotAuthorizedException", "reserved");
        assertError(() -> kms.deleteAlias(r -> r.aliasName("alias/a:b")), "ValidationException", "aliasName");

        String good = "alias/ok/Name_1-" + key.keyId().substring(0, 8);
        kms.createAlias(r -> r.aliasName(good).targetKeyId(key.arn()));
        assertThat(kms.describeKey(r -> r.keyId(good)).keyMetadata().keyId()).isEqualTo(key.keyId());
    }

    @Test
    void operationsThatTakeOnlyKeyIdsAndArnsRefuseAnAlias() {
        KeyMetadata key = newKey("ids only");
        String alias = "alias/ids-only-" + key.keyId().substring(0, 8);
        String aliasArn = "arn:aws:kms:us-east-1:123456789012:" + alias;
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.keyId()));

        List<Consumer<String>> idOnly = List.of(
                ref -> kms.enableKey(r -> r.keyId(ref)),
                ref -> kms.disableKey(r -> r.keyId(ref)),
                ref -> kms.scheduleKeyDeletion(r -> r.keyId(ref)),
                ref -> kms.getKeyPolicy(r -> r.keyId(ref)),
                ref -> kms.tagResource(r -> r.keyId(ref).tags(t -> t.tagKey("k").tagValue("v"))),
                ref -> kms.listResourceTags(r -> r.keyId(ref)),
                ref -> kms.enableKeyRotation(r -> r.keyId(ref)),
                ref -> kms.listGrants(r -> r.keyId(ref)),
                ref -> kms.createAlias(r -> r.aliasName(alias + "-2").targetKeyId(ref)),
                ref -> kms.updateKeyDescription(r -> r.keyId(ref).description("d")));
        for (Consumer<String> call : idOnly) {
            for (String ref : List.of(alias, aliasArn)) {
                assertThatThrownBy(() -> call.accept(ref))
                        .isInstanceOf(NotFoundException.class)
                        .hasMessageContaining("Invalid keyId '" + ref + "'");
            }
        }
        // Where KMS takes aliases, they still resolve; the key was never touched above.
        assertThat(kms.describeKey(r -> r.keyId(aliasArn)).keyMetadata().keyStateAsString()).isEqualTo("Enabled");
        kms.encrypt(r -> r.keyId(alias).plaintext(SdkBytes.fromUtf8String("x")));
    }

    @Test
    void noErrorMessageNamesAJavaType() throws Exception {
        KeyMetadata key = newKey("messages");
        assertThatThrownBy(() -> kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromByteArray(new byte[0]))))
                .isInstanceOfSatisfying(KmsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .contains("Value of 0 bytes at 'plaintext'")
                            .doesNotContain("java", "Buffer", "[B@");
                });

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String body : List.of("{\"KeyId\": ", "{\"KeyId\": \"" + key.keyId() + "\"", "{\"Description\": [1,",
                "{\"Plaintext\": \"AA==\", \"KeyId\": {}}", "{\"KeyId\": \"" + key.keyId() + "\", \"Plaintext\": 5}",
                "{\"Tags\": [{\"TagKey\": \"a\", \"TagValue\": \"b\", \"TagKey\": \"c\"}]}")) {
            for (String target : List.of("TrentService.Encrypt", "TrentService.CreateKey")) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .header("X-Amz-Target", target)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                // Members CreateKey does not have are ignored, so some of these are a valid CreateKey.
                if (target.endsWith("Encrypt")) {
                    assertThat(answer.statusCode()).as(body).isEqualTo(400);
                    assertThat(answer.body()).as(body).contains("__type");
                }
                assertThat(answer.body()).as(body).doesNotContain("java.", "Source:", "`", "StreamRead", "io.firehosesse", "jackson");
            }
        }
    }

    private static void assertError(Runnable call, String type, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(KmsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(type);
                    assertThat(e.awsErrorDetails().errorMessage()).contains(message);
                });
    }
}
