package io.firehosesse.encryption;

import static io.firehosesse.support.EncryptionFixtures.encryption;
import static io.firehosesse.support.EncryptionFixtures.startWithCustomerKey;
import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.createDirectPut;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.api.deliverystream.EncryptionAlreadyDisabled;
import io.firehosesse.api.deliverystream.EncryptionDisableRequested;
import io.firehosesse.api.deliverystream.EncryptionRequested;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.Parallel;
import io.firehosesse.support.Outcomes;
import io.firehosesse.support.TestDatabase;
import io.firehosesse.support.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * The encryption rules hold under concurrent callers, seen only through the wire and the event store:
 * a hundred Start/Stop calls racing on one stream are accepted exactly as often as the 25-a-day limit
 * and the ENABLING/DISABLING rule allow, each acceptance is one event, and the stream's history has no
 * gap and no duplicate; 501 Starts racing on one customer managed key leave exactly one refused.
 * A database of its own, with streams ACTIVE at once, so the 501 streams cost only their creation.
 */
@TestPropertySource(properties = {
        TestDatabase.OWN_DATABASE + "=true",
        "firehose.lifecycle.creation-delay=0s",
        "firehose.encryption.enable-delay=0s",
        "firehose.encryption.disable-delay=0s"})
@DirtiesContext
class ConcurrencyIT extends AwsClientsIT {

    private static final int HOT_CALLS = 100;
    private static final int HOT_THREADS = 24;
    private static final int KEY_STREAMS = 501;
    private static final int KEY_THREADS = 32;
    private static final Set<String> ACCEPTED_EVENTS = Set.of(EncryptionDisableRequested.class.getName(),
            EncryptionAlreadyDisabled.class.getName());

    @Autowired
    JdbcClient jdbc;

