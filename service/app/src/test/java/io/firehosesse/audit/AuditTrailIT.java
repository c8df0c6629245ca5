package io.firehosesse.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.support.FirehoseIntegrationTest;
import io.firehosesse.platform.TransactionLocks;
import io.firehosesse.support.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail against PostgreSQL and over HTTP: records appended in transactions, sealed by the sealer (run
 * by the tests themselves, as its scheduler runs it, alongside the scheduled runs), found by every filter, and a
 * chain that shows an edited or a deleted row. The database is shared with every other integration test, so each
 * test finds its own records by values unique to it and places their event times in a random second of the past
 * that nothing else uses.
 */
@FirehoseIntegrationTest
class AuditTrailIT {

    static final String ACCOUNT = "123456789012";
    static final Duration GAP_GRACE = Duration.parse("PT" + FirehoseIntegrationTest.AUDIT_GAP_GRACE);

    @LocalServerPort
    int port;

    @Autowired
    AuditTrail trail;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    TransactionLocks locks;

    @Autowired
    AuditSealer sealer;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    final Instant base = Instant.parse("2016-01-01T00:00:00Z")
            .plusSeconds(ThreadLocalRandom.current().nextLong(300_000_000)).truncatedTo(ChronoUnit.SECONDS);

    @Test
    void eachFilterFindsItsRecordsInSequenceOrderAsCloudTrailRecords() {
        UserIdentity alice = user("alice" + run);
        UserIdentity builder = assumedRole("builder" + run);
        String stream = "audit-" + run.toLowerCase();
        String streamArn = "arn:aws:firehose:us-east-1:" + ACCOUNT + ":deliverystream/" + stream;
        String sameNameElsewhere = "arn:aws:firehose:eu-west-1:" + ACCOUNT + ":deliverystream/" + stream;
        String keyArn = "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + UUID.randomUUID();
        String probe = "Probe" + run;
        AuditRecord create = call(AuditRecord.FIREHOSE, "CreateDeliveryStream", alice, base, "1", null, List.of(streamArn));
        AuditRecord refused = call(AuditRecord.FIREHOSE, probe, alice, base.plusSeconds(1), "2",
                probe + "Exception", List.of(streamArn));
        AuditRecord createKey = call(AuditRecord.KMS, "CreateKey", builder, base.plusSeconds(2), "3", null, List.of(keyArn));
        AuditRecord describe = call(AuditRecord.FIREHOSE, "DescribeDeliveryStream", builder, base.plusSeconds(3), "4", null,
                List.of(sameNameElsewhere));
        inTransaction(() -> List.of(create, refused, createKey, describe).forEach(trail::append));

        assertThat(eventIds("principal=" + encoded(alice.arn()))).containsExactly(id(create), id(refused));
        assertThat(eventIds("accessKeyId=" + builder.accessKeyId())).containsExactly(id(createKey), id(describe));
        assertThat(eventIds("deliveryStream=" + stream)).containsExactly(id(create), id(refused), id(describe));
        assertThat(eventIds("deliveryStream=" + encoded(streamArn))).containsExactly(id(create), id(refused));
        assertThat(eventIds("eventName=" + probe)).containsExactly(id(refused));
        assertThat(eventIds("errorCode=" + probe + "Exception")).containsExactly(id(refused));
        assertThat(eventIds("requestId=" + createKey.requestId())).containsExactly(id(createKey));
        assertThat(eventIds("from=" + base.plusSeconds(1) + "&to=" + base.plusSeconds(2)))
                .containsExactly(id(refused), id(createKey));
        assertThat(eventIds("eventName=CreateKey&accessKeyId=" + builder.accessKeyId())).containsExactly(id(createKey));

        Answer first = get("/api/audit/events?principal=" + encoded(alice.arn()) + "&limit=1");
        Answer second = get("/api/audit/events?principal=" + encoded(alice.arn()) + "&limit=1&cursor="
                + first.body().path("nextCursor").asLong());
        assertThat(ids(first.body())).containsExactly(id(create));
        assertThat(ids(second.body())).containsExactly(id(refused));
        assertThat(second.body().path("nextCursor").isNull()).isTrue();

        Answer keyCall = get("/api/audit/events?requestId=" + createKey.requestId());
        JsonNode record = keyCall.body().path("Records").get(0);
        assertThat(keyCall.raw()).contains(storedRecord(createKey));
        assertThat(record.path("eventVersion").asText()).isEqualTo("1.11");
        assertThat(record.path("eventTime").asText()).isEqualTo(base.plusSeconds(2).toString());
        assertThat(record.path("eventSource").asText()).isEqualTo("kms.amazonaws.com");
        assertThat(record.path("eventID").asText()).isEqualTo(id(createKey));
        assertThat(record.path("requestID").asText()).isEqualTo(createKey.requestId());
        assertThat(record.path("eventType").asText()).isEqualTo("AwsApiCall");
        assertThat(record.path("eventCategory").asText()).isEqualTo("Management");
        assertThat(record.path("userIdentity").path("type").asText()).isEqualTo("AssumedRole");
        assertThat(record.path("userIdentity").path("sessionContext").path("sessionIssuer").path("arn").asText())
                .isEqualTo(builder.sessionIssuerArn());
        assertThat(record.path("userIdentity").path("sessionContext").path("attributes").path("creationDate").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(record.path("userIdentity").has("verified")).isFalse();
        assertThat(record.path("resources").get(0).path("ARN").asText()).isEqualTo(keyArn);
        assertThat(record.path("resources").get(0).path("type").asText()).isEqualTo("AWS::KMS::Key");
        JsonNode error = get("/api/audit/events?requestId=" + refused.requestId()).body().path("Records").get(0);
        assertThat(error.path("errorCode").asText()).isEqualTo(probe + "Exception");
        assertThat(error.path("resources").get(0).path("type").asText()).isEqualTo("AWS::KinesisFirehose::DeliveryStream");
    }

    @Test
    void aRolledBackAppendLeavesNoRecordAndTheSealerSkipsItsGapOnceTheGraceHasPassed() {
        UserIdentity who = user("gap" + run);
        AuditRecord before = call(AuditRecord.FIREHOSE, "ListDeliveryStreams", who, base, "before", null, List.of());
        AuditRecord rolledBack = call(AuditRecord.FIREHOSE, "CreateDeliveryStream", who, base.plusSeconds(1), "rolled-back",
                null, List.of());
        AuditRecord after = call(AuditRecord.FIREHOSE, "ListDeliveryStreams", who, base.plusSeconds(2), "after", null,
                List.of());
        inTransaction(() -> trail.append(before));
        long gap = new TransactionTemplate(transactionManager).execute(status -> {
            trail.append(rolledBack);
            status.setRollbackOnly();
            return sequenceOf(rolledBack);
        });
        inTransaction(() -> trail.append(after));

        awaitSealed(before, after);

        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE sequence = :gap OR event_id = :id")
                .param("gap", gap).param("id", rolledBack.eventId()).query(Long.class).single()).isZero();
        assertThat(eventIds("accessKeyId=" + who.accessKeyId())).containsExactly(id(before), id(after));
        // The first row after the gap is sealed only once it is gap-grace old: the sealer waited for the gap.
        SealedRow firstAfterGap = jdbc.sql("""
                        SELECT appended_at, sealed_at, previous_hash, chain_position FROM audit_event
                         WHERE sequence = (SELECT min(sequence) FROM audit_event WHERE sequence > :gap)
                        """)
                .param("gap", gap)
                .query((rs, row) -> new SealedRow(rs.getTimestamp("appended_at").toInstant(),
                        rs.getTimestamp("sealed_at").toInstant(), rs.getString("previous_hash"), rs.getLong("chain_position")))
                .single();
        assertThat(firstAfterGap.sealedAt()).isAfterOrEqualTo(firstAfterGap.appendedAt().plus(GAP_GRACE));
        // ... and the chain runs straight across it.
        String previousRowHash = jdbc.sql("SELECT hash FROM audit_event WHERE chain_position = :position")
                .param("position", firstAfterGap.chainPosition() - 1).query(String.class).single();
        assertThat(firstAfterGap.previousHash()).isEqualTo(previousRowHash);
        assertThat(verify(base, base.plusSeconds(2)).path("intact").asBoolean()).isTrue();
    }

