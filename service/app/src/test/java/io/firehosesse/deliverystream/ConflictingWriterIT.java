package io.firehosesse.deliverystream;

import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.support.AwsClientsIT;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.firehose.model.Tag;

/**
 * Another writer (a second instance on the same database) appends to a stream after this instance cached
 * it: the next command here loses the race for the sequence number, and is tried again on fresh state
 * instead of being answered with a 500. The store's (aggregate, sequence) uniqueness decides; nothing forks.
 */
class ConflictingWriterIT extends AwsClientsIT {

    @Autowired
    JdbcClient jdbc;

    @Test
    void aCommandThatLosesTheRaceForTheNextSequenceNumberIsTriedAgainOnFreshState() {
        String name = uniqueName("raced");
        String arn = createActive(firehose, name);
        firehose.tagDeliveryStream(r -> r.deliveryStreamName(name).tags(Tag.builder().key("first").value("1").build()));
        String streamId = jdbc.sql("SELECT stream_id FROM delivery_stream_name WHERE name = :name").param("name", name)
                .query(String.class).single();
        long last = jdbc.sql("SELECT max(sequence_number) FROM domain_event_entry WHERE aggregate_identifier = :id")
                .param("id", streamId).query(Long.class).single();

        // What another instance would have stored meanwhile, behind this instance's cached copy of the stream.
        jdbc.sql("""
                        INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                            payload_type, payload_revision, payload, meta_data)
                        VALUES (gen_random_uuid()::text, :id, :sequence, 'DeliveryStream',
                                to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                'io.firehosesse.api.deliverystream.DeliveryStreamTagged', NULL,
                                convert_to(:payload, 'UTF8'), convert_to('{}', 'UTF8'))
                        """)
                .param("id", streamId).param("sequence", last + 1)
                .param("payload", "{\"streamId\":\"" + streamId + "\",\"tags\":{\"elsewhere\":\"2\"},\"taggedAt\":\"2026-11-27T00:00:00Z\"}")
                .update();

        var answer = firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name));

        assertThat(answer.sdkHttpResponse().statusCode()).isEqualTo(200);
        List<Long> sequences = jdbc.sql("SELECT sequence_number FROM domain_event_entry WHERE aggregate_identifier = :id"
                + " ORDER BY sequence_number").param("id", streamId).query(Long.class).list();
        assertThat(sequences).as("one history, no gaps, no fork").isEqualTo(java.util.stream.LongStream
                .range(0, sequences.size()).boxed().toList());
        assertThat(sequences.size()).isGreaterThan((int) last + 2);
        assertThat(arn).endsWith(name);
    }
}
