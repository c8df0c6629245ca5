package io.firehosesse.audit;

import io.firehosesse.platform.TransactionLocks;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a signed digest of the records sealed since the last one, every {@code firehose.audit.digest.interval} and
 * once more at a graceful stop, to files outside PostgreSQL ({@link AuditDigest} has the format). Beside the sealer,
 * as the other half of the trail's protection: the chain shows a changed row to whoever trusts the database, the
 * digests show it to whoever does not.
 *
 * <p>Several instances may run this. As with the sealer, a transaction-scoped advisory lock lets one write at a time
 * and the others skip; whether a digest is due is read from {@code audit_digest_head} under that lock, so the
 * interval holds across instances, not per instance. The files are written before the head moves on, in the head's
 * transaction: should the commit fail, the next run writes the same number again over them, from the same previous
 * digest, so the digest chain never forks and no sealed record goes uncovered.
 */
@Component
class AuditDigests implements SmartLifecycle {

    static final String LOCK = "firehose.audit.digests";
    /** How often a tick looks whether a digest is due; the look itself costs nothing until it is. */
    static final Duration LOOK_INTERVAL = Duration.ofSeconds(10);
    private static final int FETCH_SIZE = 1000;

    private static final Logger log = LoggerFactory.getLogger(AuditDigests.class);

    private final JdbcClient jdbc;
    private final JdbcClient streaming;
    private final TransactionLocks locks;
    private final Clock clock;
    private final AuditProperties.Digest settings;
    private final AuditSealer sealer;
    private final DigestSigner signer;
    private final TransactionTemplate transactions;
    private volatile Instant nextLook = Instant.MIN;
    private volatile boolean running;