    @Test
    void aRowThatCommitsAfterItsGapWasGivenUpIsSealedAtTheEndOfTheChain() throws Exception {
        UserIdentity who = user("late" + run);
        AuditRecord slow = call(AuditRecord.FIREHOSE, "CreateDeliveryStream", who, base, "slow", null, List.of());
        AuditRecord quick = call(AuditRecord.FIREHOSE, "ListDeliveryStreams", who, base.plusSeconds(1), "quick", null,
                List.of());
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        Thread slowCall = new Thread(() -> inTransaction(() -> {
            trail.append(slow);
            appended.countDown();
            awaitLatch(commit);
        }));
        slowCall.start();
        try {
            awaitLatch(appended);
            inTransaction(() -> trail.append(quick));
            awaitSealed(quick);
        } finally {
            commit.countDown();
            slowCall.join();
        }

        awaitSealed(slow);

        assertThat(sequenceOf(slow)).isLessThan(sequenceOf(quick));
        assertThat(chainPositionOf(slow)).isGreaterThan(chainPositionOf(quick));
        assertThat(eventIds("accessKeyId=" + who.accessKeyId())).containsExactly(id(slow), id(quick));
        assertThat(verify(base, base.plusSeconds(1)).path("intact").asBoolean()).isTrue();
    }

