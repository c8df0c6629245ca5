package io.firehosesse.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code java -jar firehose-sse.jar verify-audit --database-url=... --digests=DIR --public-key=FILE}: checks the audit
 * trail in PostgreSQL against its signed digests, offline, with plain JDBC and no Spring (it runs beside a live
 * service or without one). It trusts only the public key it is given: the digests are checked against it and against
 * each other (numbers without a hole, each naming the previous one's hash, time ranges and chain positions that
 * join), and then the trail against the digests, record by record, from the record text up (the hash columns in the
 * database are recomputed, never believed). It names the first record altered, removed or inserted.
 *
 * <p>Exit code 0: intact; 1: tampered (or a digest missing, unsigned or not signed by the key); 2: the check could not
 * be made (arguments, an unreadable key, no database).
 */
public final class AuditVerifier {

    public static final String COMMAND = "verify-audit";
    static final int INTACT = 0;
    static final int TAMPERED = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            Usage: java -jar firehose-sse.jar verify-audit --database-url=jdbc:postgresql://HOST:5432/DB \\
                       --digests=DIR --public-key=FILE [--database-user=USER] [--database-password=PASSWORD]
              --database-url       the service's database (user and password may also be in the URL's query)
              --digests            the directory firehose.audit.digest.directory names (its trail subdirectories)
              --public-key         the digest key's public key, PEM or DER (aws kms get-public-key --key-id
                                   alias/firehose-sse/audit-digests); never taken from the digest directory
              --database-password  or the environment variable PGPASSWORD
            Exit code: 0 intact, 1 tampered, 2 the check could not be made.
            """;

    private final PrintStream out;

    private AuditVerifier(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** The command's work, its exit code returned rather than exited with, for tests. */
    static int run(String[] args, PrintStream out) {
        return new AuditVerifier(out).verify(args);
    }

    /** A finding that ends the check: the trail or its digests are not what was signed. */
    private static final class Tampered extends Exception {
        Tampered(String message) {
            super(message, null, false, false);
        }
    }

    /** The check cannot be made (bad arguments, unreadable input): neither intact nor tampered. */
    private static final class CannotCheck extends Exception {
        CannotCheck(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A digest checked and joined to the one before; its records are left out (a long trail's would not fit in
     * memory together) and read again, one digest at a time, when the records are walked.
     */
    private record Digest(Path file, AuditDigest.Body body, String keyId, String sha256) {

        /** The records of the file as it was checked; a file changed since is tampering during the check. */
        List<String> records() throws Tampered {
            try {
                byte[] bytes = Files.readAllBytes(file);
                if (!AuditDigest.hex(AuditDigest.sha256(bytes)).equals(sha256)) {
                    throw new Tampered(file.getFileName() + " changed while it was being checked");
                }
                return AuditDigest.parse(bytes).records();
            } catch (IOException e) {
                throw new Tampered(file.getFileName() + " cannot be read again: " + e.getMessage());
            }
        }
    }

    private int verify(String[] args) {
        Map<String, String> options;
        try {
            options = options(args);
        } catch (CannotCheck e) {
            out.println(e.getMessage());
            out.print(USAGE_TEXT);
            return USAGE;
        }
        try {
            PublicKey key = publicKey(Path.of(options.get("public-key")));
            Path directory = Path.of(options.get("digests"));
            if (!Files.isDirectory(directory)) {
                throw new CannotCheck("--digests: " + directory + " is not a directory");
            }
            try (Connection db = connect(options)) {
                db.setAutoCommit(false);
                db.setReadOnly(true);
                // One snapshot for the whole check, so a live service sealing meanwhile cannot make it fail.
                db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                check(db, directory, key);
                out.println("INTACT");
                return INTACT;
            }
        } catch (Tampered e) {
            out.println("TAMPERED: " + e.getMessage());
            return TAMPERED;
        } catch (CannotCheck e) {
            out.println("Cannot check: " + e.getMessage());
            return USAGE;
        } catch (SQLException e) {
            out.println("Cannot check: the database answered " + e.getMessage());
            return USAGE;
        }
    }

    private static Map<String, String> options(String[] args) throws CannotCheck {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.equals(COMMAND)) {
                continue;
            }
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new CannotCheck("Not an option: " + arg);
            }
            String name = arg.substring(2, equals);
            if (!List.of("database-url", "digests", "public-key", "database-user", "database-password").contains(name)) {
                throw new CannotCheck("Unknown option: --" + name);
            }
            options.put(name, arg.substring(equals + 1));
        }
        for (String required : List.of("database-url", "digests", "public-key")) {
            if (options.getOrDefault(required, "").isBlank()) {
                throw new CannotCheck("Missing --" + required);
            }
        }
        return options;
    }

    private static PublicKey publicKey(Path file) throws CannotCheck {
        byte[] der;
        try {
            byte[] content = Files.readAllBytes(file);
            String text = new String(content, StandardCharsets.US_ASCII);
            der = text.contains("-----BEGIN PUBLIC KEY-----")
                    ? Base64.getMimeDecoder().decode(text.substring(text.indexOf("-----BEGIN PUBLIC KEY-----") + 26,
                            text.indexOf("-----END PUBLIC KEY-----")))
                    : content;
        } catch (IOException | IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new CannotCheck("--public-key: cannot read " + file + ": " + e.getMessage());
        }
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new CannotCheck("--public-key: " + file + " is not an EC public key (DER SubjectPublicKeyInfo or PEM)");
        }
    }

    private static Connection connect(Map<String, String> options) throws CannotCheck, SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", options.getOrDefault("database-user", "postgres"));
        String password = options.getOrDefault("database-password", System.getenv("PGPASSWORD"));
        if (password != null) {
            properties.setProperty("password", password);
        }
        // The driver itself, not DriverManager: inside the executable jar the driver sits in a nested jar that
        // DriverManager's own class loader does not see.
        Connection connection = new org.postgresql.Driver().connect(options.get("database-url"), properties);
        if (connection == null) {
            throw new CannotCheck("--database-url: not a PostgreSQL JDBC URL: " + options.get("database-url"));
        }
        return connection;
    }

    private void check(Connection db, Path directory, PublicKey key) throws Tampered, CannotCheck, SQLException {
        UUID trailId;
        long recordedDigests;
        try (PreparedStatement head = db.prepareStatement("SELECT trail_id, number FROM audit_digest_head");
             ResultSet rs = head.executeQuery()) {
            if (!rs.next()) {
                throw new Tampered("the database has no audit_digest_head row");
            }
            trailId = rs.getObject("trail_id", UUID.class);
            recordedDigests = rs.getLong("number");
        }
        Path trail = directory.resolve(trailId.toString());
        List<Digest> digests = digests(trail, key, trailId);
        out.println("Trail " + trailId + ": " + digests.size() + " digests in " + trail);
        if (digests.isEmpty()) {
            List<String> others = otherTrails(directory, trailId);
            if (!others.isEmpty()) {
                throw new Tampered("no digests for the database's trail " + trailId + ", but " + directory
                        + " holds digests of " + others + ": the trail id was changed, or the service was reset");
            }
        }
        if (recordedDigests > digests.size()) {
            throw new Tampered("the database records " + recordedDigests + " digests written, the directory holds "
                    + digests.size() + ": " + AuditDigest.fileName(digests.size() + 1) + " and after are missing");
        }
        if (!digests.isEmpty()) {
            AuditDigest.Body first = digests.get(0).body();
            AuditDigest.Body last = digests.get(digests.size() - 1).body();
            out.println("Digests cover " + first.startTime() + " to " + last.endTime() + ", chain positions 1 to "
                    + last.lastPosition() + ", signed by " + digests.get(digests.size() - 1).keyId());
        }
        long covered = checkRecords(db, digests);
        try (PreparedStatement after = db.prepareStatement(
                "SELECT count(*), min(sealed_at) FROM audit_event WHERE chain_position > ?")) {
            after.setLong(1, covered);
            try (ResultSet rs = after.executeQuery()) {
                rs.next();
                long uncovered = rs.getLong(1);
                out.println(covered + " records match their digests" + (uncovered == 0 ? ""
                        : "; " + uncovered + " records sealed since " + rs.getObject(2) + " are not covered by a digest yet"));
            }
        }
    }

    /** The trail's digests in order, each signed by the key, numbered without a hole, and joined to the one before. */
    private static List<Digest> digests(Path trail, PublicKey key, UUID trailId) throws Tampered, CannotCheck {
        if (!Files.isDirectory(trail)) {
            return List.of();
        }
        TreeMap<Long, Path> files = new TreeMap<>();
        try (Stream<Path> listing = Files.list(trail)) {
            listing.forEach(file -> {
                long number = AuditDigest.number(file);
                if (number > 0) {
                    files.put(number, file);
                }
            });
        } catch (IOException e) {
            throw new CannotCheck("cannot list " + trail + ": " + e.getMessage());
        }
        List<Digest> digests = new ArrayList<>();
        String previousHash = AuditDigest.GENESIS;
        AuditDigest.Body previous = null;
        long expected = 1;
        for (Map.Entry<Long, Path> entry : files.entrySet()) {
            Path file = entry.getValue();
            if (entry.getKey() != expected) {
                throw new Tampered(AuditDigest.fileName(expected) + " is missing"
                        + (entry.getKey() > expected + 1 ? " (and up to " + AuditDigest.fileName(entry.getKey() - 1) + ")" : "")
                        + ": the digests jump to " + file.getFileName());
            }
            byte[] bytes;
            AuditDigest.SignatureFile signature;
            AuditDigest.Body body;
            try {
                bytes = Files.readAllBytes(file);
                Path signatureFile = file.resolveSibling(AuditDigest.signatureFileName(entry.getKey()));
                if (!Files.exists(signatureFile)) {
                    throw new Tampered(file.getFileName() + " has no signature file " + signatureFile.getFileName());
                }
                signature = AuditDigest.parseSignature(Files.readAllBytes(signatureFile));
            } catch (IOException e) {
                throw new Tampered(file.getFileName() + " or its signature cannot be read: " + e.getMessage());
            }
            if (!AuditDigest.verifies(key, signature, bytes)) {
                throw new Tampered(file.getFileName() + ": its signature does not verify with the public key given"
                        + " (the file was changed, or signed by another key: " + signature.keyId() + ")");
            }
            try {
                body = AuditDigest.parse(bytes);
            } catch (IOException e) {
                throw new Tampered(file.getFileName() + " is signed but not a digest: " + e.getMessage());
            }
            String problem = joins(body, entry.getKey(), trailId, previousHash, previous);
            if (problem != null) {
                throw new Tampered(file.getFileName() + ": " + problem);
            }
            previousHash = AuditDigest.hex(AuditDigest.sha256(bytes));
            digests.add(new Digest(file, withoutRecords(body), signature.keyId(), previousHash));
            previous = body;
            expected++;
        }
        return digests;
    }

    private static AuditDigest.Body withoutRecords(AuditDigest.Body body) {
        return new AuditDigest.Body(body.digestVersion(), body.trailId(), body.number(), body.startTime(), body.endTime(),
                body.previousDigestHash(), body.firstPosition(), body.lastPosition(), body.recordCount(),
                body.previousChainHash(), body.chainHeadHash(), null);
    }

    /** Why a (signed) digest does not follow the one before it, or null when it does. */
    private static String joins(AuditDigest.Body body, long number, UUID trailId, String previousHash,
                                AuditDigest.Body previous) {
        if (body.digestVersion() != AuditDigest.VERSION) {
            return "digest version " + body.digestVersion() + " is not " + AuditDigest.VERSION;
        }
        if (body.number() != number || !trailId.equals(body.trailId())) {
            return "it is digest " + body.number() + " of trail " + body.trailId() + ", not " + number + " of " + trailId;
        }
        if (!previousHash.equals(body.previousDigestHash())) {
            return "previousDigestHash " + body.previousDigestHash() + " is not the SHA-256 of the digest before it ("
                    + previousHash + ")";
        }
        long firstPosition = previous == null ? 1 : previous.lastPosition() + 1;
        if (body.firstPosition() != firstPosition) {
            return "it starts at chain position " + body.firstPosition() + ", not where the digest before it ended ("
                    + firstPosition + ")";
        }
        // Its previousChainHash is checked in the walk over the records, which can name the record that made it differ.
        if (previous != null && !previous.endTime().equals(body.startTime())) {
            return "its time range starts at " + body.startTime() + ", not where the one before ended: " + previous.endTime();
        }
        if (body.records() == null || body.records().size() != body.recordCount()
                || body.lastPosition() - body.firstPosition() + 1 != body.recordCount()) {
            return "it lists " + (body.records() == null ? 0 : body.records().size()) + " records for "
                    + body.recordCount() + " at positions " + body.firstPosition() + " to " + body.lastPosition();
        }
        return null;
    }

    private static List<String> otherTrails(Path directory, UUID trailId) throws CannotCheck {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !name.equals(trailId.toString())).sorted().toList();
        } catch (IOException e) {
            throw new CannotCheck("cannot list " + directory + ": " + e.getMessage());
        }
    }

    /**
     * Walks the sealed records in chain order beside the digests' entries and recomputes each chain hash from the
     * record text. Returns the last chain position covered. The first entry that differs is named: a record whose
     * text no longer hashes as signed (altered), an entry whose record is gone (removed), a record no digest lists
     * where the digest has another (inserted).
     */
    private long checkRecords(Connection db, List<Digest> digests) throws Tampered, SQLException {
        if (digests.isEmpty()) {
            return 0;
        }
        long last = digests.get(digests.size() - 1).body().lastPosition();
        try (PreparedStatement rows = db.prepareStatement("""
                SELECT chain_position, sequence, event_id, record FROM audit_event
                 WHERE chain_position BETWEEN 1 AND ? ORDER BY chain_position
                """)) {
            rows.setLong(1, last);
            rows.setFetchSize(1000);
            try (ResultSet rs = rows.executeQuery()) {
                String chain = AuditDigest.GENESIS;
                for (Digest digest : digests) {
                    if (!chain.equals(digest.body().previousChainHash())) {
                        // Every record so far matched the digests, so the chain the writer saw differed at that moment
                        // only: the trail was changed under the digest before, and put back since.
                        throw new Tampered(digest.file().getFileName() + " was written after the chain " + chain
                                + " had been rewritten to end in " + digest.body().previousChainHash()
                                + ": the records before it were changed, and changed back");
                    }
                    long position = digest.body().firstPosition();
                    for (String line : digest.records()) {
                        AuditDigest.Entry entry = AuditDigest.Entry.parse(line);
                        if (!rs.next()) {
                            throw removed(db, entry, position, digest);
                        }
                        String eventId = rs.getString("event_id");
                        long sequence = rs.getLong("sequence");
                        if (!eventId.equals(entry.eventId())) {
                            throw moved(db, digests, entry, position, digest, eventId, sequence);
                        }
                        chain = ChainHash.link(chain, rs.getString("record"));
                        if (!entry.matches(chain) || sequence != entry.sequence()) {
                            throw new Tampered("record sequence " + sequence + " eventID " + eventId + " (chain position "
                                    + position + ", " + digest.file().getFileName() + ") was altered: "
                                    + (sequence != entry.sequence() ? "its sequence was " + entry.sequence()
                                            : "its text is not the text that was signed"));
                        }
                        position++;
                    }
                    if (!chain.equals(digest.body().chainHeadHash())) {
                        throw new Tampered("the records of " + digest.file().getFileName() + " do not hash to its chain"
                                + " head " + digest.body().chainHeadHash() + ": one of them was altered");
                    }
                }
            }
        }
        return last;
    }

    private static Tampered removed(Connection db, AuditDigest.Entry entry, long position, Digest digest)
            throws SQLException {
        String where = locate(db, entry.eventId());
        return new Tampered("record sequence " + entry.sequence() + " eventID " + entry.eventId() + " (chain position "
                + position + ", " + digest.file().getFileName() + ") was "
                + (where == null ? "removed" : "moved out of the chain (now " + where + ")"));
    }

    private static Tampered moved(Connection db, List<Digest> digests, AuditDigest.Entry entry, long position,
                                  Digest digest, String foundEventId, long foundSequence) throws SQLException, Tampered {
        if (!listed(digests, foundEventId)) {
            return new Tampered("record sequence " + foundSequence + " eventID " + foundEventId + " (at chain position "
                    + position + ") was inserted: no digest lists it; " + digest.file().getFileName() + " has sequence "
                    + entry.sequence() + " eventID " + entry.eventId() + " there");
        }
        String where = locate(db, entry.eventId());
        if (where == null) {
            return new Tampered("record sequence " + entry.sequence() + " eventID " + entry.eventId() + " (chain position "
                    + position + ", " + digest.file().getFileName() + ") was removed");
        }
        return new Tampered("record sequence " + entry.sequence() + " eventID " + entry.eventId() + " (chain position "
                + position + ", " + digest.file().getFileName() + ") was moved: now " + where);
    }

    private static boolean listed(List<Digest> digests, String eventId) throws Tampered {
        String marker = " " + eventId + " ";
        for (Digest digest : digests) {
            if (digest.records().stream().anyMatch(line -> line.contains(marker))) {
                return true;
            }
        }
        return false;
    }

    /** Where a record with this event id is in the database now, or null when it is not. */
    private static String locate(Connection db, String eventId) throws SQLException {
        try (PreparedStatement find = db.prepareStatement(
                "SELECT sequence, chain_position FROM audit_event WHERE event_id = CAST(? AS uuid)")) {
            find.setString(1, eventId);
            try (ResultSet rs = find.executeQuery()) {
                return rs.next() ? "sequence " + rs.getLong(1) + ", chain position " + rs.getObject(2) : null;
            }
        }
    }
}
