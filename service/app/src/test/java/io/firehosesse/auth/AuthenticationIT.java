package io.firehosesse.auth;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.Clients;
import io.firehosesse.support.SignedCallersIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamFailureType;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/** With a credentials file: every request is verified, callers see only their own account, and STS issues sessions. */
class AuthenticationIT extends SignedCallersIT {

    FirehoseClient firehose(AwsCredentialsProvider credentials) {
        return Clients.firehose(port, Region.US_EAST_1, credentials);
    }

    @Test
    void eachAccountSeesOnlyItsOwnStreamsAndKeys() {
        String name = uniqueName("alice");
        long handSignatures = SigV4Verifier.FALLBACKS.get();
        try (FirehoseClient alice = firehose(alice()); FirehoseClient bob = firehose(Clients.credentials(BOB, BOB_SECRET));
             KmsClient aliceKms = Clients.kms(port, alice()); KmsClient bobKms = Clients.kms(port, Clients.credentials(BOB, BOB_SECRET))) {
            String arn = createActive(alice, name);
            String keyArn = aliceKms.createKey(r -> r.description("alice's")).keyMetadata().arn();

            assertThat(arn).startsWith("arn:aws:firehose:us-east-1:111111111111:deliverystream/");
            assertThat(keyArn).contains(":111111111111:key/");
            assertThat(bob.listDeliveryStreams(r -> r.limit(100)).deliveryStreamNames()).doesNotContain(name);
            assertThatThrownBy(() -> bob.describeDeliveryStream(r -> r.deliveryStreamName(name)))
                    .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("222222222222");
            assertThat(bobKms.listKeys().keys()).noneMatch(key -> key.keyArn().equals(keyArn));
            assertThatThrownBy(() -> bobKms.describeKey(r -> r.keyId(keyArn)))
                    .isInstanceOf(software.amazon.awssdk.services.kms.model.KmsException.class);
        }
        // The SDK's own signer verified every one of these SDK-signed calls.
        assertThat(SigV4Verifier.FALLBACKS.get()).isEqualTo(handSignatures);
    }

