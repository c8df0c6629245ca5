package io.firehosesse.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.platform.TransactionLocks;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.MutableClock;
import io.firehosesse.support.TestDatabase;
import io.firehosesse.support.Waits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Digests of the audit trail and {@code verify-audit}, on a database of its own (the tests rewrite the trail, as an
 * attacker with write access to PostgreSQL would, and put it back after): calls made with the AWS SDK over HTTP,
 * sealed and digested by running the sealer and the digest writer directly (no timer is waited for), the public key
 * exported with {@code GetPublicKey}, and the verifier run as the command runs it. Each kind of tampering is named by
 * the verifier, the attack digests exist for included: an edit with the whole chain after it recomputed, which
 * {@code GET /api/audit/verify} cannot see.
 */
@TestPropertySource(properties = {TestDatabase.OWN_DATABASE + "=true", "firehose.audit.digest.interval=1h"})
@DirtiesContext
class AuditDigestsIT extends AwsClientsIT {

    static final Path DIGESTS = Path.of("target", "audit-digests-it", UUID.randomUUID().toString());

    @DynamicPropertySource
    static void digestDirectory(DynamicPropertyRegistry registry) {
        registry.add("firehose.audit.digest.directory", DIGESTS::toString);
    }

    @Autowired
    AuditDigests digests;

    @Autowired
    AuditSealer sealer;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionLocks locks;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    MutableClock clock;

    @Value("${spring.datasource.url}")
    String databaseUrl;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    Path publicKey;

    @BeforeEach
    void exportThePublicKey() throws IOException {
        // The first digest makes the key; GetPublicKey over the wire is how an operator exports it.
        sealAndDigest();
        publicKey = Files.createTempFile("digest-public-key", ".der");
        Files.write(publicKey, kms.getPublicKey(r -> r.keyId("alias/firehose-sse/audit-digests")).publicKey().asByteArray());
    }

    @Test
    void anUntouchedTrailIsIntactAgainstItsDigests() throws IOException {
        List<String> calls = describeMissingStreams("intact");
        AuditDigests.Outcome outcome = sealAndDigest();

        assertThat(outcome.file()).exists();
        assertThat(Path.of(outcome.file() + ".sig")).exists();
        String body = Files.readString(outcome.file());
        calls.forEach(eventId -> assertThat(body).contains(" " + eventId + " "));
        Verification verification = verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
        assertThat(verification.output()).contains("INTACT").contains("records match their digests");
    }

    @Test
    void anEditedRecordIsNamed() {
        String edited = describeMissingStreams("edit").get(1);
        sealAndDigest();

        Verification verification = tampered(() -> jdbc.sql(
                        "UPDATE audit_event SET record = replace(record, 'DescribeDeliveryStream', 'ListDeliveryStreams')"
                                + " WHERE event_id = CAST(:id AS uuid)")
                .param("id", edited).update());

        assertThat(verification.exitCode()).as(verification.output()).isEqualTo(1);
        assertThat(verification.output()).contains("sequence " + sequenceOf(edited) + " eventID " + edited)
                .contains("was altered");
    }

    @Test
    void aDeletedRecordIsNamed() {
        String deleted = describeMissingStreams("delete").get(1);
        long sequence = sequenceOf(deleted);
        sealAndDigest();

        Verification verification = tampered(() -> jdbc.sql("DELETE FROM audit_event WHERE event_id = CAST(:id AS uuid)")
                .param("id", deleted).update());

        assertThat(verification.exitCode()).as(verification.output()).isEqualTo(1);
        assertThat(verification.output()).contains("sequence " + sequence + " eventID " + deleted).contains("was removed");
    }