    @Test
    void whileAnotherInstanceSealsThisOneSkipsItsRuns() {
        AuditRecord record = call(AuditRecord.FIREHOSE, "ListDeliveryStreams", user("locked" + run), base, "locked", null,
                List.of());
        TransactionTemplate otherInstance = new TransactionTemplate(transactionManager);
        TransactionTemplate call = new TransactionTemplate(transactionManager);
        call.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

        otherInstance.executeWithoutResult(status -> {
            locks.lock(AuditSealer.LOCK);
            call.executeWithoutResult(inner -> trail.append(record));
            // A run of this instance's sealer, on a thread of its own as the scheduler's are (on this one it would
            // join the transaction that holds the lock), finds the lock taken and skips; so do the scheduled runs.
            CompletableFuture.runAsync(sealer::sealCommitted).join();
            assertThat(sealed(record)).isFalse();
            await().during(Duration.ofSeconds(1)).atMost(Waits.BACKGROUND).until(() -> !sealed(record));
        });

        awaitSealed(record);
    }

    @Test
    void theAuditApiIsDescribedByOpenApi() {
        JsonNode paths = get("/v3/api-docs").body().path("paths");

        assertThat(paths.has("/api/audit/events")).isTrue();
        assertThat(paths.has("/api/audit/verify")).isTrue();
    }

    record SealedRow(Instant appendedAt, Instant sealedAt, String previousHash, long chainPosition) {
    }

