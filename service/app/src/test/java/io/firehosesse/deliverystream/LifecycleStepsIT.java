package io.firehosesse.deliverystream;

import static io.firehosesse.support.Streams.createDirectPut;
import static io.firehosesse.support.Streams.describe;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.MutableClock;
import io.firehosesse.support.TestDatabase;
import io.firehosesse.support.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;

/**
 * The lifecycle's due steps are taken by a sweep, all those due at once, not one at a time by a waiting thread. The
 * delays are an hour here, so nothing falls due by itself: the test moves the clock and sweeps.
 */
@TestPropertySource(properties = {
        TestDatabase.OWN_DATABASE + "=true",
        "firehose.lifecycle.creation-delay=1h",
        "firehose.lifecycle.deletion-delay=1h"})
@DirtiesContext
class LifecycleStepsIT extends AwsClientsIT {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MutableClock clock;

    @Autowired
    LifecycleSteps steps;

    private Duration moved = Duration.ZERO;

    /** Axon stamps events with a clock shared by the whole JVM: the next test class's context must not inherit hours. */
    @AfterEach
    void moveTheClockBack() {
        clock.advance(moved.negated());
        moved = Duration.ZERO;
    }

    private void advance(Duration by) {
        clock.advance(by);
        moved = moved.plus(by);
    }

    @Test
    void everyStreamDueIsActivatedByOneSweepAndEachStepIsTakenOnceBySweepsRacing() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            names.add(uniqueName("burst"));
            createDirectPut(firehose, names.get(i));
        }
        Waits.background().until(() -> stepsOf(names) == names.size());

        assertThat(steps.sweep().taken()).as("steps taken before they are due").isZero();
        assertThat(describe(firehose, names.get(0)).deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.CREATING);

        advance(Duration.ofHours(1));
        CompletableFuture<LifecycleSteps.Swept> one = CompletableFuture.supplyAsync(steps::sweep);
        CompletableFuture<LifecycleSteps.Swept> other = CompletableFuture.supplyAsync(steps::sweep);
        int taken = one.get().taken() + other.get().taken();

        // The timer may have swept some of them too; either way each step was taken once and every stream is ACTIVE.
        assertThat(taken).isLessThanOrEqualTo(names.size());
        assertThat(stepsOf(names)).isZero();
        assertThat(names).allSatisfy(name ->
                assertThat(describe(firehose, name).deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.ACTIVE));
        assertThat(activationsOf(names)).isEqualTo(names.size());
    }

    @Test
    void aDeletionFallsDueAfterItsDelayAndTheStreamIsThenGone() {
        String name = uniqueName("going");
        createDirectPut(firehose, name);
        String streamId = jdbc.sql("SELECT stream_id FROM delivery_stream_name WHERE name = :name").param("name", name)
                .query(String.class).single();
        Waits.background().until(() -> stepsOfStream(streamId) == 1);
        advance(Duration.ofHours(1));
        steps.sweep();
        assertThat(describe(firehose, name).deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.ACTIVE);

        firehose.deleteDeliveryStream(r -> r.deliveryStreamName(name));
        Waits.background().until(() -> stepsOfStream(streamId) == 1);
        assertThat(steps.sweep().taken()).isZero();
        assertThat(describe(firehose, name).deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.DELETING);

        advance(Duration.ofHours(1));
        steps.sweep();
        assertThatThrownBy(() -> describe(firehose, name)).isInstanceOf(ResourceNotFoundException.class);
        assertThat(stepsOfStream(streamId)).isZero();
    }

    private long stepsOfStream(String streamId) {
        return jdbc.sql("SELECT count(*) FROM lifecycle_step WHERE stream_id = :id").param("id", streamId)
                .query(Long.class).single();
    }

    private long stepsOf(List<String> names) {
        return jdbc.sql("""
                        SELECT count(*) FROM lifecycle_step s JOIN delivery_stream_name n ON n.stream_id = s.stream_id
                         WHERE n.name IN (:names)
                        """)
                .param("names", names).query(Long.class).single();
    }

    private long activationsOf(List<String> names) {
        return jdbc.sql("""
                        SELECT count(*) FROM domain_event_entry e JOIN delivery_stream_name n ON n.stream_id = e.aggregate_identifier
                         WHERE n.name IN (:names) AND e.payload_type LIKE '%DeliveryStreamActivated'
                        """)
                .param("names", names).query(Long.class).single();
    }
}
