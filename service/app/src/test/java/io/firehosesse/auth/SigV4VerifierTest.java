package io.firehosesse.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The AWS SigV4 test suite's vectors (AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service "service"). */
class SigV4VerifierTest {

    static final Credential EXAMPLE = new Credential("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "123456789012", "arn:aws:iam::123456789012:user/example", null, null, null);
    static final Instant SIGNED_AT = Instant.parse("2015-08-30T12:36:00Z");

    static SigV4Verifier verifierAt(Instant now) {
        return new SigV4Verifier(id -> id.equals("AKIDEXAMPLE") ? Optional.of(EXAMPLE) : Optional.empty(),
                Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(5));
    }

    static SignedRequest suiteRequest(String method, String path, String query, String signature, Map<String, String> extra) {
        Map<String, List<String>> headers = new TreeMap<>();
        headers.put("host", List.of("example.amazonaws.com"));
        headers.put("x-amz-date", List.of("20150830T123600Z"));
        StringBuilder signed = new StringBuilder("host;x-amz-date");
        extra.forEach((name, value) -> headers.put(name, List.of(value)));
        if (!extra.isEmpty()) {
            signed = new StringBuilder(String.join(";", new TreeMap<>(headers).keySet()));
        }
        headers.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=" + signed + ", Signature=" + signature));
        return new SignedRequest(method, path, query, headers, new byte[0]);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "get-vanilla, GET, '', 5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            "get-vanilla-query-order-key-case, GET, Param2=value2&Param1=value1, b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
            "post-vanilla, POST, '', 5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"})
    void acceptsTheTestSuitesSignatures(String vector, String method, String query, String signature) {
        assertThat(verifierAt(SIGNED_AT).verify(suiteRequest(method, "/", query, signature, Map.of()))).isEqualTo(EXAMPLE);
    }