    @Test
    void verifyFindsTheChainIntactAndNamesAnEditedRecordAsTheFirstBrokenLink() {
        List<AuditRecord> records = appendSealed("edit");
        AuditRecord edited = records.get(1);

        JsonNode intact = verify(base, base.plusSeconds(2));
        assertThat(intact.path("intact").asBoolean()).isTrue();
        assertThat(intact.path("verified").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(intact.path("unsealed").asLong()).isZero();
        assertThat(intact.path("firstBrokenLink").isNull()).isTrue();
        assertThat(get("/api/audit/verify").body().path("intact").asBoolean()).isTrue();

        String original = storedRecord(edited);
        try {
            jdbc.sql("UPDATE audit_event SET record = :record WHERE event_id = :id")
                    .param("record", original.replace("\"readOnly\":true", "\"readOnly\":false"))
                    .param("id", edited.eventId()).update();

            JsonNode broken = verify(base, base.plusSeconds(2));

            assertThat(broken.path("intact").asBoolean()).isFalse();
            assertThat(broken.path("firstBrokenLink").path("sequence").asLong()).isEqualTo(sequenceOf(edited));
            assertThat(broken.path("firstBrokenLink").path("eventID").asText()).isEqualTo(id(edited));
            assertThat(broken.path("firstBrokenLink").path("reason").asText()).contains("hash does not match");
            assertThat(get("/api/audit/verify").body().path("firstBrokenLink").path("eventID").asText()).isEqualTo(id(edited));
        } finally {
            jdbc.sql("UPDATE audit_event SET record = :record WHERE event_id = :id")
                    .param("record", original).param("id", edited.eventId()).update();
        }
        assertThat(verify(base, base.plusSeconds(2)).path("intact").asBoolean()).isTrue();
    }

    @Test
    void aDeletedRecordBreaksTheChainAtTheRowAfterIt() {
        List<AuditRecord> records = appendSealed("delete");
        AuditRecord deleted = records.get(1);
        AuditRecord next = records.get(2);
        long deletedPosition = jdbc.sql("SELECT chain_position FROM audit_event WHERE event_id = :id")
                .param("id", deleted.eventId()).query(Long.class).single();
        long nextPosition = jdbc.sql("SELECT chain_position FROM audit_event WHERE event_id = :id")
                .param("id", next.eventId()).query(Long.class).single();
        String row = rowAsJson(deleted);
        try {
            delete(deleted);

            JsonNode broken = verify(base, base.plusSeconds(2));

            assertThat(broken.path("intact").asBoolean()).isFalse();
            JsonNode link = broken.path("firstBrokenLink");
            if (nextPosition == deletedPosition + 1) {
                assertThat(link.path("eventID").asText()).isEqualTo(id(next));
                assertThat(link.path("sequence").asLong()).isEqualTo(sequenceOf(next));
            }
            assertThat(link.path("reason").asText()).contains("chain position " + deletedPosition + " is missing");
        } finally {
            restore(row);
        }
        assertThat(verify(base, base.plusSeconds(2)).path("intact").asBoolean()).isTrue();
    }

    @Test
    void deletingTheNewestSealedRecordShowsAgainstTheChainHead() {
        AuditRecord newest = appendSealed("tail").get(2);
        TransactionTemplate holdingTheSealerLock = new TransactionTemplate(transactionManager);
        TransactionTemplate separately = new TransactionTemplate(transactionManager);
        separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

        holdingTheSealerLock.executeWithoutResult(status -> {
            // No sealing while the lock is held, so the deleted row stays the newest one the head names.
            locks.lock(AuditSealer.LOCK);
            long head = jdbc.sql("SELECT position FROM audit_chain_head").query(Long.class).single();
            long position = chainPositionOf(newest);
            assumeTrue(head == position, "a record sealed after this test's own makes the tail someone else's");
            String row = rowAsJson(newest);
            separately.executeWithoutResult(inner -> delete(newest));
            try {
                JsonNode broken = get("/api/audit/verify").body();

                assertThat(broken.path("intact").asBoolean()).isFalse();
                assertThat(broken.path("firstBrokenLink").path("reason").asText())
                        .contains("chain position " + position + " is missing");
            } finally {
                separately.executeWithoutResult(inner -> restore(row));
            }
        });
        assertThat(get("/api/audit/verify").body().path("intact").asBoolean()).isTrue();
    }

    @Test
    void badParametersAreProblemDetailsNamingTheParameter() {
        assertBadParameter("/api/audit/events?limit=0", "limit");
        assertBadParameter("/api/audit/events?limit=1001", "limit");
        assertBadParameter("/api/audit/events?cursor=next", "cursor");
        assertBadParameter("/api/audit/events?from=yesterday", "from");
        assertBadParameter("/api/audit/events?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to");
        assertBadParameter("/api/audit/events?deliveryStream=" + encoded("arn:aws:s3:::bucket"), "deliveryStream");
        assertBadParameter("/api/audit/events?deliveryStream=" + encoded("no spaces"), "deliveryStream");
        assertBadParameter("/api/audit/events?principal=alice", "principal");
        assertBadParameter("/api/audit/events?eventName=" + encoded("Create'; DROP TABLE audit_event; --"), "eventName");
        assertBadParameter("/api/audit/verify?to=tomorrow", "to");
    }

    void assertBadParameter(String pathAndQuery, String parameter) {
        Answer answer = get(pathAndQuery);
        assertThat(answer.status()).as(pathAndQuery).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body().path("title").asText()).isEqualTo("Invalid parameter");
        assertThat(answer.body().path("parameter").asText()).as(pathAndQuery).isEqualTo(parameter);
    }

