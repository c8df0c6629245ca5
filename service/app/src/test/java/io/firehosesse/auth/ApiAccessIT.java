package io.firehosesse.auth;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.EncryptionFixtures.startWithCustomerKey;
import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.Clients;
import io.firehosesse.support.SignedCallersIT;
import io.firehosesse.support.Waits;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Who may call the REST API, route by route. The routes come from the service's own OpenAPI document, so a route added
 * tomorrow is checked without anyone listing it: anonymous and badly signed calls are refused with AWS's exception
 * names, another account never sees Alice's stream, key or audit records, and the admin routes refuse everyone the
 * credentials file does not mark admin.
 */
class ApiAccessIT extends SignedCallersIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");
    static final Pattern ADMIN_ROUTE = Pattern.compile("/api/admin(/.*)?|/api/audit/verify");

    /** Alice's stream (encrypted with her key, one record in it): what no one else may see. */
    record AliceData(String name, String arn, String keyArn) {

        /** A value for each path parameter the document names; an unknown one fails the test so it gets one here. */
        String fill(String template, boolean byArn) {
            Matcher parameter = PATH_PARAMETER.matcher(template);
            StringBuilder path = new StringBuilder();
            while (parameter.find()) {
                String value = switch (parameter.group(1)) {
                    case "name" -> byArn ? encode(arn) : name;
                    case "keyArn" -> encode(keyArn);
                    case "id" -> "no-such-replay";
                    default -> throw new AssertionError("No value for path parameter {" + parameter.group(1) + "} of "
                            + template + ": give ApiAccessIT one, so this route is checked too");
                };
                parameter.appendReplacement(path, Matcher.quoteReplacement(value));
            }
            return parameter.appendTail(path).toString();
        }
    }

    private static AliceData alice;

    /** Created once for the class: the streams are Alice's, and every check below reads them. */
    private synchronized AliceData aliceData() {
        if (alice == null) {
            String name = uniqueName("guarded");
            try (FirehoseClient firehose = Clients.firehose(port, Region.US_EAST_1, alice());
                 KmsClient kms = Clients.kms(port, alice())) {
                String arn = createActive(firehose, name);
                String keyArn = kms.createKey(r -> r.description("alice's, for ApiAccessIT")).keyMetadata().arn();
                startWithCustomerKey(firehose, name, keyArn);
                awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
                firehose.putRecord(r -> r.deliveryStreamName(name).record(x -> x.data(SdkBytes.fromUtf8String("alice's"))));
                alice = new AliceData(name, arn, keyArn);
            }
        }
        return alice;
    }

    record Route(String method, String template) {

        boolean admin() {
            return ADMIN_ROUTE.matcher(template).matches();
        }

        String body() {
            return "GET".equals(method) || "DELETE".equals(method) ? null : "{}";
        }
    }

    /** Every path and method of the OpenAPI document under /api. */
    List<Route> routes() throws Exception {
        HttpResponse<String> document = api().get("/v3/api-docs", null);
        assertThat(document.statusCode()).as(document.body()).isEqualTo(200);
        List<Route> routes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = JSON.readTree(document.body()).path("paths").fields();
             paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                routes.add(new Route(methods.next().toUpperCase(java.util.Locale.ROOT), path.getKey()));
            }
        }
        assertThat(routes).as("every route of the document is under /api").allMatch(r -> r.template().startsWith("/api/"));
        // The document lists the routes this test was written against at least; fewer would mean it read nothing.
        assertThat(routes).extracting(Route::template).contains("/api/delivery-streams", "/api/delivery-streams/{name}",
                "/api/keys/{keyArn}/delivery-streams", "/api/audit/events", "/api/audit/verify", "/api/admin/replays",
                "/api/admin/processors", "/api/admin/reset");
        return routes;
    }

    @TestFactory
    Stream<DynamicTest> everyRouteOfTheOpenApiDocumentIsGuarded() throws Exception {
        AliceData data = aliceData();
        return routes().stream().flatMap(route -> Stream.of(
                DynamicTest.dynamicTest(route + ": anonymous is refused", () -> {
                    HttpResponse<String> answer = api().send(route.method(), data.fill(route.template(), false),
                            route.body(), null);
                    assertRefused(answer, "MissingAuthenticationTokenException");
                }),
                DynamicTest.dynamicTest(route + ": a wrong secret is refused", () -> {
                    HttpResponse<String> answer = api().send(route.method(), data.fill(route.template(), false),
                            route.body(), AwsCredentialsIdentity.create(ALICE, "not-alice-secret"));
                    assertRefused(answer, "InvalidSignatureException");
                }),
                route.admin()
                        ? DynamicTest.dynamicTest(route + ": only an admin may call it", () -> {
                            for (AwsCredentialsIdentity caller : List.of(aliceKey(), bobKey())) {
                                HttpResponse<String> answer = api().send(route.method(),
                                        data.fill(route.template(), false), route.body(), caller);
                                assertRefused(answer, "AccessDeniedException");
                            }
                            if ("GET".equals(route.method())) {
                                HttpResponse<String> operator = api().send("GET", data.fill(route.template(), false),
                                        null, operatorKey());
                                assertThat(operator.statusCode()).as(operator.body()).isIn(200, 404);
                            }
                        })
                        : DynamicTest.dynamicTest(route + ": another account never sees Alice's data", () -> {
                            for (boolean byArn : List.of(false, true)) {
                                HttpResponse<String> bob = api().send(route.method(), data.fill(route.template(), byArn),
                                        route.body(), bobKey());
                                // Alice's stream, by name or ARN, is absent for Bob; elsewhere (lists, searches) an
                                // answer may have content, but none of Alice's. A 404 echoes the name Bob asked for.
                                if (route.template().contains("{name}")) {
                                    assertThat(bob.statusCode()).as(bob.body()).isEqualTo(404);
                                } else {
                                    assertThat(bob.statusCode()).as(bob.body()).isEqualTo(200);
                                    assertThat(bob.body()).doesNotContain(data.name()).doesNotContain(data.arn());
                                }
                            }
                            HttpResponse<String> own = api().send(route.method(), data.fill(route.template(), false),
                                    route.body(), aliceKey());
                            assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
                        })));
    }

    @Test
    void aCallerListsAndSearchesOnlyItsOwnAccount() throws Exception {
        AliceData data = aliceData();
        assertThat(api().get("/api/delivery-streams", aliceKey()).body()).contains(data.arn());
        assertThat(JSON.readTree(api().get("/api/delivery-streams", bobKey()).body()).path("streams")
                .findValuesAsText("name")).doesNotContain(data.name());

        String byStream = "/api/audit/events?deliveryStream=" + data.name();
        Waits.background().until(() -> JSON.readTree(api().get(byStream, aliceKey()).body()).path("Records"),
                records -> records.size() > 0);
        JsonNode bobs = JSON.readTree(api().get(byStream, bobKey()).body());
        assertThat(bobs.path("Records").size()).isZero();

        JsonNode key = JSON.readTree(api().get("/api/keys/" + encode(data.keyArn()) + "/delivery-streams", bobKey()).body());
        assertThat(key.path("count").asInt()).isZero();
        assertThat(JSON.readTree(api().get("/api/keys/" + encode(data.keyArn()) + "/delivery-streams", aliceKey()).body())
                .path("streams").findValuesAsText("name")).containsExactly(data.name());
    }

    @Test
    void noSpellingOfAnAdminPathGetsPastTheCheck() {
        for (String path : List.of("//api/admin/processors", "/api/./admin/processors", "/api/admin;x=1/processors",
                "/api/x/../admin/processors", "/api/admin/processors/", "/api/admin/processors;x", "/api/audit/verify;x",
                "/api/%61dmin/processors")) {
            for (AwsCredentialsIdentity caller : new AwsCredentialsIdentity[] {null, aliceKey()}) {
                HttpResponse<String> answer = api().send("GET", path, null, caller);
                assertThat(answer.statusCode()).as(path + " by " + (caller == null ? "anonymous" : "alice") + ": "
                        + answer.body()).isBetween(400, 499);
            }
        }
    }

    @Test
    void aSessionIssuedToAnAdminKeyIsNotAdmin() throws Exception {
        Credentials session;
        try (StsClient sts = Clients.sts(port, Clients.credentials(OPERATOR, OPERATOR_SECRET))) {
            session = sts.getSessionToken().credentials();
        }
        AwsSessionCredentialsIdentity sessionKey = AwsSessionCredentialsIdentity.create(session.accessKeyId(),
                session.secretAccessKey(), session.sessionToken());
        assertRefused(api().get("/api/admin/processors", sessionKey), "AccessDeniedException");
        assertThat(api().get("/api/admin/processors", operatorKey()).statusCode()).isEqualTo(200);
        // The session is still its account's caller for everything else.
        assertThat(api().get("/api/delivery-streams", sessionKey).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredSessionAndAnUnknownKeyAreRefusedWithTheWiresErrors() throws Exception {
        assertRefused(api().get("/api/delivery-streams", AwsSessionCredentialsIdentity.create(EXPIRED_SESSION,
                "expired-secret", "expired-token")), "ExpiredTokenException");
        assertRefused(api().get("/api/delivery-streams", AwsCredentialsIdentity.create("AKIANOBODY0000000000", "x")),
                "UnrecognizedClientException");
    }

    @Test
    void aRefusalIsRecordedInTheAuditTrail() throws Exception {
        HttpResponse<String> probe = api().send("POST", "/api/admin/replays", "{\"projection\":\"all\"}", null);
        assertRefused(probe, "MissingAuthenticationTokenException");
        String requestId = probe.headers().firstValue("x-amzn-RequestId").orElseThrow();
        JsonNode record = Waits.background().until(() -> JSON.readTree(api().get("/api/audit/events?requestId=" + requestId,
                operatorKey()).body()).path("Records"), records -> records.size() == 1).get(0);
        assertThat(record.path("eventSource").asText()).isEqualTo("firehose-sse.api");
        assertThat(record.path("eventName").asText()).isEqualTo("CallApiOperation");
        assertThat(record.path("errorCode").asText()).isEqualTo("MissingAuthenticationTokenException");
        assertThat(record.path("requestParameters").path("path").asText()).isEqualTo("/api/admin/replays");

        HttpResponse<String> denied = api().get("/api/admin/processors", bobKey());
        String deniedId = denied.headers().firstValue("x-amzn-RequestId").orElseThrow();
        JsonNode bobsRecord = Waits.background().until(() -> JSON.readTree(api().get("/api/audit/events?requestId="
                + deniedId, bobKey()).body()).path("Records"), records -> records.size() == 1).get(0);
        assertThat(bobsRecord.path("errorCode").asText()).isEqualTo("AccessDeniedException");
        assertThat(bobsRecord.path("userIdentity").path("arn").asText()).isEqualTo("arn:aws:iam::222222222222:user/bob");
    }

    @Test
    void malformedSignaturesAreRefusedAsAwsRefusesThem() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String scope = ALICE + "/20261203/us-east-1/firehose/aws4_request";
        for (String[] headers : List.of(
                new String[] {"Authorization", "Basic YWxpY2U6c2VjcmV0"},
                new String[] {"Authorization", "AWS4-HMAC-SHA256"},
                new String[] {"Authorization", "AWS4-HMAC-SHA256 Credential=/, SignedHeaders=, Signature="},
                new String[] {"Authorization", "AWS4-HMAC-SHA256 Credential=" + ALICE + "/x, SignedHeaders=host, Signature=00"},
                new String[] {"Authorization", "AWS4-HMAC-SHA256 Credential=" + scope + ", SignedHeaders=host;x-amz-date,"
                        + " Signature=00", "X-Amz-Date", "not-a-date"},
                new String[] {"Authorization", "AWS4-HMAC-SHA256 Credential=" + scope + ", SignedHeaders=host;x-amz-date,"
                        + " Signature=00"},
                new String[] {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIANOBODY/20261203/us-east-1/firehose/aws4_request,"
                        + " SignedHeaders=host, Signature=00"},
                new String[] {"Authorization", "AWS4-HMAC-SHA256 Credential=" + ALICE + "/20261203/us-east-1/kms/aws4_request,"
                        + " SignedHeaders=host, Signature=00"})) {
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + port + "/api/delivery-streams"));
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(String.join(" ", headers) + ": " + answer.body()).isEqualTo(403);
            assertThat(JSON.readTree(answer.body()).path("code").asText()).as(answer.body()).endsWith("Exception");
        }
    }

    static void assertRefused(HttpResponse<String> answer, String code) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.path("code").asText()).as(answer.body()).isEqualTo(code);
        assertThat(problem.path("title").asText()).isEqualTo(code);
        assertThat(problem.path("detail").asText()).isNotBlank();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