    @Test
    void anUnknownKeyAndAWrongSecretAreRefusedAsAwsRefusesThem() {
        try (FirehoseClient stranger = firehose(Clients.credentials("AKIASTRANGER00000000", "whatever"));
             FirehoseClient wrong = firehose(Clients.credentials(ALICE, "not-alices-secret"))) {
            assertThatThrownBy(() -> stranger.listDeliveryStreams(r -> r.limit(1)))
                    .isInstanceOfSatisfying(FirehoseException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is invalid.");
                    });
            assertThatThrownBy(() -> wrong.listDeliveryStreams(r -> r.limit(1)))
                    .isInstanceOfSatisfying(FirehoseException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                        assertThat(e.awsErrorDetails().errorMessage()).startsWith("The request signature we calculated does not match");
                    });
        }
    }

    @Test
    void missingMalformedStaleAndFutureSignaturesGetTheirOwnErrors() throws Exception {
        JsonNode missing = post(Map.of());
        assertThat(missing.path("__type").asText()).isEqualTo("MissingAuthenticationTokenException");
        JsonNode malformed = post(Map.of("Authorization", "AWS4-HMAC-SHA256 Credential=" + ALICE + "/20261127/us-east-1/firehose/aws4_request"));
        assertThat(malformed.path("__type").asText()).isEqualTo("IncompleteSignatureException");

        JsonNode stale = post(signedAt(Instant.now().minus(Duration.ofMinutes(10))));
        assertThat(stale.path("__type").asText()).isEqualTo("InvalidSignatureException");
        assertThat(stale.path("message").asText()).matches("Signature expired: \\d{8}T\\d{6}Z is now earlier than \\d{8}T\\d{6}Z "
                + "\\(\\d{8}T\\d{6}Z - 5 min\\.\\)");
        JsonNode future = post(signedAt(Instant.now().plus(Duration.ofMinutes(10))));
        assertThat(future.path("message").asText()).startsWith("Signature not yet current: ").endsWith(" + 5 min.)");
        JsonNode current = post(signedAt(Instant.now()));
        assertThat(current.has("DeliveryStreamNames")).as(current.toString()).isTrue();
    }

    @Test
    void anExpiredOrUnknownSessionTokenIsRefused() {
        try (FirehoseClient expired = firehose(Clients.credentials(EXPIRED_SESSION, "expired-secret", "expired-token"));
             FirehoseClient forged = firehose(Clients.credentials(OLD_SESSION, "old-secret", "forged-token"))) {
            assertThatThrownBy(() -> expired.listDeliveryStreams(r -> r.limit(1)))
                    .isInstanceOfSatisfying(FirehoseException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredTokenException");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is expired");
                    });
            assertThatThrownBy(() -> forged.listDeliveryStreams(r -> r.limit(1)))
                    .isInstanceOfSatisfying(FirehoseException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
        }
    }

    @Test
    void stsIssuesSessionsThatSignLikeAnyOtherCredential() {
        try (StsClient sts = Clients.sts(port, alice())) {
            GetCallerIdentityResponse me = sts.getCallerIdentity();
            assertThat(me.arn()).isEqualTo("arn:aws:iam::111111111111:user/alice");
            assertThat(me.account()).isEqualTo("111111111111");
            assertThat(me.userId()).startsWith("AIDA");

            Credentials session = sts.getSessionToken(r -> r.durationSeconds(900)).credentials();
            assertThat(session.accessKeyId()).startsWith("ASIA");
            assertThat(session.expiration()).isBetween(Instant.now().plusSeconds(800), Instant.now().plusSeconds(1000));
            AwsCredentialsProvider sessionCredentials = Clients.credentials(session.accessKeyId(), session.secretAccessKey(),
                    session.sessionToken());
            try (StsClient asSession = Clients.sts(port, sessionCredentials); FirehoseClient firehose = firehose(sessionCredentials)) {
                assertThat(asSession.getCallerIdentity().arn()).isEqualTo(me.arn());
                assertThat(firehose.listDeliveryStreams(r -> r.limit(1)).sdkHttpResponse().isSuccessful()).isTrue();
                assertThatThrownBy(() -> asSession.getSessionToken())
                        .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
            }

            AssumeRoleResponse assumed = sts.assumeRole(r -> r.roleArn(DEPLOYER).roleSessionName("release-42"));
            assertThat(assumed.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::111111111111:assumed-role/deployer/release-42");
            assertThat(assumed.assumedRoleUser().assumedRoleId()).startsWith("AROA").endsWith(":release-42");
            try (StsClient asRole = Clients.sts(port, Clients.credentials(assumed.credentials().accessKeyId(),
                    assumed.credentials().secretAccessKey(), assumed.credentials().sessionToken()))) {
                assertThat(asRole.getCallerIdentity().arn()).isEqualTo(assumed.assumedRoleUser().arn());
            }
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::111111111111:role/admin").roleSessionName("x1")))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                        assertThat(e.statusCode()).isEqualTo(403);
                    });
        }
        try (StsClient stranger = Clients.sts(port, Clients.credentials("AKIASTRANGER00000000", "x"))) {
            assertThatThrownBy(stranger::getCallerIdentity)
                    .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
        }
    }

    @Test
    void sessionCredentialsOlderThanSixHoursCannotCreateAGrant() {
        String name = uniqueName("six-hours");
        AwsCredentialsProvider old = Clients.credentials(OLD_SESSION, "old-secret", "old-token");
        try (FirehoseClient firehose = firehose(old); KmsClient kms = Clients.kms(port, alice())) {
            createActive(firehose, name);
            String keyArn = kms.createKey(r -> r.description("for an old session")).keyMetadata().arn();

            firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name).deliveryStreamEncryptionConfigurationInput(
                    c -> c.keyType(KeyType.CUSTOMER_MANAGED_CMK).keyARN(keyArn)));
            var failed = awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLING_FAILED);
            assertThat(failed.failureDescription().type()).isEqualTo(DeliveryStreamFailureType.CREATE_KMS_GRANT_FAILED);

            // The AWS-owned key needs no grant: the same old session may use it.
            firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
            awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        }
        try (StsClient sts = Clients.sts(port, alice())) {
            Credentials fresh = sts.getSessionToken().credentials();
            String other = uniqueName("fresh-session");
            try (FirehoseClient firehose = firehose(Clients.credentials(fresh.accessKeyId(), fresh.secretAccessKey(), fresh.sessionToken()));
                 KmsClient kms = Clients.kms(port, alice())) {
                createActive(firehose, other);
                String keyArn = kms.createKey(r -> r.description("for a fresh session")).keyMetadata().arn();
                firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(other).deliveryStreamEncryptionConfigurationInput(
                        c -> c.keyType(KeyType.CUSTOMER_MANAGED_CMK).keyARN(keyArn)));
                awaitEncryption(firehose, other, DeliveryStreamEncryptionStatus.ENABLED);
            }
        }
    }

    /** Headers of a ListDeliveryStreams call signed by Alice with the SDK's signer at the given time. */
    Map<String, String> signedAt(Instant at) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).protocol("http").host("localhost").port(port)
                .encodedPath("/").putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "Firehose_20150804.ListDeliveryStreams").build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(ALICE, ALICE_SECRET))
                .request(request).payload(ContentStreamProvider.fromUtf8String("{}"))
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "firehose")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
        Map<String, String> headers = new java.util.HashMap<>();
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("X-Amz-Target")) {
                headers.put(name, values.get(0));
            }
        });
        return headers;
    }

    JsonNode post(Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Firehose_20150804.ListDeliveryStreams")
                .POST(HttpRequest.BodyPublishers.ofString("{}", StandardCharsets.UTF_8));
        headers.forEach(request::header);
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }
}
