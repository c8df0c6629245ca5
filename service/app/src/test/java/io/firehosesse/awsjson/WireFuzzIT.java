package io.firehosesse.awsjson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.Streams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * Fuzzes {@code POST /} over real HTTP: valid requests of a dozen Firehose and KMS operations, each mutated
 * once (wrong member types, missing required members, nulls, huge and odd strings, numbers out of range,
 * deep nesting, duplicate keys, invalid UTF-8, truncated or random bodies, bodies over the size limit,
 * wrong content types, unknown or missing targets), sent one after another on one keep-alive client.
 *
 * <p>Every answer must be a 4xx naming its error ({@code __type}, or STS's {@code <Code>} for a form
 * post without a target, which is STS's Query protocol), never a 5xx, a dropped connection or a hang.
 * A 2xx is allowed only where the mutation may leave the request valid, which is decided from the AWS
 * model the service validates against: a member dropped or nulled that is not required, a string or
 * number changed within its shape's length, pattern, enum and range, an unknown member added, a content
 * type changed (the service reads the body whatever it claims), a body sent to another operation's
 * target. Every other mutation must be refused ({@link Expect#REJECT}), and a refused call must leave no
 * trace: requests that must be refused only ever name a "victim" stream and KMS key, whose events and
 * buffered records are counted before and after, or names of their own that must never reach the event
 * store, the views or the KMS tables. Requests that may be valid name a separate stream and names, so
 * what they legitimately change never touches those counts.
 *
 * <p>The cases come from one seeded {@link Random}: the seed is printed, and {@code -Dfuzz.seed=...}
 * replays a run ({@code -Dfuzz.cases=...} makes it longer).
 */
class WireFuzzIT extends AwsClientsIT {

    static final long SEED = Long.getLong("fuzz.seed", 0x5eed_f12e_4053L);
    static final int CASES = Integer.getInteger("fuzz.cases", 3000);

    /** A request not answered in this time counts as unanswered: it only tells a hang from a busy machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String AMZ_JSON = "application/x-amz-json-1.1";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String MARKER = "@@FUZZ@@";
    private static final int MAX_STRING = WireJson.LIMITS.getMaxStringLength();
    private static final int MAX_DEPTH = WireJson.LIMITS.getMaxNestingDepth();
    private static final Pattern STS_CODE = Pattern.compile("<Code>([^<]*)</Code>");

    private static final List<String> WEIRD_STRINGS = List.of("", "\u0000", "a\u0000b", "\ud800", "x\udc00", "😀",
            "\u202eevil", "line\nbreak", "tab\tbed", "\u007f", "<x>&amp;</x>", "%s%n%x", "' OR 1=1 --", "\\", "\"",
            "ﬀ", "e\u0301", "\ufeffbom", "a".repeat(64) + "é", "arn:aws:kms:us-east-1:123456789012:key/../../etc",
            " ", "\u00a0", "null", "DirectPut ", "alias/aws/firehose");
    private static final List<String> CONTENT_TYPES = Arrays.asList(null, "application/json", "text/plain",
            "application/x-amz-json-1.0", AMZ_JSON + "; charset=utf-8", "application/octet-stream",
            "multipart/form-data; boundary=fuzz", "multipart/form-data", FORM, "garbage", "a/b; c", ";;;", "text/xml",
            "application/x-amz-json-1.1; charset=no-such-charset", "*/*");
    private static final List<String> UNKNOWN_TARGETS = List.of("Firehose_20150804.LaunchRocket", "TrentService.Bogus",
            "Firehose_20150804.", "TrentService.", ".", "", "firehose_20150804.createdeliverystream",
            "Firehose_20150804.createDeliveryStream", "Kinesis_20131202.PutRecord", "AmazonSSM.GetParameter",
            "Firehose_20150804.CreateDeliveryStream.Extra", "Firehose_20150804..PutRecord", "TrentService.CreateKey2",
            "Firehose_20150804.DeleteDeliveryStreamX", "Firehose_20150804.__proto__", "Firehose_20150804.toString");
    /** Sequences every UTF-8 decoder must refuse, and ones a lenient decoder may map to some character. */
    private static final List<byte[]> INVALID_UTF8 = List.of(bytes(0xff), bytes(0xfe), bytes(0x80), bytes(0xc3, 0x28),
            bytes(0xe2, 0x82, 0x28), bytes(0xf0, 0x28, 0x8c, 0xbc), bytes(0xf8, 0x88, 0x80, 0x80, 0x80), bytes(0xc3));
    private static final List<byte[]> DOUBTFUL_UTF8 = List.of(bytes(0xc0, 0xaf), bytes(0xed, 0xa0, 0x80),
            bytes(0xf4, 0x90, 0x80, 0x80), bytes(0xe0, 0x80, 0xaf));

    @Autowired
    JdbcClient jdbc;

    @Autowired
    WireProperties wire;

    private final ObjectMapper json = new ObjectMapper();
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Model firehoseModel = Model.load("/aws-models/firehose-2015-08-04.service-2.json");
    private final Model kmsModel = Model.load("/aws-models/kms-2014-11-01.service-2.json");
    private final String prefix = "fz" + Long.toUnsignedString(SEED, 36);
    private final String victimStream = prefix + "-victim";
    private final String freeStream = prefix + "-free";
    private String victimKeyId;
    private String victimKeyArn;
    private List<Template> templates;

    /** Whether a case's request must be refused, or may stay valid (then a 2xx is as good as a 4xx). */
    enum Expect { REJECT, EITHER }

    /** The names a request may use: the victims for requests that must be refused, others otherwise. */
    record Names(String stream, String newStream, String keyDescription, String alias, String keyId, String keyArn) {
    }

    record Template(String target, Model model, BiFunction<Names, Random, ObjectNode> body) {

        String inputShape() {
            return model.inputShape(target.substring(target.indexOf('.') + 1));
        }
    }

    /** A member, list element or map value of a request, with the shape the model gives it. */
    record Site(List<Object> path, String shapeName, JsonNode shape, boolean required, String container, int depth) {

        String type() {
            return shape.path("type").asText();
        }
    }

    /** What a mutation makes of a request: the body from the final tree, and any header it changes. */
    record Plan(String kind, Expect expect, Function<ObjectNode, byte[]> body, boolean keepTarget, String target,
                boolean keepContentType, String contentType, Boolean chunked, boolean query) {

        static Plan body(String kind, Expect expect, Function<ObjectNode, byte[]> body) {
            return new Plan(kind, expect, body, true, null, true, null, null, false);
        }
    }

    record Case(int index, String kind, Expect expect, String target, String contentType, byte[] body, boolean chunked,
                boolean query, String createdName) {

        String describe() {
            String shown = new String(body, 0, Math.min(body.length, 240), StandardCharsets.ISO_8859_1)
                    .replaceAll("[^\\x20-\\x7e]", "?");
            return "#" + index + " " + kind + " (" + expect + ") target=" + target + " content-type=" + contentType
                    + (chunked ? " chunked" : "") + " body[" + body.length + "]=" + shown;
        }
    }

    record Answer(int status, String type, String failure, String body) {
    }

    @Test
    void everyMalformedRequestIsAFourHundredWithATypeAndLeavesNoTrace() throws Exception {
        Streams.createActive(firehose, victimStream);
        Streams.createActive(firehose, freeStream);
        KeyMetadata key = newKey(prefix + "-key");
        victimKeyId = key.keyId();
        victimKeyArn = key.arn();
        templates = templates();
        String victimId = jdbc.sql("SELECT stream_id FROM delivery_stream_view WHERE name = :name")
                .param("name", victimStream).query(String.class).single();
        long eventsBefore = settledEventCount(victimId);
        long recordsBefore = recordCount(victimId);

        Random random = new Random(SEED);
        Map<String, Integer> byStatus = new TreeMap<>();
        Map<String, Integer> byType = new TreeMap<>();
        Map<String, Integer> byKind = new TreeMap<>();
        Map<Expect, Integer> byExpect = new TreeMap<>();
        Map<String, Long> millisByKind = new TreeMap<>();
        Map<String, Long> millisByTarget = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        List<String> refusedCreations = new ArrayList<>();
        long bytesSent = 0;
        long started = System.nanoTime();
        for (int i = 0; i < CASES; i++) {
            Case c = generate(i, random);
            long sent = System.nanoTime();
            Answer answer = send(c);
            millisByKind.merge(c.kind(), (System.nanoTime() - sent) / 1_000_000, Long::sum);
            String operation = c.target() == null ? "(none)" : templates.stream().anyMatch(t -> t.target().equals(c.target()))
                    ? c.target().substring(c.target().indexOf('.') + 1) : "(unknown)";
            millisByTarget.merge(operation, (System.nanoTime() - sent) / 1_000_000, Long::sum);
            bytesSent += c.body().length;
            byKind.merge(c.kind(), 1, Integer::sum);
            byExpect.merge(c.expect(), 1, Integer::sum);
            byStatus.merge(answer.failure() != null ? answer.failure() : Integer.toString(answer.status()), 1, Integer::sum);
            if (answer.type() != null) {
                byType.merge(answer.type(), 1, Integer::sum);
            }
            String problem = judge(c, answer);
            if (problem != null) {
                failures.add(problem + ": " + c.describe() + " -> " + answer.status() + " " + answer.body());
            }
            if (c.createdName() != null && answer.status() >= 400) {
                refusedCreations.add(c.createdName());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        System.out.printf("WireFuzzIT seed=%d (0x%x) cases=%d in %.1f s (%.0f requests/s, %.1f MiB sent)%n", SEED, SEED,
                CASES, seconds, CASES / seconds, bytesSent / 1048576.0);
        System.out.println("  by expectation: " + byExpect);
        System.out.println("  by status:      " + byStatus);
        System.out.println("  by type:        " + byType);
        System.out.println("  by mutation:    " + byKind);
        System.out.println("  ms by mutation: " + millisByKind);
        System.out.println("  ms by target:   " + millisByTarget);

        assertThat(failures).as("answers that break the contract (seed " + SEED + "), first 25 shown")
                .satisfies(f -> assertThat(f.subList(0, Math.min(25, f.size()))).isEmpty());

        long eventsAfter = settledEventCount(victimId);
        long recordsAfter = recordCount(victimId);
        System.out.printf("  victim stream: events %d -> %d, buffered records %d -> %d; refused creations checked: %d%n",
                eventsBefore, eventsAfter, recordsBefore, recordsAfter, refusedCreations.size());
        assertThat(eventsAfter).as("events of the stream only refused calls named").isEqualTo(eventsBefore);
        assertThat(recordsAfter).as("records of the stream only refused calls named").isEqualTo(recordsBefore);
        assertNoTraceOf(prefix + "-r-");
        assertRefusedCreationsLeftNothing(refusedCreations);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The operations and their valid requests

    private List<Template> templates() {
        String firehose = "Firehose_20150804.";
        String kms = "TrentService.";
        return List.of(
                new Template(firehose + "CreateDeliveryStream", firehoseModel, (n, r) -> {
                    ObjectNode body = obj().put("DeliveryStreamName", n.newStream()).put("DeliveryStreamType", "DirectPut");
                    ObjectNode s3 = body.putObject("ExtendedS3DestinationConfiguration")
                            .put("RoleARN", "arn:aws:iam::123456789012:role/firehose-delivery")
                            .put("BucketARN", "arn:aws:s3:::fuzz-bucket")
                            .put("Prefix", "fuzz/")
                            .put("ErrorOutputPrefix", "errors/")
                            .put("CompressionFormat", "UNCOMPRESSED");
                    s3.putObject("BufferingHints").put("SizeInMBs", 1 + r.nextInt(128)).put("IntervalInSeconds", r.nextInt(901));
                    body.putArray("Tags").addObject().put("Key", "team").put("Value", "fuzz");
                    return body;
                }),
                new Template(firehose + "CreateDeliveryStream", firehoseModel, (n, r) -> {
                    ObjectNode body = obj().put("DeliveryStreamName", n.newStream());
                    ObjectNode http = body.putObject("HttpEndpointDestinationConfiguration");
                    http.putObject("EndpointConfiguration").put("Url", "https://receiver.example.com/fuzz")
                            .put("Name", "fuzz").put("AccessKey", "fuzz-secret-" + r.nextInt(1000));
                    http.putObject("BufferingHints").put("SizeInMBs", 1 + r.nextInt(64)).put("IntervalInSeconds", r.nextInt(901));
                    http.putObject("RequestConfiguration").put("ContentEncoding", r.nextBoolean() ? "GZIP" : "NONE")
                            .putArray("CommonAttributes").addObject().put("AttributeName", "team").put("AttributeValue", "fuzz");
                    http.putObject("RetryOptions").put("DurationInSeconds", r.nextInt(7201));
                    http.put("S3BackupMode", "FailedDataOnly");
                    http.putObject("S3Configuration").put("RoleARN", "arn:aws:iam::123456789012:role/firehose-delivery")
                            .put("BucketARN", "arn:aws:s3:::fuzz-backup");
                    return body;
                }),
                new Template(firehose + "UpdateDestination", firehoseModel, (n, r) -> {
                    ObjectNode body = obj().put("DeliveryStreamName", n.stream()).put("CurrentDeliveryStreamVersionId", "1")
                            .put("DestinationId", "destinationId-000000000001");
                    body.putObject("ExtendedS3DestinationUpdate").put("Prefix", "fuzz-" + r.nextInt(100) + "/")
                            .putObject("BufferingHints").put("SizeInMBs", 1 + r.nextInt(128)).put("IntervalInSeconds", r.nextInt(901));
                    return body;
                }),
                new Template(firehose + "DescribeDeliveryStream", firehoseModel, (n, r) -> obj()
                        .put("DeliveryStreamName", n.stream()).put("Limit", 1 + r.nextInt(100))
                        .put("ExclusiveStartDestinationId", "destinationId-000000000000")),
                new Template(firehose + "ListDeliveryStreams", firehoseModel, (n, r) -> obj()
                        .put("Limit", 1 + r.nextInt(20)).put("DeliveryStreamType", "DirectPut")
                        .put("ExclusiveStartDeliveryStreamName", prefix)),
                new Template(firehose + "PutRecord", firehoseModel, (n, r) -> {
                    ObjectNode body = obj().put("DeliveryStreamName", n.stream());
                    body.putObject("Record").put("Data", base64(r, 1 + r.nextInt(64)));
                    return body;
                }),
                new Template(firehose + "PutRecordBatch", firehoseModel, (n, r) -> {
                    ObjectNode body = obj().put("DeliveryStreamName", n.stream());
                    ArrayNode records = body.putArray("Records");
                    for (int i = 0, count = 1 + r.nextInt(5); i < count; i++) {
                        records.addObject().put("Data", base64(r, 1 + r.nextInt(64)));
                    }
                    return body;
                }),
                new Template(firehose + "StartDeliveryStreamEncryption", firehoseModel, (n, r) -> {
                    ObjectNode body = obj().put("DeliveryStreamName", n.stream());
                    ObjectNode key = body.putObject("DeliveryStreamEncryptionConfigurationInput");
                    if (r.nextBoolean()) {
                        key.put("KeyType", "AWS_OWNED_CMK");
                    } else {
                        key.put("KeyType", "CUSTOMER_MANAGED_CMK").put("KeyARN", n.keyArn());
                    }
                    return body;
                }),
                new Template(firehose + "TagDeliveryStream", firehoseModel, (n, r) -> {
                    ObjectNode body = obj().put("DeliveryStreamName", n.stream());
                    body.putArray("Tags").addObject().put("Key", "k" + r.nextInt(20)).put("Value", "v" + r.nextInt(1000));
                    return body;
                }),
                new Template(firehose + "ListTagsForDeliveryStream", firehoseModel, (n, r) -> obj()
                        .put("DeliveryStreamName", n.stream()).put("Limit", 1 + r.nextInt(50))),
                new Template(kms + "CreateKey", kmsModel, (n, r) -> {
                    ObjectNode body = obj().put("Description", n.keyDescription()).put("KeyUsage", "ENCRYPT_DECRYPT")
                            .put("KeySpec", "SYMMETRIC_DEFAULT");
                    body.putArray("Tags").addObject().put("TagKey", "team").put("TagValue", "fuzz");
                    return body;
                }),
                new Template(kms + "Encrypt", kmsModel, (n, r) -> {
                    ObjectNode body = obj().put("KeyId", r.nextBoolean() ? n.keyId() : n.keyArn())
                            .put("Plaintext", base64(r, 1 + r.nextInt(256)));
                    body.putObject("EncryptionContext").put("purpose", "fuzz").put("case", Integer.toString(r.nextInt(1000)));
                    return body;
                }),
                new Template(kms + "GenerateDataKey", kmsModel, (n, r) -> {
                    ObjectNode body = obj().put("KeyId", n.keyId()).put("KeySpec", r.nextBoolean() ? "AES_256" : "AES_128");
                    body.putObject("EncryptionContext").put("purpose", "fuzz");
                    return body;
                }),
                new Template(kms + "DescribeKey", kmsModel, (n, r) -> obj().put("KeyId", n.keyId())),
                new Template(kms + "ListKeys", kmsModel, (n, r) -> obj().put("Limit", 1 + r.nextInt(100))),
                new Template(kms + "CreateAlias", kmsModel, (n, r) -> obj()
                        .put("AliasName", n.alias()).put("TargetKeyId", n.keyId())),
                // The operations below are refused for the victim key (a symmetric key of Origin AWS_KMS, in no custom
                // key store, single-Region) however their request is mutated, so they may name it: they must answer a
                // 4xx with a type, never a 5xx, and change nothing.
                new Template(kms + "DeriveSharedSecret", kmsModel, (n, r) -> obj().put("KeyId", n.keyId())
                        .put("KeyAgreementAlgorithm", "ECDH").put("PublicKey", base64(r, 1 + r.nextInt(160)))),
                new Template(kms + "GetParametersForImport", kmsModel, (n, r) -> obj().put("KeyId", n.keyId())
                        .put("WrappingAlgorithm", r.nextBoolean() ? "RSAES_OAEP_SHA_256" : "RSA_AES_KEY_WRAP_SHA_256")
                        .put("WrappingKeySpec", "RSA_2048")),
                new Template(kms + "ImportKeyMaterial", kmsModel, (n, r) -> obj().put("KeyId", n.keyId())
                        .put("ImportToken", base64(r, 64)).put("EncryptedKeyMaterial", base64(r, 256))
                        .put("ExpirationModel", "KEY_MATERIAL_EXPIRES").put("ValidTo", 1_900_000_000 + r.nextInt(1000))),
                new Template(kms + "DeleteImportedKeyMaterial", kmsModel, (n, r) -> obj().put("KeyId", n.keyId())),
                new Template(kms + "ReplicateKey", kmsModel, (n, r) -> obj().put("KeyId", n.keyArn())
                        .put("ReplicaRegion", "eu-west-1").put("Description", n.keyDescription())),
                new Template(kms + "UpdatePrimaryRegion", kmsModel, (n, r) -> obj().put("KeyId", n.keyArn())
                        .put("PrimaryRegion", "eu-west-1")),
                new Template(kms + "CreateCustomKeyStore", kmsModel, (n, r) -> obj()
                        .put("CustomKeyStoreName", n.keyDescription()).put("CustomKeyStoreType", "AWS_CLOUDHSM")
                        .put("CloudHsmClusterId", "cluster-abcdefghijk").put("KeyStorePassword", "fuzz-password")
                        .put("TrustAnchorCertificate", "-----BEGIN CERTIFICATE-----")),
                new Template(kms + "DescribeCustomKeyStores", kmsModel, (n, r) -> obj().put("Limit", 1 + r.nextInt(100))),
                new Template(kms + "ConnectCustomKeyStore", kmsModel, (n, r) -> obj()
                        .put("CustomKeyStoreId", "cks-" + Integer.toHexString(r.nextInt()))));
    }

    private Names names(Expect expect, int index) {
        String mark = expect == Expect.REJECT ? "-r-" : "-v-";
        return new Names(expect == Expect.REJECT ? victimStream : freeStream, prefix + mark + index, prefix + mark + index,
                "alias/" + prefix + mark + index, victimKeyId, victimKeyArn);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Generating a case: pick an operation, a mutation and where it applies; decide what the answer may be

    private enum Kind {
        VALID(2), WRONG_TYPE(14), DROP_MEMBER(8), NULL_VALUE(6), HUGE_STRING(3), WEIRD_STRING(12), INT_OUT_OF_RANGE(5),
        INT_IN_RANGE(3), FLOAT_FOR_INT(3), NUMBER_TOO_LONG(2), BAD_ENUM(4), HUGE_BLOB(2), BAD_BASE64(3),
        LIST_TOO_LONG(2), EMPTY_LIST(2), UNKNOWN_MEMBER(4), DEEP_NESTING(4), DEEP_UNKNOWN_MEMBER(3),
        ARRAY_FOR_OBJECT(4), DUPLICATE_KEY(5), INVALID_UTF8(6), TRUNCATED(6), RANDOM_BYTES(5), TOP_LEVEL_SCALAR(2),
        DEEP_BODY(2), OVER_LIMIT(1), CONTENT_TYPE(6), UNKNOWN_TARGET(5), MISSING_TARGET(4), CROSS_TARGET(4);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }

        static Kind pick(Random random) {
            int total = Arrays.stream(values()).mapToInt(k -> k.weight).sum();
            int roll = random.nextInt(total);
            for (Kind kind : values()) {
                roll -= kind.weight;
                if (roll < 0) {
                    return kind;
                }
            }
            throw new IllegalStateException();
        }
    }

    private Case generate(int index, Random random) {
        while (true) {
            Template template = templates.get(random.nextInt(templates.size()));
            long buildSeed = random.nextLong();
            ObjectNode probe = template.body().apply(names(Expect.REJECT, index), new Random(buildSeed));
            Plan plan = plan(Kind.pick(random), template, probe, random);
            if (plan == null) {
                continue; // the mutation has nowhere to apply in this request: draw again
            }
            ObjectNode tree = template.body().apply(names(plan.expect(), index), new Random(buildSeed));
            byte[] body = plan.body().apply(tree);
            String target = plan.keepTarget() ? template.target() : plan.target();
            String contentType = plan.keepContentType() ? AMZ_JSON : plan.contentType();
            boolean chunked = plan.chunked() != null ? plan.chunked() : random.nextInt(5) == 0;
            String created = null;
            if (plan.expect() == Expect.EITHER && target != null && !plan.query()
                    && (target.endsWith(".CreateDeliveryStream") || target.endsWith(".CreateKey")
                    || target.endsWith(".CreateAlias"))) {
                created = prefix + "-v-" + index;
            }
            return new Case(index, plan.kind(), plan.expect(), target, contentType, body, chunked, plan.query(), created);
        }
    }

    private Plan plan(Kind kind, Template template, ObjectNode probe, Random random) {
        Model model = template.model();
        List<Site> sites = sites(model, template.inputShape(), probe);
        switch (kind) {
            case VALID:
                return Plan.body("valid", Expect.EITHER, this::write);
            case WRONG_TYPE: {
                Site site = pick(random, sites, s -> true);
                List<JsonNode> wrong = new ArrayList<>();
                for (JsonNode candidate : List.of(IntNode.valueOf(7), TextNode.valueOf("7"), BooleanNode.TRUE,
                        nodes.arrayNode(), nodes.objectNode(), DoubleNode.valueOf(1.5), nodes.arrayNode().add("x"))) {
                    if (!fits(site.type(), candidate)) {
                        wrong.add(candidate);
                    }
                }
                JsonNode value = wrong.get(random.nextInt(wrong.size()));
                return Plan.body("wrong-type", Expect.REJECT, tree -> site.path().isEmpty() ? write(value) : write(set(tree, site, value)));
            }
            case DROP_MEMBER: {
                Site site = pick(random, sites, s -> s.container().equals("structure"));
                return site == null ? null : Plan.body("drop-member", site.required() ? Expect.REJECT : Expect.EITHER,
                        tree -> write(remove(tree, site)));
            }
            case NULL_VALUE: {
                Site site = pick(random, sites, s -> !s.path().isEmpty());
                if (site == null) {
                    return null;
                }
                Expect expect = switch (site.container()) {
                    case "structure" -> site.required() ? Expect.REJECT : Expect.EITHER;
                    case "list" -> Expect.REJECT;
                    default -> Expect.EITHER; // a map value: AWS's models say nothing of nulls there
                };
                return Plan.body("null", expect, tree -> write(set(tree, site, NullNode.instance)));
            }
            case HUGE_STRING: {
                Site site = pick(random, sites, s -> s.type().equals("string"));
                if (site == null) {
                    return null;
                }
                List<Integer> lengths = new ArrayList<>(List.of(100_000, MAX_STRING + 1 + random.nextInt(100_000)));
                if (site.shape().has("max")) {
                    lengths.add(site.shape().get("max").asInt() + 1);
                    lengths.add(site.shape().get("max").asInt() + 1 + random.nextInt(1000));
                }
                String value = "a".repeat(lengths.get(random.nextInt(lengths.size())));
                return Plan.body("huge-string", stringExpect(site.shape(), value), tree -> write(set(tree, site, TextNode.valueOf(value))));
            }
            case WEIRD_STRING: {
                Site site = pick(random, sites, s -> s.type().equals("string"));
                if (site == null) {
                    return null;
                }
                String value = WEIRD_STRINGS.get(random.nextInt(WEIRD_STRINGS.size()));
                return Plan.body("weird-string", stringExpect(site.shape(), value), tree -> write(set(tree, site, TextNode.valueOf(value))));
            }
            case INT_OUT_OF_RANGE: {
                Site site = pick(random, sites, s -> s.type().equals("integer") || s.type().equals("long"));
                if (site == null) {
                    return null;
                }
                List<BigInteger> values = new ArrayList<>(List.of(BigInteger.TWO.pow(31), BigInteger.TWO.pow(31).negate().subtract(BigInteger.ONE),
                        BigInteger.TWO.pow(63), BigInteger.TWO.pow(64).add(BigInteger.valueOf(5)), BigInteger.TEN.pow(30),
                        BigInteger.TEN.pow(40).negate()));
                if (site.shape().has("min")) {
                    values.add(BigInteger.valueOf(site.shape().get("min").asLong() - 1));
                }
                if (site.shape().has("max")) {
                    values.add(BigInteger.valueOf(site.shape().get("max").asLong() + 1));
                }
                BigInteger value = values.get(random.nextInt(values.size()));
                return Plan.body("int-out-of-range", integerExpect(site, value), tree -> write(set(tree, site, BigIntegerNode.valueOf(value))));
            }
            case INT_IN_RANGE: {
                Site site = pick(random, sites, s -> s.type().equals("integer") || s.type().equals("long"));
                if (site == null) {
                    return null;
                }
                long min = site.shape().path("min").asLong(0);
                long max = site.shape().path("max").asLong(1000);
                BigInteger value = BigInteger.valueOf(min + (long) (random.nextDouble() * (max - min + 1)));
                return Plan.body("int-in-range", integerExpect(site, value), tree -> write(set(tree, site, BigIntegerNode.valueOf(value))));
            }
            case FLOAT_FOR_INT: {
                Site site = pick(random, sites, s -> s.type().equals("integer") || s.type().equals("long"));
                if (site == null) {
                    return null;
                }
                String number = List.of("1.5", "1e2", "-0.0", "1E+400", "3.0", "1e-400").get(random.nextInt(6));
                return Plan.body("float-for-int", Expect.REJECT, tree -> raw(set(tree, site, TextNode.valueOf(MARKER)), number));
            }
            case NUMBER_TOO_LONG: {
                Site site = pick(random, sites, s -> s.type().equals("integer") || s.type().equals("long"));
                if (site == null) {
                    return null;
                }
                String digits = (random.nextBoolean() ? "-" : "") + "1" + "0".repeat(List.of(101, 1000, 100_000).get(random.nextInt(3)))
                        + (random.nextBoolean() ? "" : ".5e3");
                return Plan.body("number-too-long", Expect.REJECT, tree -> raw(set(tree, site, TextNode.valueOf(MARKER)), digits));
            }
            case BAD_ENUM: {
                Site site = pick(random, sites, s -> s.shape().has("enum"));
                if (site == null) {
                    return null;
                }
                String first = site.shape().get("enum").get(0).asText();
                String value = List.of("", "NOT_A_VALUE", first.toLowerCase(), first + " ", " " + first).get(random.nextInt(5));
                return Plan.body("bad-enum", stringExpect(site.shape(), value), tree -> write(set(tree, site, TextNode.valueOf(value))));
            }
            case HUGE_BLOB: {
                Site site = pick(random, sites, s -> s.type().equals("blob"));
                if (site == null) {
                    return null;
                }
                int max = site.shape().path("max").asInt(1_000_000);
                int size = List.of(max + 1, max, 1_500_000, 1_600_000).get(random.nextInt(4));
                String value = base64(random, size);
                return Plan.body("huge-blob", blobExpect(site.shape(), value), tree -> write(set(tree, site, TextNode.valueOf(value))));
            }
            case BAD_BASE64: {
                Site site = pick(random, sites, s -> s.type().equals("blob"));
                if (site == null) {
                    return null;
                }
                String value = List.of("not base64!", "YQ", "YQ=", "====", "Zm9v\nYmFy", "Zm9v_-==", "😀", "", "Zg==Zg==")
                        .get(random.nextInt(9));
                return Plan.body("bad-base64", blobExpect(site.shape(), value), tree -> write(set(tree, site, TextNode.valueOf(value))));
            }
            case LIST_TOO_LONG: {
                Site site = pick(random, sites, s -> s.type().equals("list") && s.shape().has("max"));
                if (site == null) {
                    return null;
                }
                int count = site.shape().get("max").asInt() + 1;
                return Plan.body("list-too-long", Expect.REJECT, tree -> {
                    ArrayNode list = (ArrayNode) at(tree, site.path());
                    JsonNode first = list.get(0);
                    while (list.size() < count) {
                        list.add(first.deepCopy());
                    }
                    return write(tree);
                });
            }
            case EMPTY_LIST: {
                Site site = pick(random, sites, s -> s.type().equals("list"));
                return site == null ? null : Plan.body("empty-list",
                        site.shape().path("min").asInt(0) > 0 ? Expect.REJECT : Expect.EITHER,
                        tree -> write(set(tree, site, nodes.arrayNode())));
            }
            case UNKNOWN_MEMBER: {
                Site site = pick(random, sites, s -> s.type().equals("structure"));
                JsonNode value = List.<JsonNode>of(IntNode.valueOf(1), TextNode.valueOf("x"), nodes.arrayNode().add(1),
                        nodes.objectNode().put("a", "b"), NullNode.instance).get(random.nextInt(5));
                return Plan.body("unknown-member", Expect.EITHER, tree -> {
                    ((ObjectNode) at(tree, site.path())).set("FuzzExtra", value);
                    return write(tree);
                });
            }
            case DEEP_NESTING: {
                Site site = pick(random, sites, s -> true);
                int depth = List.of(2, 10, MAX_DEPTH + 8, 1000, 100_000).get(random.nextInt(5));
                String nested = "[".repeat(depth) + "]".repeat(depth);
                return Plan.body("deep-nesting", Expect.REJECT, tree -> site.path().isEmpty()
                        ? nested.getBytes(StandardCharsets.UTF_8) : raw(set(tree, site, TextNode.valueOf(MARKER)), nested));
            }
            case DEEP_UNKNOWN_MEMBER: {
                // Nesting the parser accepts is ignored, as an unknown member is; nesting beyond its limit is refused.
                Site site = pick(random, sites, s -> s.type().equals("structure"));
                boolean tooDeep = random.nextBoolean();
                int depth = tooDeep ? MAX_DEPTH + 2 + random.nextInt(3 * MAX_DEPTH) : 1 + random.nextInt(Math.max(1, MAX_DEPTH - 2 - site.depth()));
                String nested = "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
                return Plan.body("deep-unknown-member", tooDeep ? Expect.REJECT : Expect.EITHER, tree -> {
                    ((ObjectNode) at(tree, site.path())).put("FuzzDeep", MARKER);
                    return raw(tree, nested);
                });
            }
            case ARRAY_FOR_OBJECT: {
                Site site = pick(random, sites, s -> s.type().equals("structure") || s.type().equals("map"));
                return Plan.body("array-for-object", Expect.REJECT, tree -> {
                    JsonNode wrapped = nodes.arrayNode().add(at(tree, site.path()).deepCopy());
                    return site.path().isEmpty() ? write(wrapped) : write(set(tree, site, wrapped));
                });
            }
            case DUPLICATE_KEY: {
                Site site = pick(random, sites, s -> (s.type().equals("structure") || s.type().equals("map"))
                        && at(probe, s.path()).size() > 0);
                if (site == null) {
                    return null;
                }
                boolean sameValue = random.nextBoolean();
                return Plan.body("duplicate-key", Expect.REJECT, tree -> {
                    ObjectNode object = (ObjectNode) at(tree, site.path());
                    Map.Entry<String, JsonNode> first = object.fields().next();
                    object.set(MARKER, sameValue ? first.getValue().deepCopy() : TextNode.valueOf("other"));
                    return replace(write(tree), quoted(MARKER), quoted(first.getKey()));
                });
            }
            case INVALID_UTF8: {
                Site site = pick(random, sites, s -> s.type().equals("string") || s.type().equals("blob"));
                if (site == null) {
                    return null;
                }
                boolean certain = random.nextInt(4) != 0;
                List<byte[]> choices = certain ? INVALID_UTF8 : DOUBTFUL_UTF8;
                byte[] bad = choices.get(random.nextInt(choices.size()));
                boolean inName = certain && random.nextInt(4) == 0;
                return Plan.body(certain ? "invalid-utf8" : "doubtful-utf8", certain ? Expect.REJECT : Expect.EITHER, tree -> {
                    if (inName) {
                        tree.put("a" + MARKER + "b", 1);
                        return replace(write(tree), MARKER.getBytes(StandardCharsets.UTF_8), bad);
                    }
                    return replace(write(set(tree, site, TextNode.valueOf("x" + MARKER + "y"))), MARKER.getBytes(StandardCharsets.UTF_8), bad);
                });
            }
            case TRUNCATED:
                return Plan.body("truncated", Expect.REJECT, tree -> {
                    byte[] whole = write(tree);
                    return Arrays.copyOf(whole, 1 + random.nextInt(whole.length - 1));
                });
            case RANDOM_BYTES: {
                byte[] body = randomBody(random);
                return Plan.body("random-bytes", parsesAsObject(body) ? Expect.EITHER : Expect.REJECT, tree -> body);
            }
            case TOP_LEVEL_SCALAR: {
                String body = List.of("null", "42", "\"x\"", "true", "[]", "[{}]", "1e999", " null ", "-", "\"{}\"")
                        .get(random.nextInt(10));
                return Plan.body("top-level-scalar", Expect.REJECT, tree -> body.getBytes(StandardCharsets.UTF_8));
            }
            case DEEP_BODY: {
                int depth = List.of(MAX_DEPTH + 1, 1000, 100_000, 1_000_000).get(random.nextInt(4));
                String body = switch (random.nextInt(3)) {
                    case 0 -> "[".repeat(depth) + "]".repeat(depth);
                    case 1 -> "[".repeat(depth);
                    default -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
                };
                return Plan.body("deep-body", Expect.REJECT, tree -> body.getBytes(StandardCharsets.UTF_8));
            }
            case OVER_LIMIT: {
                long limit = wire.maxBodyBytes().toBytes();
                boolean atLimit = random.nextInt(5) == 0;
                int size = (int) (atLimit ? limit : limit + 1 + random.nextInt(1024 * 1024));
                // Mostly chunked: a declared length over the limit is refused unread, and the JDK client then
                // takes up to a second to notice, which is the client's business but slows the run.
                boolean chunked = random.nextInt(4) != 0;
                // JSON allows any whitespace between tokens: a body padded up to the limit stays the same request.
                return new Plan(atLimit ? "at-limit" : "over-limit", atLimit ? Expect.EITHER : Expect.REJECT,
                        tree -> pad(write(tree), size), true, null, true, null, chunked, false);
            }
            case CONTENT_TYPE: {
                String contentType = CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()));
                return new Plan("content-type", Expect.EITHER, this::write, true, null, false, contentType, null, false);
            }
            case UNKNOWN_TARGET: {
                String target = random.nextInt(4) == 0 ? randomAscii(random, 1 + random.nextInt(40))
                        : UNKNOWN_TARGETS.get(random.nextInt(UNKNOWN_TARGETS.size()));
                if (templates.stream().anyMatch(t -> t.target().equals(target))) {
                    return null;
                }
                return new Plan("unknown-target", Expect.REJECT, this::write, false, target, true, null, null, false);
            }
            case MISSING_TARGET: {
                if (random.nextBoolean()) {
                    String contentType = Arrays.asList(null, AMZ_JSON, "application/json").get(random.nextInt(3));
                    return new Plan("missing-target", Expect.REJECT, this::write, false, null, false, contentType, null, false);
                }
                // A form post without a target is STS's Query protocol: STS must refuse it in its own dialect.
                String form = List.of("%", "%zz", "Action=%E0%A4%A", "Action=GetCallerIdentity&Version=2011-06-15",
                        "Action=LaunchRocket", "Action=AssumeRole&RoleArn=%ZZ", "").get(random.nextInt(7));
                boolean valid = form.startsWith("Action=GetCallerIdentity");
                boolean json = random.nextInt(3) == 0;
                return new Plan(json ? "missing-target-form-json" : "missing-target-form", valid && !json ? Expect.EITHER : Expect.REJECT,
                        tree -> json ? write(tree) : form.getBytes(StandardCharsets.UTF_8), false, null, false, FORM, null, true);
            }
            case CROSS_TARGET: {
                String target = templates.get(random.nextInt(templates.size())).target();
                return new Plan("cross-target", Expect.EITHER, this::write, false, target, true, null, null, false);
            }
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    /** Every member, element and map value of a request, each with its shape in the model. */
    private static List<Site> sites(Model model, String inputShape, ObjectNode root) {
        List<Site> sites = new ArrayList<>();
        sites.add(new Site(List.of(), inputShape, model.shape(inputShape), false, "root", 1));
        collect(model, model.shape(inputShape), root, new ArrayList<>(), 1, sites);
        return sites;
    }

    private static void collect(Model model, JsonNode shape, JsonNode value, List<Object> path, int depth, List<Site> sites) {
        switch (shape.path("type").asText()) {
            case "structure" -> {
                Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    JsonNode member = shape.path("members").get(field.getKey());
                    if (member == null) {
                        continue;
                    }
                    String name = member.get("shape").asText();
                    boolean required = false;
                    for (JsonNode r : shape.path("required")) {
                        required |= r.asText().equals(field.getKey());
                    }
                    descend(model, name, field.getValue(), path, field.getKey(), required, "structure", depth, sites);
                }
            }
            case "list" -> {
                for (int i = 0; i < value.size(); i++) {
                    descend(model, shape.path("member").path("shape").asText(), value.get(i), path, i, false, "list", depth, sites);
                }
            }
            case "map" -> {
                Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    descend(model, shape.path("value").path("shape").asText(), field.getValue(), path, field.getKey(), false,
                            "map", depth, sites);
                }
            }
            default -> {
            }
        }
    }

    private static void descend(Model model, String shapeName, JsonNode value, List<Object> path, Object step, boolean required,
                                String container, int depth, List<Site> sites) {
        List<Object> childPath = new ArrayList<>(path);
        childPath.add(step);
        int childDepth = value.isContainerNode() ? depth + 1 : depth;
        sites.add(new Site(List.copyOf(childPath), shapeName, model.shape(shapeName), required, container, childDepth));
        collect(model, model.shape(shapeName), value, childPath, childDepth, sites);
    }

    private static Site pick(Random random, List<Site> sites, java.util.function.Predicate<Site> applies) {
        List<Site> candidates = sites.stream().filter(applies).toList();
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // The model as an oracle: may a value stay valid?

    private static boolean fits(String type, JsonNode value) {
        return switch (type) {
            case "string", "blob" -> value.isTextual();
            case "integer", "long" -> value.isIntegralNumber();
            case "double", "float" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "structure", "map" -> value.isObject();
            case "list" -> value.isArray();
            case "timestamp" -> value.isNumber() || value.isTextual();
            default -> true;
        };
    }

    private static Expect stringExpect(JsonNode shape, String value) {
        if (value.length() > MAX_STRING) {
            return Expect.REJECT;
        }
        if (shape.has("enum")) {
            for (JsonNode allowed : shape.get("enum")) {
                if (allowed.asText().equals(value)) {
                    return Expect.EITHER;
                }
            }
            return Expect.REJECT;
        }
        long length = value.codePointCount(0, value.length());
        if (shape.has("min") && length < shape.get("min").asLong() || shape.has("max") && length > shape.get("max").asLong()) {
            return Expect.REJECT;
        }
        if (shape.has("pattern")) {
            try {
                if (!Pattern.compile(shape.get("pattern").asText()).matcher(value).matches()) {
                    return Expect.REJECT;
                }
            } catch (PatternSyntaxException notJava) {
                return Expect.EITHER;
            }
        }
        return Expect.EITHER;
    }

    private static Expect blobExpect(JsonNode shape, String value) {
        if (value.length() > MAX_STRING) {
            return Expect.REJECT;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException notBase64) {
            return Expect.REJECT;
        }
        boolean inRange = (!shape.has("min") || decoded.length >= shape.get("min").asLong())
                && (!shape.has("max") || decoded.length <= shape.get("max").asLong());
        return inRange ? Expect.EITHER : Expect.REJECT;
    }

    private static Expect integerExpect(Site site, BigInteger value) {
        BigInteger lowest = BigInteger.valueOf(site.type().equals("long") ? Long.MIN_VALUE : Integer.MIN_VALUE);
        BigInteger highest = BigInteger.valueOf(site.type().equals("long") ? Long.MAX_VALUE : Integer.MAX_VALUE);
        if (site.shape().has("min")) {
            lowest = lowest.max(BigInteger.valueOf(site.shape().get("min").asLong()));
        }
        if (site.shape().has("max")) {
            highest = highest.min(BigInteger.valueOf(site.shape().get("max").asLong()));
        }
        return value.compareTo(lowest) >= 0 && value.compareTo(highest) <= 0 ? Expect.EITHER : Expect.REJECT;
    }

    /** Whether the service's own parser could take the bytes as an object (or as no input at all). */
    private static boolean parsesAsObject(byte[] body) {
        try {
            JsonNode node = WireJson.mapper().readTree(body);
            return node == null || node.isMissingNode() || node.isObject();
        } catch (IOException notJson) {
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sending and judging

    private Answer send(Case c) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/")).timeout(TIMEOUT)
                .POST(c.chunked()
                        ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(c.body()))
                        : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.target() != null) {
            request.header("X-Amz-Target", c.target());
        }
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String body = new String(response.body(), StandardCharsets.UTF_8);
            String shown = body.length() > 300 ? body.substring(0, 300) + "..." : body;
            return new Answer(response.statusCode(), response.statusCode() >= 300 ? errorType(body) : null, null, shown);
        } catch (HttpTimeoutException hang) {
            return new Answer(-1, null, "timeout", "");
        } catch (IOException dropped) {
            return new Answer(-1, null, "io-error", dropped.toString());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    private String errorType(String body) {
        Matcher code = STS_CODE.matcher(body);
        if (body.startsWith("<") && code.find()) {
            return "sts:" + code.group(1);
        }
        try {
            String type = json.readTree(body).path("__type").asText("");
            return type.isEmpty() ? "(none)" : type;
        } catch (IOException notJson) {
            return "(not json)";
        }
    }

    /** Why the answer breaks the contract, or null. */
    private static String judge(Case c, Answer answer) {
        if (answer.failure() != null) {
            return "no answer (" + answer.failure() + ")";
        }
        if (answer.status() >= 500) {
            return "server error";
        }
        if (answer.status() >= 200 && answer.status() < 300) {
            return c.expect() == Expect.REJECT ? "accepted a request that must be refused" : null;
        }
        if (answer.status() < 400) {
            return "neither success nor client error";
        }
        if (answer.type().startsWith("(")) {
            return "client error without a type";
        }
        if (c.query() != answer.type().startsWith("sts:")) {
            return "error in the wrong protocol's dialect";
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------------
    // What refused calls must not leave behind

    /** The victim's event count once the processes its creation started have finished writing. */
    private long settledEventCount(String streamId) throws InterruptedException {
        long count = eventCount(streamId);
        for (int stable = 0; stable < 5; ) {
            Thread.sleep(200);
            long now = eventCount(streamId);
            stable = now == count ? stable + 1 : 0;
            count = now;
        }
        return count;
    }

    private long eventCount(String streamId) {
        return jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = :id")
                .param("id", streamId).query(Long.class).single();
    }

    private long recordCount(String streamId) {
        return jdbc.sql("SELECT count(*) FROM record_buffer WHERE stream_id = :id").param("id", streamId).query(Long.class).single();
    }

    private void assertNoTraceOf(String namePrefix) {
        Map<String, Long> traces = new LinkedHashMap<>();
        traces.put("events", jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE position(convert_to(:p, 'UTF8') IN payload) > 0")
                .param("p", namePrefix).query(Long.class).single());
        traces.put("streams", count("SELECT count(*) FROM delivery_stream_view WHERE name LIKE :p", namePrefix + "%"));
        traces.put("data-plane streams", count("SELECT count(*) FROM data_plane_stream WHERE name LIKE :p", namePrefix + "%"));
        traces.put("keys", count("SELECT count(*) FROM kms_key WHERE description LIKE :p", namePrefix + "%"));
        traces.put("aliases", count("SELECT count(*) FROM kms_alias WHERE alias_name LIKE :p", "alias/" + namePrefix + "%"));
        System.out.println("  traces of refused calls' names (" + namePrefix + "*): " + traces);
        assertThat(traces.values()).as("rows naming what refused calls asked for: " + traces).allMatch(n -> n == 0);
    }

    private long count(String sql, String pattern) {
        return jdbc.sql(sql).param("p", pattern).query(Long.class).single();
    }

    /** Calls that might have been valid but were refused: what each asked to create must not exist either. */
    private void assertRefusedCreationsLeftNothing(List<String> names) {
        String either = prefix + "-v-";
        List<String> payloads = jdbc.sql("SELECT convert_from(payload, 'UTF8') FROM domain_event_entry"
                + " WHERE position(convert_to(:p, 'UTF8') IN payload) > 0").param("p", either).query(String.class).list();
        List<String> keys = jdbc.sql("SELECT description FROM kms_key WHERE description LIKE :p").param("p", either + "%")
                .query(String.class).list();
        List<String> aliases = jdbc.sql("SELECT alias_name FROM kms_alias WHERE alias_name LIKE :p")
                .param("p", "alias/" + either + "%").query(String.class).list();
        List<String> leftovers = new ArrayList<>();
        for (String name : names) {
            if (payloads.stream().anyMatch(p -> p.contains("\"" + name + "\"")) || keys.contains(name)
                    || aliases.contains("alias/" + name)) {
                leftovers.add(name);
            }
        }
        assertThat(leftovers).as("refused creations that left rows").isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Building bodies

    private ObjectNode obj() {
        return nodes.objectNode();
    }

    private byte[] write(JsonNode tree) {
        try {
            return json.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tree with the string MARKER, quotes included, replaced by raw JSON text. */
    private byte[] raw(JsonNode tree, String text) {
        return replace(write(tree), quoted(MARKER), text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] quoted(String name) {
        return ("\"" + name + "\"").getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode at(JsonNode root, List<Object> path) {
        JsonNode node = root;
        for (Object step : path) {
            node = step instanceof Integer i ? node.get(i) : node.get((String) step);
        }
        return node;
    }

    private static ObjectNode set(ObjectNode root, Site site, JsonNode value) {
        JsonNode parent = at(root, site.path().subList(0, site.path().size() - 1));
        Object last = site.path().get(site.path().size() - 1);
        if (last instanceof Integer i) {
            ((ArrayNode) parent).set(i, value);
        } else {
            ((ObjectNode) parent).set((String) last, value);
        }
        return root;
    }

    private static ObjectNode remove(ObjectNode root, Site site) {
        ((ObjectNode) at(root, site.path().subList(0, site.path().size() - 1))).remove((String) site.path().get(site.path().size() - 1));
        return root;
    }

    private static byte[] replace(byte[] body, byte[] find, byte[] with) {
        for (int i = 0; i + find.length <= body.length; i++) {
            if (Arrays.equals(body, i, i + find.length, find, 0, find.length)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + with.length);
                out.write(body, 0, i);
                out.write(with, 0, with.length);
                out.write(body, i + find.length, body.length - i - find.length);
                return out.toByteArray();
            }
        }
        throw new IllegalStateException("marker not found");
    }

    /** The body with whitespace after its opening brace, up to {@code size} bytes. */
    private static byte[] pad(byte[] body, int size) {
        byte[] padded = new byte[size];
        Arrays.fill(padded, (byte) ' ');
        padded[0] = body[0];
        System.arraycopy(body, 1, padded, size - body.length + 1, body.length - 1);
        return padded;
    }

    private static String base64(Random random, int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return Base64.getEncoder().encodeToString(data);
    }

    private static byte[] randomBody(Random random) {
        int length = 1 + random.nextInt(2048);
        return switch (random.nextInt(3)) {
            case 0 -> {
                byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                yield bytes;
            }
            case 1 -> randomAscii(random, length).getBytes(StandardCharsets.US_ASCII);
            default -> {
                // Tokens of JSON in random order: reaches deeper into the parser than noise does.
                String[] tokens = {"{", "}", "[", "]", ":", ",", "\"", "\"a\"", "1", "-", "e", "true", "null", "\\u00",
                        "\"DeliveryStreamName\"", " ", "\n", "0.5", "\"\\ud800\""};
                StringBuilder text = new StringBuilder("{");
                while (text.length() < length) {
                    text.append(tokens[random.nextInt(tokens.length)]);
                }
                yield text.toString().getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    private static String randomAscii(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (0x21 + random.nextInt(0x7e - 0x21)));
        }
        return text.toString();
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    /** A botocore service model, read from the same file the service validates against. */
    record Model(JsonNode root) {

        static Model load(String resource) {
            try (InputStream in = WireFuzzIT.class.getResourceAsStream(resource)) {
                return new Model(new ObjectMapper().readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        JsonNode shape(String name) {
            return root.path("shapes").get(name);
        }

        String inputShape(String operation) {
            return root.path("operations").path(operation).path("input").path("shape").asText();
        }
    }
}