    @Test
    void aHundredRacingStartsAndStopsOnOneStreamAreAcceptedExactlyAsTheRulesAllowWithAGaplessHistory() throws Exception {
        String name = uniqueName("hot");
        createActive(firehose, name);
        String streamId = streamIdOf(name);

        Outcomes outcomes = new Outcomes();
        long started = System.nanoTime();
        // Even calls Start with the AWS-owned key, odd ones Stop: Stops on a stream whose encryption is off
        // are accepted at once, Starts make it ENABLING for as long as the process takes.
        Parallel.calls(port, HOT_THREADS, HOT_CALLS, (client, call) -> outcomes.call(() -> call % 2 == 0
                ? client.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name)
                        .deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.AWS_OWNED_CMK)))
                : client.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(name))));
        double seconds = (System.nanoTime() - started) / 1e9;
        DeliveryStreamEncryptionStatus settled = Waits.background().pollInterval(Duration.ofMillis(50))
                .until(() -> encryption(firehose, name).status(), status -> status == DeliveryStreamEncryptionStatus.ENABLED
                        || status == DeliveryStreamEncryptionStatus.DISABLED);
        long accepted = outcomes.count(Outcomes.OK);
        long acceptedEvents = acceptedCallEvents(streamId);
        List<Long> sequence = sequenceNumbers(streamId);

        // One call more, once the stream has settled: the aggregate's own count must agree with what was answered.
        Outcomes next = new Outcomes();
        next.call(() -> firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(name)));
        System.out.printf("ConcurrencyIT hot stream: %d calls from %d threads in %.2f s: %d accepted, refused %s;"
                        + " %d acceptance events; %d events, sequence %d..%d; settled %s; the next call: %s%n",
                HOT_CALLS, HOT_THREADS, seconds, accepted, outcomes, acceptedEvents, sequence.size(),
                sequence.isEmpty() ? -1 : sequence.get(0), sequence.isEmpty() ? -1 : sequence.get(sequence.size() - 1),
                settled, next);

        assertThat(outcomes.total()).isEqualTo(HOT_CALLS);
        assertThat(outcomes.counts().keySet()).as("every call answered 200, LimitExceeded or ResourceInUse: %s",
                        outcomes.firstMessages())
                .isSubsetOf(Outcomes.OK, "LimitExceededException/400", "ResourceInUseException/400");
        assertThat(accepted).isPositive().isLessThanOrEqualTo(25).isEqualTo(acceptedEvents);
        assertThat(sequence).as("sequence numbers of the stream's events")
                .containsExactlyElementsOf(LongStream.range(0, sequence.size()).boxed().toList());
        assertThat(next.counts()).containsOnlyKeys(accepted == 25 ? "LimitExceededException/400" : Outcomes.OK);
    }

    @Test
    void aHundredRacingStopsOnAStreamWithEncryptionOffAreAcceptedExactlyTwentyFiveTimes() throws Exception {
        String name = uniqueName("stops");
        createActive(firehose, name);
        String streamId = streamIdOf(name);

        Outcomes outcomes = new Outcomes();
        long started = System.nanoTime();
        // Each accepted Stop leaves the stream as it was, so nothing but the daily limit can refuse one.
        Parallel.calls(port, HOT_THREADS, HOT_CALLS, (client, call) -> outcomes.call(() ->
                client.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(name))));
        double seconds = (System.nanoTime() - started) / 1e9;
        long acceptedEvents = acceptedCallEvents(streamId);
        List<Long> sequence = sequenceNumbers(streamId);
        System.out.printf("ConcurrencyIT stops: %d calls from %d threads in %.2f s: %s; %d acceptance events;"
                + " %d events, sequence %d..%d%n", HOT_CALLS, HOT_THREADS, seconds, outcomes, acceptedEvents,
                sequence.size(), sequence.get(0), sequence.get(sequence.size() - 1));

        assertThat(outcomes.counts()).as("first messages: %s", outcomes.firstMessages())
                .containsExactlyInAnyOrderEntriesOf(Map.of(Outcomes.OK, 25L, "LimitExceededException/400", 75L));
        assertThat(acceptedEvents).isEqualTo(25);
        assertThat(sequence).containsExactlyElementsOf(LongStream.range(0, sequence.size()).boxed().toList());
    }

    @Test
    void fiveHundredAndOneRacingStartsOnOneCustomerKeyLeaveExactlyOneRefused() throws Exception {
        KeyMetadata key = newKey("shared by 500");
        String prefix = uniqueName("k");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < KEY_STREAMS; i++) {
            names.add(prefix + "-" + i);
        }
        long started = System.nanoTime();
        Outcomes creates = new Outcomes();
        Parallel.calls(port, KEY_THREADS, KEY_STREAMS, (client, i) -> creates.call(() -> createDirectPut(client, names.get(i))));
        assertThat(creates.counts()).containsOnlyKeys(Outcomes.OK);
        // 501 creations through the lifecycle processor, one at a time: long even on an idle machine.
        Waits.longWork().pollInterval(Duration.ofMillis(100)).until(() -> jdbc.sql(
                        "SELECT count(*) FROM delivery_stream_view WHERE name LIKE :prefix AND status = 'ACTIVE'")
                .param("prefix", prefix + "-%").query(Long.class).single() == KEY_STREAMS);
        double createSeconds = (System.nanoTime() - started) / 1e9;

        Outcomes starts = new Outcomes();
        started = System.nanoTime();
        Parallel.calls(port, KEY_THREADS, KEY_STREAMS, (client, i) -> starts.call(() -> {
            startWithCustomerKey(client, names.get(i), key.arn());
            return names.get(i);
        }));
        double startSeconds = (System.nanoTime() - started) / 1e9;
        long claims = jdbc.sql("SELECT count(*) FROM customer_key_usage WHERE key_arn = :key").param("key", key.arn())
                .query(Long.class).single();
        System.out.printf("ConcurrencyIT one key: %d streams created (%d threads) and ACTIVE in %.2f s; %d Starts in %.2f s:"
                        + " %s; %d streams hold the key%n",
                KEY_STREAMS, KEY_THREADS, createSeconds, KEY_STREAMS, startSeconds, starts, claims);

        assertThat(starts.counts()).as("first messages: %s", starts.firstMessages())
                .containsExactlyInAnyOrderEntriesOf(Map.of(Outcomes.OK, 500L, "LimitExceededException/400", 1L));
        assertThat(claims).isEqualTo(500);
    }


    private String streamIdOf(String name) {
        return jdbc.sql("SELECT stream_id FROM delivery_stream_name WHERE name = :name").param("name", name)
                .query(String.class).single();
    }

    private long acceptedCallEvents(String streamId) {
        return jdbc.sql("""
                        SELECT payload_type, convert_from(payload, 'UTF8')::jsonb ->> 'operation' AS operation
                        FROM domain_event_entry WHERE aggregate_identifier = :id
                        """)
                .param("id", streamId)
                .query((rs, row) -> ACCEPTED_EVENTS.contains(rs.getString("payload_type"))
                        || (EncryptionRequested.class.getName().equals(rs.getString("payload_type"))
                        && EncryptionRequested.START.equals(rs.getString("operation"))))
                .list().stream().filter(Boolean::booleanValue).count();
    }

    private List<Long> sequenceNumbers(String streamId) {
        return jdbc.sql("SELECT sequence_number FROM domain_event_entry WHERE aggregate_identifier = :id ORDER BY sequence_number")
                .param("id", streamId).query(Long.class).list();
    }
}