    AuditDigests(JdbcClient jdbc, DataSource dataSource, TransactionLocks locks, Clock clock, AuditProperties properties,
                 AuditSealer sealer, DigestSigner signer, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        JdbcTemplate cursor = new JdbcTemplate(dataSource);
        // A digest of a busy interval covers many records: streamed (a fetch size inside a transaction), not loaded.
        cursor.setFetchSize(FETCH_SIZE);
        this.streaming = JdbcClient.create(cursor);
        this.locks = locks;
        this.clock = clock;
        this.settings = properties.digest();
        this.sealer = sealer;
        this.signer = signer;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** What one run did: the digest file written, or why none was. */
    record Outcome(Path file, long number, long records, String skipped) {

        static Outcome skipped(String why) {
            return new Outcome(null, 0, 0, why);
        }
    }

    private record Head(UUID trailId, long number, long position, String digestHash, String chainHash,
                        Instant writtenAt) {
    }

    private record ChainHead(long position, String hash) {
    }

    @Scheduled(fixedDelay = 10_000, initialDelay = 10_000)
    void tick() {
        if (!settings.enabled() || clock.instant().isBefore(nextLook)) {
            return;
        }
        write(false);
    }

    /**
     * Writes a digest if one is due ({@code force}: at once, as at a stop), unless another instance is writing. Never
     * throws: a failed run is logged and tried again at the next look, and the records wait in the trail meanwhile.
     */
    Outcome write(boolean force) {
        if (!settings.enabled()) {
            return Outcome.skipped("digests are off");
        }
        try {
            Outcome outcome = transactions.execute(status -> writeLocked(force));
            if (outcome.file() != null) {
                log.info("Audit digest {} written: {} records, {}", outcome.number(), outcome.records(), outcome.file());
            }
            return outcome;
        } catch (DataAccessException | TransactionException | UncheckedIOException | IllegalStateException e) {
            nextLook = clock.instant().plus(LOOK_INTERVAL);
            log.warn("Writing the audit digest failed; next try in {}: {}", LOOK_INTERVAL, e.toString());
            return Outcome.skipped(e.toString());
        } catch (RuntimeException e) {
            // The signer's refusal (the digest key disabled or deleted by a KMS call) lands here.
            nextLook = clock.instant().plus(LOOK_INTERVAL);
            log.error("Signing the audit digest failed; no digest is written until it can be signed (next try in {})",
                    LOOK_INTERVAL, e);
            return Outcome.skipped(e.toString());
        }
    }

    private Outcome writeLocked(boolean force) {
        if (!locks.tryLock(LOCK)) {
            nextLook = clock.instant().plus(LOOK_INTERVAL);
            return Outcome.skipped("another instance is writing a digest");
        }
        Head head = jdbc.sql("""
                        SELECT trail_id, number, position, digest_hash, chain_hash, written_at FROM audit_digest_head
                           FOR UPDATE
                        """)
                .query((rs, row) -> new Head(rs.getObject("trail_id", UUID.class), rs.getLong("number"),
                        rs.getLong("position"), rs.getString("digest_hash"), rs.getString("chain_hash"),
                        rs.getObject("written_at", OffsetDateTime.class).toInstant()))
                .single();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant due = head.writtenAt().plus(settings.interval());
        if (!force && now.isBefore(due)) {
            // Another instance wrote one meanwhile (or this one just started): look again when the next is due.
            nextLook = due;
            return Outcome.skipped("not due before " + due);
        }
        ChainHead chain = jdbc.sql("SELECT position, hash FROM audit_chain_head")
                .query((rs, row) -> new ChainHead(rs.getLong("position"), rs.getString("hash"))).single();
        String previousChainHash = head.position() == 0 ? AuditDigest.GENESIS
                : jdbc.sql("SELECT hash FROM audit_event WHERE chain_position = :position")
                        .param("position", head.position()).query(String.class).optional()
                        .orElseThrow(() -> new IllegalStateException("the audit record at chain position "
                                + head.position() + ", where the last digest ended, is missing; GET /api/audit/verify"));
        if (!previousChainHash.equals(head.chainHash())) {
            // The digests stay true to what they signed (the verifier names the record); this line is the alarm now.
            log.error("The audit trail was rewritten under digest {}: the record at chain position {} hashes to {}, the"
                    + " digest signed {}. Run verify-audit (docs/auth-and-audit.md) to find the record changed",
                    head.number(), head.position(), previousChainHash, head.chainHash());
        }
        long number = head.number() + 1;
        AuditDigest.Body header = new AuditDigest.Body(AuditDigest.VERSION, head.trailId(), number,
                head.writtenAt().toString(), now.toString(), head.digestHash(), head.position() + 1, chain.position(),
                chain.position() - head.position(), previousChainHash, chain.hash(), null);
        Path trailDirectory = settings.directory().resolve(head.trailId().toString());
        byte[] bodyHash = writeBody(trailDirectory, header);
        DigestSigner.Signed signed = signer.sign(bodyHash);
        writePublicKeyOnce(trailDirectory);
        String digestHash = AuditDigest.hex(bodyHash);
        replace(trailDirectory.resolve(AuditDigest.signatureFileName(number)), AuditDigest.write(
                new AuditDigest.SignatureFile(signed.keyId(), signed.signingAlgorithm(), digestHash,
                        Base64.getEncoder().encodeToString(signed.signature()))));
        int moved = jdbc.sql("""
                        UPDATE audit_digest_head SET number = :number, position = :position, digest_hash = :hash,
                                                     chain_hash = :chainHash, written_at = :writtenAt
                         WHERE number = :previous
                        """)
                .param("number", number).param("position", chain.position()).param("hash", digestHash)
                .param("chainHash", chain.hash())
                .param("writtenAt", AuditTrail.utc(now)).param("previous", head.number()).update();
        if (moved != 1) {
            throw new IllegalStateException("the audit digest head moved while digest " + number + " was written");
        }
        nextLook = now.plus(settings.interval());
        return new Outcome(trailDirectory.resolve(AuditDigest.fileName(number)), number, header.recordCount(), null);
    }

    /**
     * Streams the covered records into the body file and returns the file's SHA-256. The records are checked to
     * link up as the chain says, from the last digest's end to the chain head: a digest that blessed a trail already
     * broken in the database would hide the break from the verifier, so none is written while it is.
     */
    private byte[] writeBody(Path trailDirectory, AuditDigest.Body header) {
        try {
            Files.createDirectories(trailDirectory);
            Path file = trailDirectory.resolve(AuditDigest.fileName(header.number()));
            Path temporary = Files.createTempFile(trailDirectory, ".digest-", ".tmp");
            MessageDigest sha256 = AuditDigest.sha256();
            try {
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temporary), sha256)) {
                    AuditDigest.Writer writer = new AuditDigest.Writer(out, header);
                    Link link = new Link(header.firstPosition(), header.previousChainHash());
                    streaming.sql("""
                                    SELECT chain_position, sequence, event_id, previous_hash, hash FROM audit_event
                                     WHERE chain_position BETWEEN :first AND :last ORDER BY chain_position
                                    """)
                            .param("first", header.firstPosition()).param("last", header.lastPosition())
                            .query((RowCallbackHandler) rs -> link.next(rs, writer));
                    if (writer.written() != header.recordCount() || !link.previous.equals(header.chainHeadHash())) {
                        throw new IllegalStateException("the audit chain ends at position " + (link.position - 1)
                                + " with " + link.previous + ", not at the chain head's " + header.lastPosition() + " "
                                + header.chainHeadHash() + "; no digest until it is repaired (GET /api/audit/verify)");
                    }
                    writer.finish();
                }
                readableByAll(temporary);
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
            return sha256.digest();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the audit digest under " + trailDirectory, e);
        }
    }

    /** Follows the stored links while the rows stream past. */
    private static final class Link {

        long position;
        String previous;

        Link(long position, String previous) {
            this.position = position;
            this.previous = previous;
        }

        void next(ResultSet rs, AuditDigest.Writer writer) throws SQLException {
            long at = rs.getLong("chain_position");
            if (at != position || !previous.equals(rs.getString("previous_hash"))) {
                throw new IllegalStateException("the audit chain is broken at position " + position
                        + "; no digest until it is repaired (GET /api/audit/verify)");
            }
            String hash = rs.getString("hash");
            try {
                writer.record(rs.getLong("sequence"), rs.getString("event_id"), hash);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            position = at + 1;
            previous = hash;
        }
    }

    /**
     * Makes the signing key now rather than at the first digest, so its public key can be exported (and pinned) before
     * there is anything to verify. Under the writer's lock, so instances starting together make one key. A failure
     * only delays this to the first digest: the service starts either way.
     */
    private void prepareKey() {
        try {
            transactions.executeWithoutResult(status -> {
                locks.lock(LOCK);
                UUID trailId = jdbc.sql("SELECT trail_id FROM audit_digest_head").query(UUID.class).single();
                Path trailDirectory = settings.directory().resolve(trailId.toString());
                try {
                    Files.createDirectories(trailDirectory);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                writePublicKeyOnce(trailDirectory);
            });
        } catch (RuntimeException e) {
            log.warn("Could not prepare the audit digest key at start; the first digest tries again: {}", e.toString());
        }
    }

    /**
     * The public key beside the digests, for convenience only: the verifier never reads it from here (whoever could
     * replace the digests could replace it too); copy it somewhere safe once, or take it from {@code aws kms
     * get-public-key}.
     */
    private void writePublicKeyOnce(Path trailDirectory) {
        Path file = trailDirectory.resolve("public-key.pem");
        if (Files.exists(file)) {
            return;
        }
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(signer.publicKey())
                + "\n-----END PUBLIC KEY-----\n";
        replace(file, pem.getBytes(StandardCharsets.US_ASCII));
    }

    private static void replace(Path file, byte[] content) {
        try {
            Path temporary = Files.createTempFile(file.getParent(), ".digest-", ".tmp");
            try {
                Files.write(temporary, content);
                readableByAll(temporary);
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    /**
     * A temporary file is made readable by its owner only; digests hold no secret, and an auditor's account (not the
     * service's) should be able to read them.
     */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the directory's access rules apply.
        }
    }

    @Override
    public void start() {
        running = true;
        if (settings.enabled()) {
            log.info("Audit digests: every {} (and at a graceful stop) to {}, signed by the embedded KMS",
                    settings.interval().toString().substring(2).toLowerCase(Locale.ROOT), settings.directory().toAbsolutePath());
            prepareKey();
        } else {
            log.info("Audit digests are off (firehose.audit.digest.directory is not set): the audit chain alone shows "
                    + "changes only to whoever trusts the database");
        }
    }

    /**
     * At a graceful stop, after the web server has finished its calls: the last records sealed, then a digest of
     * them, so a stopped service leaves no record its digests do not cover (bar one behind a gap still young).
     */
    @Override
    public void stop() {
        running = false;
        if (settings.enabled()) {
            sealer.sealCommitted();
            write(true);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Low: stopped after the web server's graceful shutdown (which stops at DEFAULT_PHASE - 2048), so calls are done. */
    @Override
    public int getPhase() {
        return 0;
    }
}
