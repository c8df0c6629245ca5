package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.AwsClientsIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.ListAliasesResponse;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

class KmsAliasesAndPoliciesIT extends AwsClientsIT {

    @Test
    void aliasNamesAndAliasArnsResolveToTheirKey() {
        KeyMetadata key = newKey("aliased");
        String alias = "alias/orders-" + key.keyId().substring(0, 8);

        kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.arn()));

        String aliasArn = "arn:aws:kms:us-east-1:123456789012:" + alias;
        assertThat(kms.describeKey(r -> r.keyId(alias)).keyMetadata().keyId()).isEqualTo(key.keyId());
        assertThat(kms.describeKey(r -> r.keyId(aliasArn)).keyMetadata().keyId()).isEqualTo(key.keyId());
        AliasListEntry listed = kms.listAliases(r -> r.keyId(key.keyId())).aliases().get(0);
        assertThat(listed.aliasName()).isEqualTo(alias);
        assertThat(listed.aliasArn()).isEqualTo(aliasArn);
        assertThat(listed.targetKeyId()).isEqualTo(key.keyId());
    }

    @Test
    void listAliasesShowsThePredefinedAwsAliasesWithoutATargetSortedAndPagedWithTheOthers() {
        // A Region no other test uses, so the account's aliases there are only this test's.
        try (KmsClient regional = KmsClient.builder().endpointOverride(URI.create("http://localhost:" + port))
                .region(Region.CA_CENTRAL_1).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String keyId = regional.createKey(r -> r.description("beside the predefined")).keyMetadata().keyId();
            regional.createAlias(r -> r.aliasName("alias/aws-like").targetKeyId(keyId));
            regional.createAlias(r -> r.aliasName("alias/zzz-last").targetKeyId(keyId));

            List<AliasListEntry> all = new ArrayList<>();
            String marker = null;
            do {
                String from = marker;
                ListAliasesResponse page = regional.listAliases(r -> r.limit(4).marker(from));
                assertThat(page.aliases()).hasSizeLessThanOrEqualTo(4);
                all.addAll(page.aliases());
                marker = page.truncated() ? page.nextMarker() : null;
            } while (marker != null);

            assertThat(all).extracting(AliasListEntry::aliasName).containsExactly("alias/aws-like", "alias/aws/acm",
                    "alias/aws/dynamodb", "alias/aws/ebs", "alias/aws/elasticfilesystem", "alias/aws/es", "alias/aws/glue",
                    "alias/aws/kinesisvideo", "alias/aws/lambda", "alias/aws/rds", "alias/aws/redshift", "alias/aws/s3",
                    "alias/aws/secretsmanager", "alias/aws/ssm", "alias/aws/xray", "alias/zzz-last");
            AliasListEntry s3 = all.stream().filter(a -> a.aliasName().equals("alias/aws/s3")).findFirst().orElseThrow();
            assertThat(s3.aliasArn()).isEqualTo("arn:aws:kms:ca-central-1:123456789012:alias/aws/s3");
            assertThat(s3.targetKeyId()).isNull();
            assertThat(s3.creationDate()).isNull();

            // One key's aliases are only its own: the predefined ones point at no key.
            assertThat(regional.listAliases(r -> r.keyId(keyId)).aliases()).extracting(AliasListEntry::aliasName)
                    .containsExactly("alias/aws-like", "alias/zzz-last");
            // Listed, but AWS's: not to be taken, moved or deleted, and naming no key yet.
            assertThatThrownBy(() -> regional.deleteAlias(r -> r.aliasName("alias/aws/s3")))
                    .isInstanceOfSatisfying(KmsException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotAuthorizedException"));
            assertThatThrownBy(() -> regional.updateAlias(r -> r.aliasName("alias/aws/s3").targetKeyId(keyId)))
                    .isInstanceOfSatisfying(KmsException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotAuthorizedException"));
            assertThatThrownBy(() -> regional.describeKey(r -> r.keyId("alias/aws/s3")))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void anAliasNameIsTakenOnceAndCanBeDeleted() {
        KeyMetadata key = newKey("one alias");
        String alias = "alias/unique-" + key.keyId().substring(0, 8);
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.keyId()));

        assertThatThrownBy(() -> kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.keyId())))
                .isInstanceOf(AlreadyExistsException.class);
        kms.deleteAlias(r -> r.aliasName(alias));
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId(alias)))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Alias arn:aws:kms:us-east-1:123456789012:" + alias + " is not found.");
        assertThatThrownBy(() -> kms.createAlias(r -> r.aliasName("alias/aws/firehose").targetKeyId(key.keyId())))
                .isInstanceOfSatisfying(KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotAuthorizedException"));
    }

    @Test
    void aNewKeyHasTheDefaultPolicyAndAPutPolicyIsReturnedAsGiven() {
        KeyMetadata key = newKey("policy");
        String policy = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}""";

        String initial = kms.getKeyPolicy(r -> r.keyId(key.keyId()).policyName("default")).policy();
        kms.putKeyPolicy(r -> r.keyId(key.keyId()).policyName("default").policy(policy));

        assertThat(initial).contains("arn:aws:iam::123456789012:root", "kms:*");
        assertThat(kms.getKeyPolicy(r -> r.keyId(key.keyId())).policy()).isEqualTo(policy);
        assertThatThrownBy(() -> kms.putKeyPolicy(r -> r.keyId(key.keyId()).policy("{\"not\":\"a policy\"}")))
                .isInstanceOf(MalformedPolicyDocumentException.class);
    }

    @Test
    void anExplicitDenyRefusesTheCallsItNamesAndOnlyThose() throws Exception {
        KeyMetadata key = newKey("denied");
        kms.putKeyPolicy(r -> r.keyId(key.keyId()).policy("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},
                  {"Effect":"Deny","Principal":"*","Action":["kms:Encrypt","kms:GenerateDataKey*"],"Resource":"*"}]}"""));

        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyId()).isEqualTo(key.keyId());
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "TrentService.GenerateDataKey")
                .POST(HttpRequest.BodyPublishers.ofString("{\"KeyId\":\"" + key.keyId() + "\",\"KeySpec\":\"AES_256\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = new ObjectMapper().readTree(raw.body());

        assertThat(raw.statusCode()).isEqualTo(400);
        assertThat(body.path("__type").asText()).isEqualTo("AccessDeniedException");
        assertThat(body.path("Message").asText()).isEqualTo("User: arn:aws:iam::123456789012:root is not authorized to perform:"
                + " kms:GenerateDataKey on resource: " + key.arn() + " with an explicit deny in a resource-based policy");
    }

    @Test
    void aDenyConditionedOnFirehoseDoesNotTouchDirectCalls() {
        KeyMetadata key = newKey("firehose denied");
        kms.putKeyPolicy(r -> r.keyId(key.keyId()).policy("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},
                  {"Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*",
                  "Condition":{"StringEquals":{"kms:ViaService":"firehose.us-east-1.amazonaws.com"}}}]}"""));

        assertThat(kms.generateDataKey(r -> r.keyId(key.keyId()).numberOfBytes(32)).plaintext().asByteArray()).hasSize(32);
    }
}