    @Test
    void anInsertedRecordIsNamedEvenWithTheChainRecomputedAroundIt() {
        String neighbour = describeMissingStreams("insert").get(1);
        sealAndDigest();
        String inserted = UUID.randomUUID().toString();

        Verification verification = tampered(() -> {
            long position = positionOf(neighbour);
            // Room for one more after the neighbour (in two steps: positions are unique at every row), then a copy of
            // it under a new event id, and the chain recomputed from there, as a careful forger would.
            jdbc.sql("UPDATE audit_event SET chain_position = -chain_position - 1 WHERE chain_position > :p")
                    .param("p", position).update();
            jdbc.sql("UPDATE audit_event SET chain_position = -chain_position WHERE chain_position < 0").update();
            jdbc.sql("""
                            INSERT INTO audit_event (event_id, event_time, event_source, event_name, read_only, record,
                                                     appended_at, chain_position, previous_hash, hash, sealed_at)
                            SELECT CAST(:inserted AS uuid), event_time, event_source, event_name, read_only,
                                   replace(record, :neighbour, :inserted), appended_at, :position, previous_hash, hash,
                                   sealed_at
                              FROM audit_event WHERE event_id = CAST(:neighbour AS uuid)
                            """)
                    .param("inserted", inserted).param("neighbour", neighbour).param("position", position + 1).update();
            recomputeChainFrom(position + 1);
        });

        assertThat(verification.exitCode()).as(verification.output()).isEqualTo(1);
        assertThat(verification.output()).contains("eventID " + inserted).contains("was inserted");
    }

    @Test
    void anEditWithTheWholeChainAfterItRecomputedPassesTheChainCheckButNotTheDigests() {
        String edited = describeMissingStreams("rechain").get(1);
        sealAndDigest();

        Verification verification = tampered(() -> {
            jdbc.sql("UPDATE audit_event SET record = replace(record, '\"readOnly\":true', '\"readOnly\":false')"
                            + " WHERE event_id = CAST(:id AS uuid)")
                    .param("id", edited).update();
            recomputeChainFrom(positionOf(edited));
        }, () -> assertThat(get("/api/audit/verify")).as("the chain alone is fooled").contains("\"intact\":true"));

        assertThat(verification.exitCode()).as(verification.output()).isEqualTo(1);
        assertThat(verification.output()).contains("sequence " + sequenceOf(edited) + " eventID " + edited)
                .contains("was altered");
    }

    @Test
    void aChangedDigestFileFailsItsSignature() throws IOException {
        describeMissingStreams("digest-file");
        Path file = sealAndDigest().file();
        byte[] original = Files.readAllBytes(file);
        try {
            Files.writeString(file, Files.readString(file).replaceFirst("\"recordCount\":(\\d+)", "\"recordCount\":1$1"));

            Verification verification = verify();

            assertThat(verification.exitCode()).as(verification.output()).isEqualTo(1);
            assertThat(verification.output()).contains(file.getFileName() + ": its signature does not verify");
        } finally {
            Files.write(file, original);
        }
        assertThat(verify().exitCode()).isZero();
    }

    @Test
    void aRemovedDigestIsNamedWhereverItWasInTheChain() throws IOException {
        describeMissingStreams("removed-digest");
        Path middle = sealAndDigest().file();
        describeMissingStreams("removed-digest-after");
        Path newest = sealAndDigest().file();

        for (Path removed : List.of(middle, newest)) {
            Path moved = Files.move(removed, removed.resolveSibling(removed.getFileName() + ".away"));
            try {
                Verification verification = verify();

                assertThat(verification.exitCode()).as(verification.output()).isEqualTo(1);
                assertThat(verification.output()).contains(removed.getFileName() + " ").contains("missing");
            } finally {
                Files.move(moved, removed);
            }
        }
        assertThat(verify().exitCode()).isZero();
    }

    @Test
    void aDigestSignedByAnotherKeyIsRefusedAndBadArgumentsAreUsageErrors() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        Path otherKey = Files.createTempFile("other-public-key", ".der");
        Files.write(otherKey, generator.generateKeyPair().getPublic().getEncoded());

        Verification wrongKey = verify("--public-key=" + otherKey);
        assertThat(wrongKey.exitCode()).as(wrongKey.output()).isEqualTo(1);
        assertThat(wrongKey.output()).contains("signature does not verify with the public key given");

