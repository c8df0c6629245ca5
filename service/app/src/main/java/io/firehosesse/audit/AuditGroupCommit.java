package io.firehosesse.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * Group commit for records written outside any transaction (reads, refused calls): each caller still waits until
 * its record is committed before it answers, but the records of all calls waiting at that moment are written by
 * one batch insert in one transaction, so a read costs PostgreSQL a share of a commit instead of a commit of its own.
 * The batch is whatever is queued when the writer comes round: it never waits for more, so one call alone is
 * written at once.
 */
final class AuditGroupCommit {

    private static final Logger log = LoggerFactory.getLogger(AuditGroupCommit.class);
    private static final int MAX_BATCH = 500;
    private static final long WAIT_SECONDS = 30;

    private record Pending(AuditRecord record, CompletableFuture<Void> committed) {
    }

    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(10_000);
    private final Consumer<List<AuditRecord>> writeBatch;
    private final Consumer<AuditRecord> writeOne;
    private final Thread writer;
    private volatile boolean running = true;

    AuditGroupCommit(Consumer<List<AuditRecord>> writeBatch, Consumer<AuditRecord> writeOne) {
        this.writeBatch = writeBatch;
        this.writeOne = writeOne;
        this.writer = new Thread(this::writeWhileRunning, "audit-group-commit");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Returns once the record is committed; throws what writing it threw. */
    void append(AuditRecord record) {
        Pending pending = new Pending(record, new CompletableFuture<>());
        if (!running || !queue.offer(pending)) {
            // Stopping, or a backlog beyond the queue: this caller writes its own record rather than drop it.
            writeOne.accept(record);
            return;
        }
        try {
            pending.committed().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The audit record of this call was not written within " + WAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the audit record of this call was written", e);
        }
    }

    private void writeWhileRunning() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException | Error unexpected) {
                log.error("The audit group commit failed unexpectedly; its callers were told", unexpected);
                batch.forEach(p -> p.committed().completeExceptionally(unexpected));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        try {
            writeBatch.accept(batch.stream().map(Pending::record).toList());
            batch.forEach(p -> p.committed().complete(null));
        } catch (RuntimeException batchFailed) {
            // One record must not fail the calls it happened to be batched with: each is tried on its own.
            for (Pending pending : batch) {
                try {
                    writeOne.accept(pending.record());
                    pending.committed().complete(null);
                } catch (DuplicateKeyException alreadyStored) {
                    // Event ids are new for each call, so the batch did commit: only its answer was lost with the
                    // connection (seen as a 500 while DatabaseOutageIT killed connections). The record is stored.
                    pending.committed().complete(null);
                } catch (RuntimeException failed) {
                    pending.committed().completeExceptionally(failed);
                }
            }
        }
    }

    /** Writes what is queued, then lets callers write their own records. */
    void stop() throws InterruptedException {
        running = false;
        writer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    }
}
