package io.firehosesse.readmodel.replay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import io.firehosesse.platform.StoredEvents;
import io.firehosesse.platform.StoredEvents.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds projections from the event store while the service keeps serving: every event up to a
 * high-water mark is folded into tables built aside; then, with the live tables locked against writers
 * only, the events that arrived meanwhile (and any that committed late below the mark) are applied and
 * the rebuilt rows replace the live ones in one transaction. Readers never wait; writers wait only for
 * that last step. Only projections take part: the KMS and lifecycle processes never see a replay.
 */
@Component
public class Replays {

    private static final Logger log = LoggerFactory.getLogger(Replays.class);
    private static final int BATCH = 2_000;
    private static final int MAX_TRACKED_GAPS = 10_000;
    public static final String ALL = "all";

    private final Map<String, ReplayableProjection> projections = new HashMap<>();
    private final JdbcClient jdbc;
    private final StoredEvents events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "projection-replay");
        thread.setDaemon(true);
        return thread;
    });

    Replays(List<ReplayableProjection> projections, JdbcClient jdbc, StoredEvents events,
            PlatformTransactionManager transactionManager, Clock clock) {
        projections.forEach(p -> this.projections.put(p.name(), p));
        this.jdbc = jdbc;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** What a caller sees of a replay. */
    public record Progress(String id, List<String> projections, String state, long eventsDone, long eventsTotal,
                           double eventsPerSecond, Long etaSeconds, Instant startedAt, Instant finishedAt, String error) {
    }

    public Set<String> names() {
        return projections.keySet();
    }

    /** Queues a replay of one projection, or of all; empty if there is no projection by that name. */
    public Optional<Progress> start(String name) {
        List<ReplayableProjection> chosen = ALL.equals(name) ? List.copyOf(projections.values())
                : Optional.ofNullable(projections.get(name)).map(List::of).orElse(List.of());
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        Run run = new Run(UUID.randomUUID().toString(), chosen);
        runs.put(run.id, run);
        executor.submit(() -> run.execute());
        return Optional.of(run.progress());
    }

    public Optional<Progress> progress(String id) {
        return Optional.ofNullable(runs.get(id)).map(Run::progress);
    }

    private final class Run {

        final String id;
        final List<ReplayableProjection> targets;
        final AtomicLong done = new AtomicLong();
        volatile long total;
        volatile String state = "QUEUED";
        volatile Instant startedAt;
        volatile Instant finishedAt;
        volatile String error;

        Run(String id, List<ReplayableProjection> targets) {
            this.id = id;
            this.targets = targets;
        }

        Progress progress() {
            Instant end = finishedAt != null ? finishedAt : clock.instant();
            double seconds = startedAt == null ? 0 : Math.max(0.001, Duration.between(startedAt, end).toMillis() / 1000.0);
            double rate = seconds == 0 ? 0 : done.get() / seconds;
            Long eta = rate > 0 && finishedAt == null ? Math.round((total - done.get()) / rate) : null;
            return new Progress(id, targets.stream().map(ReplayableProjection::name).sorted().toList(), state, done.get(), total,
                    Math.round(rate), eta, startedAt, finishedAt, error);
        }

        void execute() {
            startedAt = clock.instant();
            state = "REBUILDING";
            Map<String, String> aside = new HashMap<>();
            targets.forEach(p -> p.tables().forEach(t -> aside.put(t, Tables.asideOf(t))));
            Tables asideTables = new Tables(aside);
            try {
                aside.forEach((live, rebuilt) -> {
                    jdbc.sql("DROP TABLE IF EXISTS " + rebuilt).update();
                    jdbc.sql("CREATE TABLE " + rebuilt + " (LIKE " + live + " INCLUDING ALL)").update();
                });
                long highWater = events.head();
                total = events.countUpTo(highWater);
                log.info("Replay {} of {}: {} events to rebuild", id, progress().projections(), total);
                List<Long> gaps = new ArrayList<>();
                long last = -1;
                long nextLog = System.nanoTime();
                while (true) {
                    List<StoredEvent> batch = events.page(last, BATCH).stream()
                            .filter(e -> e.globalIndex() <= highWater).toList();
                    if (batch.isEmpty()) {
                        break;
                    }
                    for (StoredEvent event : batch) {
                        for (long missing = last + 1; missing < event.globalIndex() && gaps.size() < MAX_TRACKED_GAPS; missing++) {
                            gaps.add(missing);
                        }
                        last = event.globalIndex();
                    }
                    List<ProjectedEvent> projected = batch.stream().map(Replays::projected).toList();
                    transactions.executeWithoutResult(tx -> targets.forEach(p -> p.applyAll(projected, asideTables)));
                    done.addAndGet(batch.size());
                    if (System.nanoTime() >= nextLog) {
                        Progress p = progress();
                        log.info("Replay {}: {}/{} events, {} events/s, ETA {} s", id, p.eventsDone(), p.eventsTotal(),
                                p.eventsPerSecond(), p.etaSeconds());
                        nextLog = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    }
                }
                state = "SWITCHING";
                long mark = highWater;
                transactions.executeWithoutResult(tx -> {
                    aside.keySet().stream().sorted().forEach(live ->
                            jdbc.sql("LOCK TABLE " + live + " IN EXCLUSIVE MODE").update());
                    List<StoredEvent> lateOnes = events.afterOrAt(mark, gaps);
                    List<ProjectedEvent> projected = lateOnes.stream().map(Replays::projected).toList();
                    targets.forEach(p -> p.applyAll(projected, asideTables));
                    done.addAndGet(lateOnes.size());
                    aside.forEach((live, rebuilt) -> {
                        jdbc.sql("DELETE FROM " + live).update();
                        jdbc.sql("INSERT INTO " + live + " SELECT * FROM " + rebuilt).update();
                    });
                });
                aside.values().forEach(rebuilt -> jdbc.sql("DROP TABLE IF EXISTS " + rebuilt).update());
                state = "DONE";
            } catch (RuntimeException e) {
                state = "FAILED";
                error = e.getMessage();
                log.error("Replay {} failed", id, e);
            } finally {
                finishedAt = clock.instant();
                Progress p = progress();
                log.info("Replay {} {}: {} events in {} ms, {} events/s", id, state, p.eventsDone(),
                        Duration.between(p.startedAt(), p.finishedAt()).toMillis(), p.eventsPerSecond());
            }
        }

    }

    private static ProjectedEvent projected(StoredEvent event) {
        return new ProjectedEvent(event.aggregateId(), event.aggregateType(), event.sequence(), event.timestamp(),
                event.payload(), event.metaData());
    }
}