        assertThat(run().exitCode()).isEqualTo(2);
        assertThat(verify("--public-key=" + DIGESTS.resolve("no-such-file")).exitCode()).isEqualTo(2);
        assertThat(verify("--digests=" + DIGESTS.resolve("no-such-directory")).exitCode()).isEqualTo(2);
        assertThat(verify("--colour=blue").output()).contains("Unknown option: --colour");
    }

    @Test
    void aGracefulStopSealsWhatWasCommittedAndDigestsIt() throws IOException {
        List<String> calls = describeMissingStreams("stop");
        long before = jdbc.sql("SELECT number FROM audit_digest_head").query(Long.class).single();

        // What Spring does at a graceful stop, once the web server has finished its calls; no sealing run beforehand.
        digests.stop();
        digests.start();

        long number = jdbc.sql("SELECT number FROM audit_digest_head").query(Long.class).single();
        assertThat(number).isEqualTo(before + 1);
        UUID trail = jdbc.sql("SELECT trail_id FROM audit_digest_head").query(UUID.class).single();
        String body = Files.readString(DIGESTS.resolve(trail.toString()).resolve(AuditDigest.fileName(number)));
        calls.forEach(eventId -> assertThat(body).contains(" " + eventId + " "));
        assertThat(verify().exitCode()).isZero();
    }

    @Test
    void noCallerOnTheWireCanSignWithTheDigestKeyOrGiveItselfTheRightTo() {
        String alias = "alias/firehose-sse/audit-digests";
        SdkBytes digest = SdkBytes.fromByteArray(new byte[32]);
        // PutKeyPolicy and CreateGrant take no alias, as in AWS.
        String keyId = kms.describeKey(r -> r.keyId(alias)).keyMetadata().keyId();

        assertThatThrownBy(() -> kms.sign(r -> r.keyId(alias).message(digest).messageType(MessageType.DIGEST)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("AccessDeniedException"));
        assertThatThrownBy(() -> kms.putKeyPolicy(r -> r.keyId(keyId).policyName("default")
                .policy(kms.getKeyPolicy(g -> g.keyId(keyId).policyName("default")).policy()
                        .replace("\"kms:Sign\",", ""))))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("AccessDeniedException"));
        assertThatThrownBy(() -> kms.createGrant(r -> r.keyId(keyId).granteePrincipal("arn:aws:iam::123456789012:root")
                .operations(GrantOperation.SIGN)))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("AccessDeniedException"));
        assertThat(kms.describeKey(r -> r.keyId(alias)).keyMetadata().keyUsageAsString()).isEqualTo("SIGN_VERIFY");
    }

    @Test
    void aDigestIsDueAfterTheIntervalByTheServicesClockAndTheCommandRunsFromTheJar() throws Exception {
        sealAndDigest();
        assertThat(digests.write(false).skipped()).startsWith("not due");

        clock.advance(Duration.ofHours(1).plusSeconds(1));

        assertThat(digests.write(false).file()).isNotNull();
        Path jar = Path.of("target", "firehose-sse.jar");
        assertThat(jar).exists();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), AuditVerifier.COMMAND, "--database-url=" + databaseUrl, "--digests=" + DIGESTS,
                "--public-key=" + publicKey, "--database-user=" + TestDatabase.username(),
                "--database-password=" + TestDatabase.password())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(Waits.BACKGROUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("INTACT");
    }

    /** Three refused Describe calls through the SDK, each its own audit record; their event ids in order. */
    List<String> describeMissingStreams(String label) {
        List<String> eventIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "digest-" + label + "-" + run + "-" + i;
            assertThatThrownBy(() -> firehose.describeDeliveryStream(r -> r.deliveryStreamName(name)))
                    .isInstanceOf(ResourceNotFoundException.class);
            eventIds.add(Waits.background().until(() -> jdbc.sql(
                            "SELECT CAST(event_id AS text) FROM audit_event WHERE record LIKE :name")
                    .param("name", "%\"" + name + "\"%").query(String.class).optional(), found -> found.isPresent())
                    .orElseThrow());
        }
        return eventIds;
    }

    /** Seals every committed record (the sealer run directly, as its scheduler runs it), then writes a digest now. */
    AuditDigests.Outcome sealAndDigest() {
        Waits.background().pollInterval(Duration.ofMillis(100)).until(() -> {
            sealer.sealCommitted();
            return jdbc.sql("SELECT count(*) FROM audit_event WHERE hash IS NULL").query(Long.class).single() == 0;
        });
        AuditDigests.Outcome outcome = digests.write(true);
        assertThat(outcome.file()).as(String.valueOf(outcome.skipped())).isNotNull();
        return outcome;
    }

    record Verification(int exitCode, String output) {
    }

    Verification verify(String... overrides) {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put("database-url", databaseUrl);
        options.put("digests", DIGESTS.toString());
        options.put("public-key", publicKey.toString());
        options.put("database-user", TestDatabase.username());
        options.put("database-password", TestDatabase.password());
        for (String override : overrides) {
            int equals = override.indexOf('=');
            options.put(override.substring(2, equals), override.substring(equals + 1));
        }
        List<String> args = new ArrayList<>();
        options.forEach((name, value) -> args.add("--" + name + "=" + value));
        return run(args.toArray(String[]::new));
    }

    static Verification run(String... args) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode = AuditVerifier.run(args, new PrintStream(output, true, StandardCharsets.UTF_8));
        return new Verification(exitCode, output.toString(StandardCharsets.UTF_8));
    }

    Verification tampered(Runnable tampering) {
        return tampered(tampering, () -> {
        });
    }

    /**
     * Tampers with the trail, as whoever can write to PostgreSQL could, runs the verifier (and {@code alsoCheck}), and
     * puts the trail back exactly as it was. No sealing or digest happens meanwhile: their locks are held while the
     * trail is changed and while it is put back, and no call is made in between.
     */
    Verification tampered(Runnable tampering, Runnable alsoCheck) {
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        String rows = jdbc.sql("SELECT json_agg(e)::text FROM audit_event e").query(String.class).single();
        String head = jdbc.sql("SELECT row_to_json(h)::text FROM audit_chain_head h").query(String.class).single();
        transaction.executeWithoutResult(status -> {
            locks.lock(AuditSealer.LOCK);
            locks.lock(AuditDigests.LOCK);
            tampering.run();
        });
        try {
            alsoCheck.run();
            return verify();
        } finally {
            transaction.executeWithoutResult(status -> {
                locks.lock(AuditSealer.LOCK);
                locks.lock(AuditDigests.LOCK);
                jdbc.sql("DELETE FROM audit_event").update();
                jdbc.sql("""
                                INSERT INTO audit_event OVERRIDING SYSTEM VALUE
                                SELECT * FROM json_populate_recordset(NULL::audit_event, CAST(:rows AS json))
                                """)
                        .param("rows", rows).update();
                jdbc.sql("""
                                UPDATE audit_chain_head SET (position, hash, watermark) =
                                  (SELECT position, hash, watermark FROM json_populate_record(NULL::audit_chain_head,
                                                                                              CAST(:head AS json)))
                                """)
                        .param("head", head).update();
            });
            Verification restored = verify();
            assertThat(restored.exitCode()).as("the trail put back: " + restored.output()).isZero();
        }
    }

    /** What a forger does after changing a row: every hash from there on recomputed, and the head moved to match. */
    void recomputeChainFrom(long position) {
        String previous = position == 1 ? ChainHash.GENESIS : jdbc.sql(
                "SELECT hash FROM audit_event WHERE chain_position = :p").param("p", position - 1).query(String.class).single();
        record Row(long position, String record) {
        }
        List<Row> rows = jdbc.sql("SELECT chain_position, record FROM audit_event WHERE chain_position >= :p"
                        + " ORDER BY chain_position")
                .param("p", position).query((rs, n) -> new Row(rs.getLong(1), rs.getString(2))).list();
        long last = position - 1;
        for (Row row : rows) {
            String hash = ChainHash.link(previous, row.record());
            jdbc.sql("UPDATE audit_event SET previous_hash = :previous, hash = :hash WHERE chain_position = :p")
                    .param("previous", previous).param("hash", hash).param("p", row.position()).update();
            previous = hash;
            last = row.position();
        }
        jdbc.sql("UPDATE audit_chain_head SET position = :position, hash = :hash")
                .param("position", last).param("hash", previous).update();
    }

    long sequenceOf(String eventId) {
        return jdbc.sql("SELECT sequence FROM audit_event WHERE event_id = CAST(:id AS uuid)").param("id", eventId)
                .query(Long.class).single();
    }

    long positionOf(String eventId) {
        return jdbc.sql("SELECT chain_position FROM audit_event WHERE event_id = CAST(:id AS uuid)").param("id", eventId)
                .query(Long.class).single();
    }

    String get(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