    /** Three records, one second apart from {@code base}, appended in their own transactions and sealed. */
    List<AuditRecord> appendSealed(String label) {
        UserIdentity who = user(label + run);
        List<AuditRecord> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            records.add(call(AuditRecord.FIREHOSE, "DescribeDeliveryStream", who, base.plusSeconds(i), label + i, null,
                    List.of()));
        }
        records.forEach(record -> inTransaction(() -> trail.append(record)));
        awaitSealed(records.toArray(AuditRecord[]::new));
        return records;
    }

    AuditRecord call(String source, String eventName, UserIdentity who, Instant at, String request, String errorCode,
                     List<String> resources) {
        return new AuditRecord(UUID.randomUUID(), at, source, eventName, "us-east-1", "127.0.0.1", "aws-sdk-java/2.x",
                who, json.createObjectNode().put("probe", run), null, errorCode,
                errorCode == null ? null : "Refused in a test.", "req-" + run + "-" + request,
                eventName.startsWith("Describe") || eventName.startsWith("List"), true, ACCOUNT, resources);
    }

    UserIdentity user(String name) {
        return new UserIdentity(UserIdentity.IAM_USER, "AIDA" + run, "arn:aws:iam::" + ACCOUNT + ":user/" + name, ACCOUNT,
                "AKIA" + name.toUpperCase(), name, null, null, true);
    }

    UserIdentity assumedRole(String session) {
        return new UserIdentity(UserIdentity.ASSUMED_ROLE, "AROA" + run + ":" + session,
                "arn:aws:sts::" + ACCOUNT + ":assumed-role/Builder/" + session, ACCOUNT, "ASIA" + session.toUpperCase(),
                null, base.minusSeconds(600), "arn:aws:iam::" + ACCOUNT + ":role/Builder", true);
    }

    void inTransaction(Runnable work) {
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> work.run());
    }

    /**
     * Runs the sealer before each look, as its scheduler does every seal interval, until the records are sealed; a
     * record behind a gap is sealed only once the gap is {@code gap-grace} (a second here) old, so that is waited out.
     */
    void awaitSealed(AuditRecord... records) {
        List<UUID> ids = List.of(records).stream().map(AuditRecord::eventId).toList();
        Waits.background().pollInterval(Duration.ofMillis(100)).until(() -> {
            sealer.sealCommitted();
            return jdbc.sql("SELECT count(*) FROM audit_event WHERE event_id IN (:ids) AND hash IS NOT NULL")
                    .param("ids", ids).query(Long.class).single() == ids.size();
        });
    }

    String rowAsJson(AuditRecord record) {
        return jdbc.sql("SELECT row_to_json(e)::text FROM audit_event e WHERE event_id = :id")
                .param("id", record.eventId()).query(String.class).single();
    }

    void delete(AuditRecord record) {
        jdbc.sql("DELETE FROM audit_event WHERE event_id = :id").param("id", record.eventId()).update();
    }

    /** Puts a deleted row back exactly as it was, sequence included, so later tests find an intact chain. */
    void restore(String rowAsJson) {
        jdbc.sql("""
                        INSERT INTO audit_event OVERRIDING SYSTEM VALUE
                        SELECT * FROM json_populate_record(NULL::audit_event, CAST(:row AS json))
                        """)
                .param("row", rowAsJson).update();
    }

    long chainPositionOf(AuditRecord record) {
        return jdbc.sql("SELECT chain_position FROM audit_event WHERE event_id = :id").param("id", record.eventId())
                .query(Long.class).single();
    }

    boolean sealed(AuditRecord record) {
        return jdbc.sql("SELECT hash IS NOT NULL FROM audit_event WHERE event_id = :id").param("id", record.eventId())
                .query(Boolean.class).single();
    }

    static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(Waits.BACKGROUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    long sequenceOf(AuditRecord record) {
        return jdbc.sql("SELECT sequence FROM audit_event WHERE event_id = :id").param("id", record.eventId())
                .query(Long.class).single();
    }

    String storedRecord(AuditRecord record) {
        return jdbc.sql("SELECT record FROM audit_event WHERE event_id = :id").param("id", record.eventId())
                .query(String.class).single();
    }

    JsonNode verify(Instant from, Instant to) {
        Answer answer = get("/api/audit/verify?from=" + from + "&to=" + to);
        assertThat(answer.status()).isEqualTo(200);
        return answer.body();
    }

    List<String> eventIds(String query) {
        Answer answer = get("/api/audit/events?" + query);
        assertThat(answer.status()).as(query).isEqualTo(200);
        return ids(answer.body());
    }

    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("Records").forEach(record -> ids.add(record.path("eventID").asText()));
        return ids;
    }

    static String id(AuditRecord record) {
        return record.eventId().toString();
    }

    record Answer(int status, String contentType, String raw, JsonNode body) {
    }

    Answer get(String pathAndQuery) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + pathAndQuery)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), json.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
