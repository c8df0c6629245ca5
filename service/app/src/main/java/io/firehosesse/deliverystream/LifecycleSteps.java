package io.firehosesse.deliverystream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.api.deliverystream.ActivateDeliveryStream;
import io.firehosesse.api.deliverystream.CompleteDeliveryStreamDeletion;
import io.firehosesse.api.deliverystream.DeliveryStreamFailureType;
import io.firehosesse.api.deliverystream.FailDeliveryStreamDeletion;
import io.firehosesse.api.deliverystream.GrantRef;
import io.firehosesse.encryption.EncryptionProperties;
import io.firehosesse.encryption.GrantRetirement;
import io.firehosesse.platform.AfterCommit;
import io.firehosesse.platform.CallTransaction;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The lifecycle's steps that fall due a delay after their event (CREATING → ACTIVE, DELETING → gone), kept in
 * {@code lifecycle_step} by {@link DeliveryStreamLifecycle} and taken by {@link #sweep()} when due: every step due
 * now, activations up to {@value #BATCH} a transaction, each its own command (the aggregate decides, and ignores a
 * step that no longer applies), in {@value #LANES} transactions at once. No thread sleeps on a step: a timer wakes the sweep at the earliest due time it
 * knows of (the processor's commit tells it of new steps), and it looks anyway every {@link #SAFETY_INTERVAL}, with
 * one statement, for steps written by another instance that died. Rows are taken {@code FOR UPDATE SKIP LOCKED}
 * and deleted in the transaction that sends their command, so with several instances each step is taken by one,
 * and a step left by a crash is taken after the restart.
 */
@Component
class LifecycleSteps implements SmartLifecycle {

    /** Activations sent in one transaction. */
    static final int BATCH = 25;
    /**
     * Transactions of activations run at once: a burst's activations compete for the cores with the calls still
     * arriving, and one lane alone fell ever further behind 16 callers.
     */
    static final int LANES = 4;
    /** How often the sweep looks for due steps no wake-up announced. */
    static final Duration SAFETY_INTERVAL = Duration.ofSeconds(5);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);
    private static final TypeReference<List<GrantRef>> GRANTS = new TypeReference<>() {
    };

    private static final Logger log = LoggerFactory.getLogger(LifecycleSteps.class);

    enum Kind { ACTIVATE, DELETE }

    /** What a sweep did: how many steps it took, and when the next one it knows of falls due. */
    record Swept(int taken, Optional<Instant> next) {
    }

    record Step(String eventId, String streamId, Kind kind, Instant requestedAt, boolean allowForceDelete,
                List<GrantRef> grantsToRetire) {
    }

    private final JdbcClient jdbc;
    private final CallTransaction calls;
    private final CommandGateway commands;
    private final GrantRetirement grants;
    private final Duration kmsDeadline;
    private final Clock clock;
    private final ObjectMapper json;
    private ScheduledExecutorService timer;
    private volatile ExecutorService lanes;
    private ScheduledFuture<?> nextRun;
    private Instant nextRunAt;
    private volatile boolean running;

    LifecycleSteps(JdbcClient jdbc, CallTransaction calls, CommandGateway commands, GrantRetirement grants,
                   EncryptionProperties encryption, Clock clock, ObjectMapper json) {
        this.jdbc = jdbc;
        this.calls = calls;
        this.commands = commands;
        this.grants = grants;
        this.kmsDeadline = encryption.kmsDeadline();
        this.clock = clock;
        this.json = json;
    }

    /**
     * Records a step due at {@code dueAt}, in the caller's transaction (the processor's, with its position), and has
     * the sweep woken for it once that commits. An event delivered again adds nothing.
     */
    void record(String eventId, String streamId, Kind kind, Instant requestedAt, Instant dueAt, boolean allowForceDelete,
                List<GrantRef> grantsToRetire) {
        jdbc.sql("""
                        INSERT INTO lifecycle_step (event_id, stream_id, step, due_at, requested_at, allow_force_delete,
                                                    grants_to_retire)
                        VALUES (:eventId, :streamId, :step, :dueAt, :requestedAt, :force, :grants)
                        ON CONFLICT (event_id) DO NOTHING
                        """)
                .param("eventId", eventId).param("streamId", streamId).param("step", kind.name())
                .param("dueAt", Timestamp.from(dueAt)).param("requestedAt", Timestamp.from(requestedAt))
                .param("force", allowForceDelete).param("grants", grantsToRetire.isEmpty() ? null : write(grantsToRetire))
                .update();
        AfterCommit.run(() -> wakeAt(dueAt));
    }

    /**
     * Takes every step due now (by the injected clock) that no other instance holds, and answers when the next one
     * it knows of falls due. Tests call it directly; in the service the timer does.
     */
    Swept sweep() {
        Instant now = clock.instant();
        Instant earliest = jdbc.sql("SELECT min(due_at) FROM lifecycle_step").query(Timestamp.class).optional()
                .map(Timestamp::toInstant).orElse(null);
        if (earliest == null) {
            return new Swept(0, Optional.empty());
        }
        int taken = 0;
        if (!earliest.isAfter(now)) {
            taken += inLanes(() -> {
                int batch;
                int lane = 0;
                do {
                    batch = activations(now);
                    lane += batch;
                } while (batch == BATCH);
                return lane;
            });
            taken += deletions(now);
        }
        return new Swept(taken, jdbc.sql("SELECT min(due_at) FROM lifecycle_step WHERE due_at > :now")
                .param("now", Timestamp.from(now)).query(Timestamp.class).optional().map(Timestamp::toInstant));
    }

    /** Runs {@code lane} on {@link #LANES} threads at once (on this thread alone when the service is not running). */
    private int inLanes(java.util.concurrent.Callable<Integer> lane) {
        ExecutorService pool = lanes;
        if (pool == null) {
            try {
                return lane.call();
            } catch (Exception e) {
                throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
            }
        }
        List<Future<Integer>> running = new java.util.ArrayList<>();
        for (int i = 0; i < LANES; i++) {
            running.add(pool.submit(lane));
        }
        int taken = 0;
        RuntimeException failed = null;
        for (Future<Integer> one : running) {
            try {
                taken += one.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while activations were being sent", e);
            } catch (ExecutionException e) {
                failed = e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            }
        }
        if (failed != null) {
            throw failed;
        }
        return taken;
    }

    /** One transaction of activations due now; if one of them fails, each is tried again in a transaction of its own. */
    private int activations(Instant now) {
        List<Step> due;
        try {
            due = calls.write(() -> {
                List<Step> claimed = claim(Kind.ACTIVATE, now, BATCH);
                claimed.forEach(this::take);
                deleteRows(claimed);
                return claimed;
            }, taken -> { });
        } catch (RuntimeException batchFailed) {
            log.debug("A batch of activations failed; each is tried alone: {}", batchFailed.toString());
            List<Step> alone = calls.outside(() -> jdbc.sql(select(Kind.ACTIVATE) + " LIMIT :limit")
                    .param("kind", Kind.ACTIVATE.name()).param("now", Timestamp.from(now)).param("limit", BATCH)
                    .query(this::step).list());
            // A step that fails alone too is left for the next sweep: the count falls short of a batch, the loop ends.
            return alone.stream().mapToInt(this::takeAlone).sum();
        }
        return due.size();
    }

    private int deletions(Instant now) {
        // One a transaction: each retires grants through KMS first, which may take until the KMS deadline.
        List<Step> due = jdbc.sql(select(Kind.DELETE)).param("kind", Kind.DELETE.name()).param("now", Timestamp.from(now))
                .query(this::step).list();
        return due.stream().mapToInt(this::takeAlone).sum();
    }

    /**
     * One step in a transaction of its own, if no other sweep holds it; a step whose stream is gone is dropped, any
     * other failure left for the next sweep. Answers 1 if it took the step.
     */
    private int takeAlone(Step step) {
        try {
            return calls.write(() -> {
                List<Step> claimed = jdbc.sql("SELECT * FROM lifecycle_step WHERE event_id = :eventId FOR UPDATE SKIP LOCKED")
                        .param("eventId", step.eventId()).query(this::step).list();
                claimed.forEach(this::take);
                deleteRows(claimed);
                return claimed.size();
            }, taken -> { });
        } catch (AggregateNotFoundException gone) {
            // The stream was deleted meanwhile (or this is a replay's step): nothing is left to move on.
            jdbc.sql("DELETE FROM lifecycle_step WHERE event_id = :eventId").param("eventId", step.eventId()).update();
            return 1;
        } catch (RuntimeException e) {
            log.warn("The {} step of stream {} failed; it is tried again at the next sweep: {}", step.kind(), step.streamId(),
                    e.toString());
            return 0;
        }
    }

    private static String select(Kind kind) {
        return "SELECT * FROM lifecycle_step WHERE step = :kind AND due_at <= :now ORDER BY due_at";
    }

    private List<Step> claim(Kind kind, Instant now, int limit) {
        return jdbc.sql(select(kind) + " LIMIT :limit FOR UPDATE SKIP LOCKED")
                .param("kind", kind.name()).param("now", Timestamp.from(now)).param("limit", limit)
                .query(this::step).list();
    }

    private void deleteRows(List<Step> steps) {
        if (!steps.isEmpty()) {
            jdbc.sql("DELETE FROM lifecycle_step WHERE event_id IN (:ids)")
                    .param("ids", steps.stream().map(Step::eventId).toList()).update();
        }
    }

    private void take(Step step) {
        switch (step.kind()) {
            case ACTIVATE -> commands.sendAndWait(new ActivateDeliveryStream(step.streamId()));
            case DELETE -> delete(step);
        }
    }

    /** Retires the stream's grants, then lets it go; a grant that cannot be retired stops it unless forced. */
    private void delete(Step step) {
        for (GrantRef grant : step.grantsToRetire()) {
            Optional<String> failure = grants.retire(grant, step.requestedAt().plus(kmsDeadline));
            if (failure.isPresent() && !step.allowForceDelete()) {
                commands.sendAndWait(new FailDeliveryStreamDeletion(step.streamId(),
                        DeliveryStreamFailureType.RETIRE_KMS_GRANT_FAILED,
                        "Could not retire grant " + grant.grantId() + " on " + grant.keyId() + ": " + failure.get()));
                return;
            }
        }
        commands.sendAndWait(new CompleteDeliveryStreamDeletion(step.streamId()));
    }

    private Step step(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        String grantsText = rs.getString("grants_to_retire");
        return new Step(rs.getString("event_id"), rs.getString("stream_id"), Kind.valueOf(rs.getString("step")),
                rs.getTimestamp("requested_at").toInstant(), rs.getBoolean("allow_force_delete"),
                grantsText == null ? List.of() : read(grantsText));
    }

    private String write(List<GrantRef> grantsToRetire) {
        try {
            return json.writeValueAsString(grantsToRetire);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Grant references could not be written as JSON", e);
        }
    }

    private List<GrantRef> read(String text) {
        try {
            return json.readValue(text, GRANTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored grant references could not be read: " + text, e);
        }
    }

    // ---- the timer: wakes the sweep at the earliest due time known, or after the safety interval

    /** Has the sweep run at {@code dueAt} (at once if that has passed), unless it runs earlier already. */
    synchronized void wakeAt(Instant dueAt) {
        if (!running) {
            return;
        }
        if (nextRun != null && !nextRun.isDone() && !dueAt.isBefore(nextRunAt)) {
            return;
        }
        if (nextRun != null) {
            nextRun.cancel(false);
        }
        long delay = Math.max(0, Duration.between(clock.instant(), dueAt).toMillis());
        nextRunAt = dueAt;
        nextRun = timer.schedule(this::run, delay, TimeUnit.MILLISECONDS);
    }

    private void run() {
        synchronized (this) {
            // From here on a new step schedules a run of its own (after this one): none is lost while this one sweeps.
            nextRun = null;
        }
        Instant next;
        try {
            next = sweep().next().orElse(null);
        } catch (RuntimeException e) {
            log.warn("Sweeping the due lifecycle steps failed; next try in {}: {}", RETRY_AFTER_FAILURE, e.toString());
            next = clock.instant().plus(RETRY_AFTER_FAILURE);
        }
        Instant safety = clock.instant().plus(SAFETY_INTERVAL);
        wakeAt(next == null || next.isAfter(safety) ? safety : next);
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "lifecycle-steps");
            thread.setDaemon(true);
            return thread;
        });
        lanes = Executors.newFixedThreadPool(LANES, task -> {
            Thread thread = new Thread(task, "lifecycle-steps-lane");
            thread.setDaemon(true);
            return thread;
        });
        running = true;
        // Steps left by a crash (or by an instance that died) are taken now.
        wakeAt(clock.instant());
    }

    @Override
    public void stop() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            running = false;
            stopping = timer;
        }
        stopping.shutdownNow();
        ExecutorService stoppingLanes = lanes;
        lanes = null;
        stoppingLanes.shutdownNow();
        try {
            stopping.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