    @Test
    void aSignatureOverAnotherRequestIsRefused() {
        SignedRequest tampered = suiteRequest("POST", "/", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", Map.of());
        assertThatThrownBy(() -> verifierAt(SIGNED_AT).verify(tampered))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AuthenticationException.Reason.INVALID_SIGNATURE);
                    assertThat(e.getMessage()).startsWith("The request signature we calculated does not match");
                });
    }

    @Test
    void aHeaderTheSdkNeverSignsIsStillVerified() {
        // user-agent is outside the SDK signer's set; the hand computation must agree with the SDK's on the rest.
        SignedRequest base = suiteRequest("GET", "/", "", "x", Map.of("user-agent", "fluent-bit/2.0"));
        SigV4Verifier.Authorization authorization = SigV4Verifier.parse(base.header("authorization"));
        String expected = HandSignature.of(base, authorization, EXAMPLE.secretAccessKey(), "20150830T123600Z");
        SignedRequest signed = suiteRequest("GET", "/", "", expected, Map.of("user-agent", "fluent-bit/2.0"));
        assertThat(verifierAt(SIGNED_AT).verify(signed)).isEqualTo(EXAMPLE);
        assertThat(HandSignature.of(suiteRequest("GET", "/", "", "x", Map.of()),
                SigV4Verifier.parse(suiteRequest("GET", "/", "", "x", Map.of()).header("authorization")),
                EXAMPLE.secretAccessKey(), "20150830T123600Z"))
                .isEqualTo("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    @Test
    void staleAndFutureDatesAreRefusedWithAwsWording() {
        SignedRequest request = suiteRequest("GET", "/", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", Map.of());
        assertThatThrownBy(() -> verifierAt(SIGNED_AT.plus(Duration.ofMinutes(6))).verify(request))
                .hasMessage("Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T124200Z - 5 min.)");
        assertThatThrownBy(() -> verifierAt(SIGNED_AT.minus(Duration.ofMinutes(6))).verify(request))
                .hasMessage("Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z (20150830T123000Z + 5 min.)");
    }

    @Test
    void unknownKeysMissingAndMalformedHeadersAreNamedAsAwsNamesThem() {
        Map<String, List<String>> headers = new TreeMap<>(Map.of("host", List.of("h"), "x-amz-date", List.of("20150830T123600Z"),
                "authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIDOTHER/20150830/us-east-1/service/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=00")));
        assertThatThrownBy(() -> verifierAt(SIGNED_AT).verify(new SignedRequest("GET", "/", "", headers, new byte[0])))
                .isInstanceOfSatisfying(AuthenticationException.class,
                        e -> assertThat(e.reason()).isEqualTo(AuthenticationException.Reason.UNRECOGNIZED));
        assertThatThrownBy(() -> SigV4Verifier.parse(null))
                .isInstanceOfSatisfying(AuthenticationException.class,
                        e -> assertThat(e.reason()).isEqualTo(AuthenticationException.Reason.MISSING));
        assertThatThrownBy(() -> SigV4Verifier.parse("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request"))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AuthenticationException.Reason.INCOMPLETE);
                    assertThat(e.getMessage()).contains("requires 'Signature' parameter").contains("requires 'SignedHeaders'");
                });
    }

    @Test
    void aSessionTokenMustMatchAndBeUnexpired() {
        Credential session = new Credential("ASIAEXAMPLE", EXAMPLE.secretAccessKey(), "123456789012",
                "arn:aws:sts::123456789012:assumed-role/deployer/ci", "token-1", SIGNED_AT.minusSeconds(60), SIGNED_AT.plusSeconds(60));
        SigV4Verifier verifier = new SigV4Verifier(id -> Optional.of(session), Clock.fixed(SIGNED_AT, ZoneOffset.UTC),
                Duration.ofMinutes(5));
        SignedRequest withoutToken = suiteRequest("GET", "/", "", "00", Map.of());
        assertThatThrownBy(() -> verifier.verify(withoutToken)).hasMessage(SigV4Verifier.INVALID_TOKEN);
        SigV4Verifier later = new SigV4Verifier(id -> Optional.of(session), Clock.fixed(SIGNED_AT.plusSeconds(120), ZoneOffset.UTC),
                Duration.ofMinutes(5));
        SignedRequest withToken = suiteRequest("GET", "/", "", "00", Map.of("x-amz-security-token", "token-1"));
        assertThatThrownBy(() -> later.verify(withToken)).hasMessage("The security token included in the request is expired");
        assertThat(session.sessionIssuerArn()).isEqualTo("arn:aws:iam::123456789012:role/deployer");
        assertThat(new String(new byte[0], StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aRequestTheSdkSignedForAHostWithAPortVerifiesThroughTheSdkAlone() {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        software.amazon.awssdk.http.SdkHttpRequest unsigned = software.amazon.awssdk.http.SdkHttpRequest.builder()
                .method(software.amazon.awssdk.http.SdkHttpMethod.POST).protocol("http").host("localhost").port(8080)
                .encodedPath("/").putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "Firehose_20150804.ListDeliveryStreams").build();
        software.amazon.awssdk.http.SdkHttpRequest signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create()
                .sign(r -> r.identity(software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create("AKIDEXAMPLE",
                                EXAMPLE.secretAccessKey()))
                        .request(unsigned).payload(software.amazon.awssdk.http.ContentStreamProvider.fromUtf8String("{}"))
                        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "firehose")
                        .putProperty(software.amazon.awssdk.http.auth.spi.signer.HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)))
                .request();
        Map<String, List<String>> headers = new TreeMap<>();
        signed.headers().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values));
        headers.put("host", List.of("localhost:8080"));
        headers.put("content-length", List.of("2"));
        long before = SigV4Verifier.FALLBACKS.get();

        Credential verified = verifierAt(now).verify(new SignedRequest("POST", "/", null, headers, "{}".getBytes(StandardCharsets.UTF_8)));

        assertThat(verified).isEqualTo(EXAMPLE);
        assertThat(SigV4Verifier.FALLBACKS.get()).isEqualTo(before);
    }
}
