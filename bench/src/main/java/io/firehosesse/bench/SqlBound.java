package io.firehosesse.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SQL bound: what PostgreSQL allows for a Start, a Create and a Describe, measured by replaying the statements the
 * service issues for each (taken from a {@code log_statement=all} trace of the packaged service, auth and audit on),
 * straight through JDBC, from the same number of closed-loop clients, through a HikariCP pool of the service's size, on
 * the same server and database as the service under test. The service's own figure divided by the bound's says how far
 * the service is from its database, which a target alone cannot say.
 *
 * <p>What one call replays (each transaction as the trace shows it, statement for statement, same text):
 * <ul>
 *   <li><b>Start</b>: the name lookup; the call's transaction (stream lock, sequence check, for a customer key its key
 *   row and a usage slot, the event, the view row locked and upserted, the call-count row, the audit row, the
 *   notification); then the encryption process's transaction that makes it ENABLED (its token, for a customer key the
 *   key read twice and the grant made, the stream lock, the event(s), the grant's view row, the data plane row, the key
 *   usage cleared, the view upserted). A Stop's trace shows about as many statements of the same kinds (its grant
 *   retired where a Start's is made), so the bound's Starts/s stands for the start-stop mix's Starts and Stops.</li>
 *   <li><b>Create</b>, through to ACTIVE: the call's transaction (the event, the name, the data plane row, the view, the
 *   audit row, the notification), the lifecycle processor's transaction that schedules the activation, and the
 *   activation's (the due step taken, the stream lock, the event, the data plane row, the view, the step deleted).</li>
 *   <li><b>Describe</b>: the view row read by name, and the audit row group-committed with the other reads' rows of the
 *   moment, as the service's audit trail does.</li>
 * </ul>
 * Left out, because they are not a call's own cost but background work whose cost per call depends on batching: the
 * event processors' fetches of new events and their claim extensions, the lifecycle's polls for due steps, and the
 * audit sealer, which chains the committed rows up to 1,000 at a time. Each call is replayed unbatched, as one call
 * alone makes the service issue it: batching several calls' statements per transaction, a lever of issue #20, would
 * raise the bound and the service alike.
 *
 * <p>Where it runs: a scratch copy of the service's tables, schema {@value #SCHEMA} in the service's own database
 * ({@code CREATE TABLE … (LIKE … INCLUDING ALL)}, then the service's rows copied in), reached through
 * {@code search_path}, so the statements are the service's text on tables of the same shape, indexes and size, while
 * the service never sees a row of the bound's: its event processors would otherwise handle the bound's events, and its
 * sealer chain the bound's audit rows. The bound notifies on a channel of its own for the same reason. The schema is
 * dropped afterwards.
 */
final class SqlBound implements AutoCloseable {

    static final String SCHEMA = "firehose_sql_bound";

    /** Every table a Start, a Create or a Describe touches. DDL takes no parameters: these names are code's, never input. */
    static final List<String> TABLES = List.of("delivery_stream_name", "domain_event_entry", "delivery_stream_view",
            "encryption_call_view", "audit_event", "data_plane_stream", "customer_key_usage", "kms_key", "kms_grant",
            "stream_grant_view", "lifecycle_step", "token_entry");

    static final String CREATE = "CreateDeliveryStream";
    static final String DESCRIBE = "DescribeDeliveryStream";
    static final String START_AWS_OWNED = "StartDeliveryStreamEncryption (" + Calls.AWS_OWNED + ")";
    static final String START_CUSTOMER = "StartDeliveryStreamEncryption (" + Calls.CUSTOMER + ")";

    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "us-east-1";
    private static final String PRINCIPAL = "arn:aws:iam::123456789012:user/bench";
    private static final String FIREHOSE_PRINCIPAL = "firehose.amazonaws.com";
    /** The service listens on firehose_events; a notification there would wake its processors for work not theirs. */
    private static final String CHANNEL = "firehose_sql_bound";
    /** AWS's 500 streams a customer key; the service's slot search runs over as many slots. */
    private static final int KEY_SLOTS = 500;
    private static final String EVENTS = "io.firehosesse.api.deliverystream.";
    private static final String GRANT_OPERATIONS = """
            ["Encrypt", "Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", \
            "DescribeKey", "RetireGrant"]""";

    // The service's statements, as its trace shows them (whitespace aside).

    private static final String NAME_LOOKUP = """
            SELECT stream_id FROM delivery_stream_name WHERE account_id = ? AND region = ? AND name = ?""";
    private static final String LOCK = """
            SELECT pg_advisory_xact_lock(hashtext(?))""";
    private static final String LAST_SEQUENCE = """
            SELECT max(sequence_number) FROM domain_event_entry WHERE aggregate_identifier = ?""";
    private static final String INSERT_EVENT = """
            INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp, \
            payload_type, payload_revision, payload, meta_data) VALUES (?,?,?,?,?,?,?,?,?)""";
    private static final String INSERT_TWO_EVENTS = """
            INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp, \
            payload_type, payload_revision, payload, meta_data) VALUES (?,?,?,?,?,?,?,?,?),(?,?,?,?,?,?,?,?,?)""";
    private static final String VIEW_FOR_UPDATE = """
            SELECT * FROM delivery_stream_view WHERE stream_id = ? FOR UPDATE""";
    private static final String UPSERT_VIEW = """
            INSERT INTO delivery_stream_view (stream_id, account_id, region, name, arn, status, stream_type,
                version_id, create_timestamp, last_update_timestamp, delivery_start_timestamp, kinesis_source,
                source_configuration, destinations, tags, encryption_status, encryption_key_type, encryption_key_arn,
                encryption_failure_type, encryption_failure_details, failure_type, failure_details, last_sequence)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                CAST(? AS jsonb), CAST(? AS jsonb), CAST(? AS jsonb), CAST(? AS jsonb), ?, ?,
                ?, ?, ?, ?, ?, ?)
            ON CONFLICT (stream_id) DO UPDATE SET
                status = EXCLUDED.status, version_id = EXCLUDED.version_id,
                last_update_timestamp = EXCLUDED.last_update_timestamp,
                delivery_start_timestamp = EXCLUDED.delivery_start_timestamp,
                kinesis_source = EXCLUDED.kinesis_source, source_configuration = EXCLUDED.source_configuration,
                destinations = EXCLUDED.destinations,
                tags = EXCLUDED.tags, encryption_status = EXCLUDED.encryption_status,
                encryption_key_type = EXCLUDED.encryption_key_type, encryption_key_arn = EXCLUDED.encryption_key_arn,
                encryption_failure_type = EXCLUDED.encryption_failure_type,
                encryption_failure_details = EXCLUDED.encryption_failure_details,
                failure_type = EXCLUDED.failure_type, failure_details = EXCLUDED.failure_details,
                last_sequence = EXCLUDED.last_sequence
            """;
    private static final String INSERT_CALL = """
            INSERT INTO encryption_call_view (stream_id, sequence_number, operation, called_at, request_id, principal) \
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";
    private static final String INSERT_AUDIT = """
            INSERT INTO audit_event (event_id, event_time, event_source, event_name, account_id, region,
                                     principal_arn, access_key_id, error_code, read_only, request_id,
                                     delivery_stream_arn, delivery_stream_name, record, appended_at)
            VALUES (?, ?, ?, ?, ?, ?,
                    ?, ?, ?, ?, ?,
                    ?, ?, ?, ?)
            """;
    private static final String NOTIFY = """
            SELECT pg_notify(?, ?)""";
    private static final String KEY = """
            SELECT * FROM kms_key WHERE key_id = ? AND account_id = ? AND region = ?""";
    private static final String KEY_IN_USE = """
            SELECT 1 FROM customer_key_usage WHERE key_arn = ? AND stream_id = ?""";
    private static final String FREE_SLOT = """
            SELECT s FROM generate_series(0, ? - 1) s
             WHERE NOT EXISTS (SELECT 1 FROM customer_key_usage u WHERE u.key_arn = ? AND u.slot = s)
             ORDER BY random() LIMIT 1
            """;
    private static final String TAKE_SLOT = """
            INSERT INTO customer_key_usage (key_arn, stream_id, slot) VALUES (?, ?, ?)
            ON CONFLICT DO NOTHING
            """;
    private static final String STORE_TOKEN = """
            UPDATE token_entry SET token = ?, token_type = ?, timestamp = ? WHERE owner = ? AND processor_name = ? AND segment = ?""";
    private static final String GRANT_BY_NAME = """
            SELECT * FROM kms_grant WHERE key_id = ? AND name = ?""";
    private static final String INSERT_GRANT = """
            INSERT INTO kms_grant (grant_id, key_id, name, grantee_principal, retiring_principal, operations,
                constraints, issuing_account, creation_date)
            VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb),
                ?, ?)
            """;
    private static final String INSERT_GRANT_VIEW = """
            INSERT INTO stream_grant_view (grant_id, stream_id, key_arn, grant_name, state, created_at, updated_at) \
            VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?) ON CONFLICT DO NOTHING""";
    private static final String DATA_PLANE_KEY = """
            UPDATE data_plane_stream SET key_type = ?, key_arn = ?, key_since = ?, key_fault = NULL, grant_retiring = FALSE \
            WHERE stream_id = ?""";
    private static final String CLEAR_KEY_USAGE = """
            DELETE FROM customer_key_usage WHERE stream_id = ? AND (CAST(? AS varchar) IS NULL OR key_arn <> ?)""";
    private static final String INSERT_NAME = """
            INSERT INTO delivery_stream_name (account_id, region, name, stream_id)
            VALUES (?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """;
    private static final String INSERT_DATA_PLANE = """
            INSERT INTO data_plane_stream (stream_id, account_id, region, name, arn, stream_type, status)
            VALUES (?, ?, ?, ?, ?, ?, 'CREATING') ON CONFLICT DO NOTHING
            """;
    private static final String INSERT_STEP = """
            INSERT INTO lifecycle_step (event_id, stream_id, step, due_at, requested_at, allow_force_delete,
                                        grants_to_retire)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (event_id) DO NOTHING
            """;
    private static final String DUE_STEPS = """
            SELECT * FROM lifecycle_step WHERE step = ? AND due_at <= ? ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED""";
    private static final String DATA_PLANE_STATUS = """
            UPDATE data_plane_stream SET status = ? WHERE stream_id = ?""";
    private static final String DELETE_STEP = """
            DELETE FROM lifecycle_step WHERE event_id IN (?)""";
    private static final String VIEW_BY_NAME = """
            SELECT * FROM delivery_stream_view WHERE account_id = ? AND region = ? AND name = ?""";

    // Setting up the scratch copy, and reading real payloads from the service's rows.

    private static final String IDENTITY_COLUMNS = """
            SELECT table_name, column_name FROM information_schema.columns
             WHERE table_schema = 'public' AND is_identity = 'YES' AND table_name = ANY (?)
            """;
    /** The copy's identity sequence continues from the service's, so copied rows and new ones never collide. */
    private static final String CONTINUE_SEQUENCE = """
            SELECT setval(pg_get_serial_sequence(?, ?),
                          coalesce(pg_sequence_last_value(CAST(pg_get_serial_sequence(?, ?) AS regclass)), 1))
            """;
    private static final String SAMPLE_EVENT = """
            SELECT payload, meta_data FROM public.domain_event_entry
             WHERE payload_type = ? AND position(? IN convert_from(payload, 'UTF8')) > 0
             ORDER BY global_index DESC LIMIT 1
            """;
    private static final String SAMPLE_AUDIT = """
            SELECT record FROM public.audit_event WHERE event_name = ? AND position(? IN record) > 0
             ORDER BY sequence DESC LIMIT 1
            """;
    private static final String SAMPLE_DESTINATIONS = """
            SELECT CAST(destinations AS text) FROM public.delivery_stream_view ORDER BY create_timestamp DESC LIMIT 1""";
    private static final String CUSTOMER_KEYS = """
            SELECT key_id, arn FROM kms_key
             WHERE account_id = ? AND region = ? AND key_state = 'Enabled' AND NOT aws_owned AND key_usage = 'ENCRYPT_DECRYPT'
               AND key_spec = 'SYMMETRIC_DEFAULT'
             ORDER BY creation_date, key_id
            """;
    private static final String OWN_TOKEN = """
            INSERT INTO token_entry (processor_name, segment, token, token_type, timestamp, owner) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """;

    /** One event as the service stores it: its payload and metadata, copied from a real row of the service's. */
    private record Payload(byte[] payload, byte[] metaData) {
    }

    /** A stream the bound made with its Create replay; Start and Describe work across these. */
    private record Stream(String id, String name, String keyId, String keyArn) {
    }

    /** A replay client: its number names the token rows it stores, one per client as each processor thread has its own. */
    record Client(int number) {
    }

    private final HikariDataSource pool;
    private final String adminUrl;
    private final String user;
    private final String password;
    private final int streamsPerKey;
    private final int streamLimit;
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicLong names = new AtomicLong();
    private final ConcurrentLinkedQueue<Stream> created = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Stream> rotation = new ConcurrentLinkedQueue<>();
    private final List<Stream> describable = new ArrayList<>();
    private final List<String[]> keys = new ArrayList<>();
    private final AuditGroupCommit audit;
    private final Payload created0;
    private final Payload activated;
    private final Payload requestedAwsOwned;
    private final Payload requestedCustomer;
    private final Payload enabledAwsOwned;
    private final Payload enabledCustomer;
    private final Payload grantCreated;
    private final String auditCreate;
    private final String auditStartAwsOwned;
    private final String auditStartCustomer;
    private final String auditDescribe;
    private final String destinations;

    /**
     * Copies the service's tables into {@value #SCHEMA} of the service's database at {@code databaseUrl} and opens the
     * replay's pool on the copy.
     *
     * @param poolSize      the service's {@code spring.datasource.hikari.maximum-pool-size}
     * @param streams       how many of the streams the Create replay makes Start and Describe then work across (the
     *                      mixes' stream count)
     * @param streamsPerKey customer-key streams a key, as in the fixture, so no key runs out of its 500 slots
     */
    static SqlBound prepare(String databaseUrl, String user, String password, int poolSize, int streams, int streamsPerKey)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(databaseUrl, user, password)) {
            try {
                copyTables(c);
                return new SqlBound(c, databaseUrl, user, password, poolSize, streams, streamsPerKey);
            } catch (SQLException | RuntimeException e) {
                dropCopy(c); // a half-made copy must not stay in the service's database
                throw e;
            }
        }
    }

    private static void dropCopy(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        } catch (SQLException e) {
            System.err.println("Could not drop schema " + SCHEMA + ": " + e.getMessage());
        }
    }

    private SqlBound(Connection admin, String databaseUrl, String user, String password, int poolSize, int streams,
                     int streamsPerKey) throws SQLException {
        this.adminUrl = databaseUrl;
        this.user = user;
        this.password = password;
        this.streamLimit = Math.max(1, streams);
        this.streamsPerKey = Math.max(1, streamsPerKey);
        created0 = event(admin, "DeliveryStreamCreated", "", 510, 472);
        activated = event(admin, "DeliveryStreamActivated", "", 92, 105);
        requestedAwsOwned = event(admin, "EncryptionRequested", Calls.AWS_OWNED, 444, 472);
        requestedCustomer = event(admin, "EncryptionRequested", Calls.CUSTOMER, 597, 472);
        enabledAwsOwned = event(admin, "EncryptionEnabled", Calls.AWS_OWNED, 202, 472);
        enabledCustomer = event(admin, "EncryptionEnabled", Calls.CUSTOMER, 355, 472);
        grantCreated = event(admin, "GrantCreated", "", 374, 472);
        auditCreate = audit(admin, CREATE, "", 1286);
        auditStartAwsOwned = audit(admin, "StartDeliveryStreamEncryption", Calls.AWS_OWNED, 1117);
        auditStartCustomer = audit(admin, "StartDeliveryStreamEncryption", Calls.CUSTOMER, 1347);
        auditDescribe = audit(admin, DESCRIBE, "", 1036);
        destinations = sampleDestinations(admin);

        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(databaseUrl);
        config.setUsername(user);
        config.setPassword(password);
        // The service's pool settings (service/app application.yml): its size, opened on demand from two idle.
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(2);
        config.setIdleTimeout(60_000);
        config.setConnectionTimeout(5_000);
        config.setPoolName("sql-bound");
        // Sent in the start-up packet: no statement of the bound's own, and the service's SQL text unchanged.
        config.addDataSourceProperty("currentSchema", SCHEMA);
        pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(CUSTOMER_KEYS)) {
                s.setString(1, ACCOUNT);
                s.setString(2, REGION);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        keys.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
            }
            for (String processor : List.of("sql-bound-encryption", "sql-bound-lifecycle")) {
                try (PreparedStatement s = c.prepareStatement(OWN_TOKEN)) {
                    for (int segment = 0; segment < 1024; segment++) {
                        s.setString(1, processor);
                        s.setInt(2, segment);
                        s.setBytes(3, token(0));
                        s.setString(4, "org.axonframework.eventhandling.GapAwareTrackingToken");
                        s.setString(5, Instant.now().toString());
                        s.setString(6, "sql-bound");
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
        }
        audit = new AuditGroupCommit(pool);
    }

    private static void copyTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
            for (String table : TABLES) {
                s.execute("""
                        CREATE TABLE %1$s.%2$s (LIKE public.%2$s INCLUDING ALL)""".formatted(SCHEMA, table));
                s.execute("""
                        INSERT INTO %1$s.%2$s OVERRIDING SYSTEM VALUE SELECT * FROM public.%2$s""".formatted(SCHEMA, table));
            }
        }
        List<String[]> identities = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(IDENTITY_COLUMNS)) {
            s.setArray(1, c.createArrayOf("text", TABLES.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    identities.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        for (String[] identity : identities) {
            try (PreparedStatement s = c.prepareStatement(CONTINUE_SEQUENCE)) {
                s.setString(1, SCHEMA + "." + identity[0]);
                s.setString(2, identity[1]);
                s.setString(3, "public." + identity[0]);
                s.setString(4, identity[1]);
                s.executeQuery().close();
            }
        }
        // Fresh statistics for the copies only (the planner would otherwise see empty tables); the service's are its own.
        try (Statement s = c.createStatement()) {
            for (String table : TABLES) {
                s.execute("ANALYZE %s.%s".formatted(SCHEMA, table));
            }
        }
    }

    /** A real event of this type from the service's store; a filler of the size a trace showed if it has none yet. */
    private static Payload event(Connection c, String type, String containing, int payloadBytes, int metaBytes) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SAMPLE_EVENT)) {
            s.setString(1, EVENTS + type);
            s.setString(2, containing);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    return new Payload(rs.getBytes(1), rs.getBytes(2));
                }
            }
        }
        return new Payload(filler(payloadBytes), filler(metaBytes));
    }

    private static String audit(Connection c, String eventName, String containing, int bytes) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SAMPLE_AUDIT)) {
            s.setString(1, eventName);
            s.setString(2, containing);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
        }
        return new String(filler(bytes), StandardCharsets.UTF_8);
    }

    private static String sampleDestinations(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SAMPLE_DESTINATIONS); ResultSet rs = s.executeQuery()) {
            if (rs.next()) {
                return rs.getString(1);
            }
        }
        return "[{\"destinationId\":\"destinationId-000000000001\",\"kind\":\"EXTENDED_S3\",\"settings\":{\"RoleARN\":"
                + "\"arn:aws:iam::123456789012:role/firehose-bench\",\"BucketARN\":\"arn:aws:s3:::bench\"}}]";
    }

    /** A JSON string of that many bytes, for a payload whose real size a trace showed. */
    private static byte[] filler(int bytes) {
        return ("{\"f\":\"" + "x".repeat(Math.max(0, bytes - 8)) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] token(long index) {
        return ("{\"index\":" + index + ",\"gaps\":[]}").getBytes(StandardCharsets.UTF_8);
    }

    Client client() {
        return new Client(clients.getAndIncrement());
    }

    /** The streams the Create replay made, for the Start and Describe replays; keys assigned as the fixture does. */
    int adoptCreatedStreams() {
        List<Stream> streams = new ArrayList<>();
        for (Stream s = created.poll(); s != null && streams.size() < streamLimit; s = created.poll()) {
            int i = streams.size();
            // Every other stream names a customer key, streamsPerKey streams a key, as the fixture's streams do.
            String[] key = i % 2 == 0 || keys.isEmpty() ? null : keys.get((i / 2) / streamsPerKey % keys.size());
            streams.add(new Stream(s.id(), s.name(), key == null ? null : key[0], key == null ? null : key[1]));
        }
        rotation.addAll(streams);
        describable.addAll(streams);
        return streams.size();
    }

    // --- The replays: one closed-loop call each ---

    boolean create(Client client, LoadRun.Measured measured) {
        String id = UUID.randomUUID().toString();
        String name = "sql-bound-" + run + "-" + names.incrementAndGet();
        boolean ok = timed(measured, CREATE, () -> {
            String eventId = UUID.randomUUID().toString();
            createCall(id, name, eventId);
            scheduleActivation(client, id, eventId);
            activateDue();
        });
        if (ok) {
            created.add(new Stream(id, name, null, null));
        }
        return true;
    }

    boolean start(Client client, LoadRun.Measured measured) {
        Stream stream = rotation.poll();
        if (stream == null) {
            return false;
        }
        try {
            timed(measured, stream.keyId() == null ? START_AWS_OWNED : START_CUSTOMER, () -> {
                String requestId = UUID.randomUUID().toString();
                String id = lookUp(stream.name());
                startCall(id, stream, requestId);
                enable(client, id, stream, requestId);
            });
        } finally {
            // Back of the queue, as the mix's rotation does: no two clients on one stream's lock at once.
            rotation.add(stream);
        }
        return true;
    }

    boolean describe(Client client, LoadRun.Measured measured) {
        if (describable.isEmpty()) {
            return false;
        }
        Stream stream = describable.get(ThreadLocalRandom.current().nextInt(describable.size()));
        timed(measured, DESCRIBE, () -> {
            try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(VIEW_BY_NAME)) {
                s.setString(1, ACCOUNT);
                s.setString(2, REGION);
                s.setString(3, stream.name());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rs.getString("destinations"); // read the row as the service maps it
                    }
                }
            }
            audit.append(new AuditRow(DESCRIBE, stream.name(), auditDescribe, true));
        });
        return true;
    }

    // --- Create ---

    private void createCall(String id, String name, String eventId) throws SQLException {
        OffsetDateTime now = now();
        inTransaction(c -> {
            insertEvents(c, id, 0, eventId, EVENTS + "DeliveryStreamCreated", created0);
            update(c, INSERT_NAME, ACCOUNT, REGION, name, id);
            update(c, INSERT_DATA_PLANE, id, ACCOUNT, REGION, name, arn(name), "DirectPut");
            ViewRow row = lockView(c, id);
            if (row == null) {
                row = new ViewRow(id, name, arn(name), "CREATING", now, null, destinations, "DISABLED", null, null, 0);
            }
            upsertView(c, row);
            insertAudit(c, new AuditRow(CREATE, name, auditCreate, false));
            notifyEvents(c);
        });
    }

    private void scheduleActivation(Client client, String id, String eventId) throws SQLException {
        OffsetDateTime now = now();
        inTransaction(c -> {
            storeToken(c, "sql-bound-lifecycle", client);
            update(c, INSERT_STEP, eventId, id, "ACTIVATE", now, now, false, null);
        });
    }

    /** The lifecycle's activation: one due step (this Create's, or another client's, as SKIP LOCKED hands them out). */
    private void activateDue() throws SQLException {
        inTransaction(c -> {
            List<String[]> due = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(DUE_STEPS)) {
                s.setString(1, "ACTIVATE");
                s.setObject(2, now());
                s.setInt(3, 1);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        due.add(new String[] {rs.getString("event_id"), rs.getString("stream_id")});
                    }
                }
            }
            for (String[] step : due) {
                String id = step[1];
                long next = lockAndLastSequence(c, id) + 1;
                insertEvents(c, id, next, UUID.randomUUID().toString(), EVENTS + "DeliveryStreamActivated", activated);
                update(c, DATA_PLANE_STATUS, "ACTIVE", id);
                ViewRow row = lockView(c, id);
                if (row != null) {
                    upsertView(c, row.with("ACTIVE", row.encryptionStatus(), row.keyType(), row.keyArn(), next));
                }
                update(c, DELETE_STEP, step[0]);
                notifyEvents(c);
            }
        });
    }

    // --- Start ---

    private String lookUp(String name) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(NAME_LOOKUP)) {
            s.setString(1, ACCOUNT);
            s.setString(2, REGION);
            s.setString(3, name);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no stream named " + name, "02000");
                }
                return rs.getString(1);
            }
        }
    }

    private void startCall(String id, Stream stream, String requestId) throws SQLException {
        boolean customer = stream.keyId() != null;
        inTransaction(c -> {
            long next = lockAndLastSequence(c, id) + 1;
            if (customer) {
                readKey(c, stream.keyId());
            }
            insertEvents(c, id, next, UUID.randomUUID().toString(), EVENTS + "EncryptionRequested",
                    customer ? requestedCustomer : requestedAwsOwned);
            if (customer) {
                query(c, KEY_IN_USE, stream.keyArn(), id);
                Integer slot = null;
                try (PreparedStatement s = c.prepareStatement(FREE_SLOT)) {
                    s.setInt(1, KEY_SLOTS);
                    s.setString(2, stream.keyArn());
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) {
                            slot = rs.getInt(1);
                        }
                    }
                }
                if (slot != null) {
                    update(c, TAKE_SLOT, stream.keyArn(), id, slot);
                }
            }
            ViewRow row = lockView(c, id);
            if (row != null) {
                upsertView(c, row.with(row.status(), "ENABLING", customer ? Calls.CUSTOMER : Calls.AWS_OWNED, stream.keyArn(), next));
            }
            update(c, INSERT_CALL, id, next, "StartDeliveryStreamEncryption", now(), requestId, PRINCIPAL);
            insertAudit(c, new AuditRow("StartDeliveryStreamEncryption", stream.name(),
                    customer ? auditStartCustomer : auditStartAwsOwned, false));
            notifyEvents(c);
        });
    }

    /** The encryption process's transaction that answers the request: grant (customer key), ENABLED. */
    private void enable(Client client, String id, Stream stream, String requestId) throws SQLException {
        boolean customer = stream.keyId() != null;
        inTransaction(c -> {
            storeToken(c, "sql-bound-encryption", client);
            String grantId = null;
            String grantName = "firehose-" + requestId;
            if (customer) {
                readKey(c, stream.keyId());
                readKey(c, stream.keyId());
                lock(c, "grant/" + stream.keyId() + "/" + grantName);
                query(c, GRANT_BY_NAME, stream.keyId(), grantName);
                byte[] grantToken = new byte[32];
                ThreadLocalRandom.current().nextBytes(grantToken);
                grantId = HexFormat.of().formatHex(grantToken); // 64 hex digits, as the embedded KMS's grant ids
                update(c, INSERT_GRANT, grantId, stream.keyId(), grantName, FIREHOSE_PRINCIPAL, FIREHOSE_PRINCIPAL,
                        GRANT_OPERATIONS, "{\"EncryptionContextSubset\": {\"aws:firehose:arn\": \"" + arn(stream.name()) + "\"}}",
                        PRINCIPAL, now());
            }
            long next = lockAndLastSequence(c, id) + 1;
            if (customer) {
                try (PreparedStatement s = c.prepareStatement(INSERT_TWO_EVENTS)) {
                    bindEvent(s, 0, id, next, UUID.randomUUID().toString(), EVENTS + "GrantCreated", grantCreated);
                    bindEvent(s, 9, id, next + 1, UUID.randomUUID().toString(), EVENTS + "EncryptionEnabled", enabledCustomer);
                    s.executeUpdate();
                }
                next++;
                OffsetDateTime now = now();
                update(c, INSERT_GRANT_VIEW, grantId, id, stream.keyArn(), grantName, now, now);
            } else {
                insertEvents(c, id, next, UUID.randomUUID().toString(), EVENTS + "EncryptionEnabled", enabledAwsOwned);
            }
            update(c, DATA_PLANE_KEY, customer ? Calls.CUSTOMER : Calls.AWS_OWNED, stream.keyArn(), now(), id);
            update(c, CLEAR_KEY_USAGE, id, stream.keyArn(), stream.keyArn());
            ViewRow row = lockView(c, id);
            if (customer) {
                row = lockView(c, id); // the trace locks the view row once per event handled
            }
            if (row != null) {
                upsertView(c, row.with(row.status(), "ENABLED", customer ? Calls.CUSTOMER : Calls.AWS_OWNED, stream.keyArn(), next));
            }
        });
    }

    // --- Statements shared by the replays ---

    private long lockAndLastSequence(Connection c, String id) throws SQLException {
        lock(c, "aggregate/" + id);
        try (PreparedStatement s = c.prepareStatement(LAST_SEQUENCE)) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long last = rs.getLong(1);
                return rs.wasNull() ? -1 : last;
            }
        }
    }

    private static void lock(Connection c, String name) throws SQLException {
        query(c, LOCK, name);
    }

    private static void readKey(Connection c, String keyId) throws SQLException {
        query(c, KEY, keyId, ACCOUNT, REGION);
    }

    private void storeToken(Connection c, String processor, Client client) throws SQLException {
        update(c, STORE_TOKEN, token(names.get()), "org.axonframework.eventhandling.GapAwareTrackingToken",
                Instant.now().toString(), "sql-bound", processor, client.number() % 1024);
    }

    private static void insertEvents(Connection c, String id, long sequence, String eventId, String type, Payload payload)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT_EVENT)) {
            bindEvent(s, 0, id, sequence, eventId, type, payload);
            s.executeUpdate();
        }
    }

    private static void bindEvent(PreparedStatement s, int offset, String id, long sequence, String eventId, String type,
                                  Payload payload) throws SQLException {
        s.setString(offset + 1, eventId);
        s.setString(offset + 2, id);
        s.setLong(offset + 3, sequence);
        s.setString(offset + 4, "DeliveryStream");
        s.setString(offset + 5, Instant.now().toString());
        s.setString(offset + 6, type);
        s.setString(offset + 7, null);
        s.setBytes(offset + 8, payload.payload());
        s.setBytes(offset + 9, payload.metaData());
    }

    private static void notifyEvents(Connection c) throws SQLException {
        query(c, NOTIFY, CHANNEL, "sql-bound");
    }

    /** The columns of a view row the replays change, and the rest carried over as the service's upsert carries them. */
    private record ViewRow(String id, String name, String arn, String status, OffsetDateTime created,
                           OffsetDateTime updated, String destinations, String encryptionStatus, String keyType,
                           String keyArn, long lastSequence) {

        ViewRow with(String newStatus, String newEncryption, String newKeyType, String newKeyArn, long sequence) {
            return new ViewRow(id, name, arn, newStatus, created, now(), destinations, newEncryption, newKeyType, newKeyArn,
                    sequence);
        }
    }

    private static ViewRow lockView(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(VIEW_FOR_UPDATE)) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new ViewRow(rs.getString("stream_id"), rs.getString("name"), rs.getString("arn"),
                        rs.getString("status"), rs.getObject("create_timestamp", OffsetDateTime.class),
                        rs.getObject("last_update_timestamp", OffsetDateTime.class), rs.getString("destinations"),
                        rs.getString("encryption_status"), rs.getString("encryption_key_type"),
                        rs.getString("encryption_key_arn"), rs.getLong("last_sequence"));
            }
        }
    }

    private static void upsertView(Connection c, ViewRow row) throws SQLException {
        update(c, UPSERT_VIEW, row.id(), ACCOUNT, REGION, row.name(), row.arn(), row.status(), "DirectPut", 1L,
                row.created(), row.updated(), null, null, null, row.destinations(), "{}", row.encryptionStatus(),
                row.keyType(), row.keyArn(), null, null, null, null, row.lastSequence());
    }

    private record AuditRow(String eventName, String streamName, String record, boolean readOnly) {
    }

    private static void insertAudit(Connection c, AuditRow row) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT_AUDIT)) {
            bindAudit(s, row);
            s.executeUpdate();
        }
    }

    private static void bindAudit(PreparedStatement s, AuditRow row) throws SQLException {
        OffsetDateTime now = now();
        s.setObject(1, UUID.randomUUID());
        s.setObject(2, now);
        s.setString(3, "firehose.amazonaws.com");
        s.setString(4, row.eventName());
        s.setString(5, ACCOUNT);
        s.setString(6, REGION);
        s.setString(7, PRINCIPAL);
        s.setString(8, ServiceUnderTest.ACCESS_KEY_ID);
        s.setString(9, null);
        s.setBoolean(10, row.readOnly());
        s.setString(11, UUID.randomUUID().toString());
        s.setString(12, arn(row.streamName()));
        s.setString(13, row.streamName());
        s.setString(14, row.record());
        s.setObject(15, now);
    }

    private static void query(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, parameters);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    // read through, as the service's mappers do
                }
            }
        }
    }

    private static void update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, parameters);
            s.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object p = parameters[i];
            if (p == null) {
                // Untyped, so PostgreSQL types it from its place (a timestamptz column, a CAST, a comparison).
                s.setNull(i + 1, java.sql.Types.OTHER);
            } else if (p instanceof byte[] bytes) {
                s.setBytes(i + 1, bytes);
            } else {
                s.setObject(i + 1, p);
            }
        }
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    /** One transaction on one pooled connection, as Spring's transaction manager runs the service's. */
    private void inTransaction(Work work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private interface Call {
        void run() throws SQLException;
    }

    /** Times one replayed call and files it under its operation; a failure is counted by its SQLState, not thrown. */
    private static boolean timed(LoadRun.Measured measured, String operation, Call call) {
        long t = System.nanoTime();
        String error = null;
        try {
            call.run();
        } catch (SQLException e) {
            error = "SQLState " + e.getSQLState();
        } catch (RuntimeException e) {
            error = e.getClass().getSimpleName();
        }
        measured.of(operation).record(System.nanoTime() - t, error);
        return error == null;
    }

    private static String arn(String name) {
        return "arn:aws:firehose:" + REGION + ":" + ACCOUNT + ":deliverystream/" + name;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /**
     * The service's audit group commit for calls outside a transaction (reads): each caller waits until its row is
     * committed, and the rows of every caller waiting at that moment go in one batch insert in one transaction.
     */
    private static final class AuditGroupCommit {

        private record Pending(AuditRow row, CompletableFuture<Void> committed) {
        }

        private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(10_000);
        private final HikariDataSource pool;
        private final Thread writer;
        private volatile boolean running = true;

        AuditGroupCommit(HikariDataSource pool) {
            this.pool = pool;
            this.writer = new Thread(this::write, "sql-bound-audit-group-commit");
            this.writer.setDaemon(true);
            this.writer.start();
        }

        void append(AuditRow row) throws SQLException {
            Pending pending = new Pending(row, new CompletableFuture<>());
            try {
                queue.put(pending);
                pending.committed().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException(e);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new SQLException("audit row not committed within 30 s", e);
            }
        }

        private void write() {
            List<Pending> batch = new ArrayList<>();
            while (running) {
                try {
                    Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, 499);
                    try (Connection c = pool.getConnection()) {
                        c.setAutoCommit(false);
                        try (PreparedStatement s = c.prepareStatement(INSERT_AUDIT)) {
                            for (Pending p : batch) {
                                bindAudit(s, p.row());
                                s.addBatch();
                            }
                            s.executeBatch();
                            c.commit();
                        } catch (SQLException e) {
                            c.rollback();
                            throw e;
                        } finally {
                            c.setAutoCommit(true);
                        }
                    }
                    batch.forEach(p -> p.committed().complete(null));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (SQLException | RuntimeException e) {
                    batch.forEach(p -> p.committed().completeExceptionally(e));
                } finally {
                    batch.clear();
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            writer.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    /** Drops the scratch copy: the service's database is left as the service made it. */
    @Override
    public void close() throws InterruptedException {
        audit.stop();
        pool.close();
        // Reported, not thrown: the figures are measured by now, and a copy left behind is named and harmless.
        try (Connection c = DriverManager.getConnection(adminUrl, user, password)) {
            dropCopy(c);
        } catch (SQLException e) {
            System.err.println("Could not drop schema " + SCHEMA + ": " + e.getMessage());
        }
    }
}
