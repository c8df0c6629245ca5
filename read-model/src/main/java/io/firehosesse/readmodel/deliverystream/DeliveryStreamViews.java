package io.firehosesse.readmodel.deliverystream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.api.deliverystream.DeliveryStreamStatus;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.KinesisStreamSource;
import io.firehosesse.api.deliverystream.SourceConfiguration;
import io.firehosesse.api.deliverystream.StreamKey;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView.EncryptionView;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView.FailureView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code delivery_stream_view} table: what the projection stores and the queries read. */
@Component
public class DeliveryStreamViews {

    private static final TypeReference<List<Destination>> DESTINATIONS = new TypeReference<>() { };
    private static final TypeReference<TreeMap<String, String>> TAGS = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public DeliveryStreamViews(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<DeliveryStreamView> find(StreamKey key) {
        return jdbc.sql("SELECT * FROM delivery_stream_view WHERE account_id = :account AND region = :region AND name = :name")
                .param("account", key.accountId())
                .param("region", key.region())
                .param("name", key.name())
                .query(this::view)
                .optional();
    }

    public Optional<DeliveryStreamView> findById(String streamId) {
        return jdbc.sql("SELECT * FROM delivery_stream_view WHERE stream_id = :id")
                .param("id", streamId)
                .query(this::view)
                .optional();
    }

    Optional<DeliveryStreamView> lockById(String table, String streamId) {
        return jdbc.sql("SELECT * FROM " + table + " WHERE stream_id = :id FOR UPDATE")
                .param("id", streamId)
                .query(this::view)
                .optional();
    }

    List<DeliveryStreamView> lockByIds(String table, List<String> streamIds) {
        return jdbc.sql("SELECT * FROM " + table + " WHERE stream_id IN (:ids) ORDER BY stream_id FOR UPDATE")
                .param("ids", streamIds)
                .query(this::view)
                .list();
    }

    void save(String table, DeliveryStreamView view) {
        jdbc.sql("INSERT INTO " + table + """
                         (stream_id, account_id, region, name, arn, status, stream_type,
                            version_id, create_timestamp, last_update_timestamp, delivery_start_timestamp, kinesis_source,
                            source_configuration, destinations, tags, encryption_status, encryption_key_type, encryption_key_arn,
                            encryption_failure_type, encryption_failure_details, failure_type, failure_details, last_sequence)
                        VALUES (:id, :account, :region, :name, :arn, :status, :type, :version, :created, :updated, :started,
                            CAST(:kinesis AS jsonb), CAST(:source AS jsonb), CAST(:destinations AS jsonb), CAST(:tags AS jsonb), :encStatus, :keyType,
                            :keyArn, :encFailureType, :encFailureDetails, :failureType, :failureDetails, :seq)
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
                        """)
                .param("id", view.streamId())
                .param("account", view.accountId())
                .param("region", view.region())
                .param("name", view.name())
                .param("arn", view.arn())
                .param("status", view.status().name())
                .param("type", view.type().name())
                .param("version", view.versionId())
                .param("created", timestamp(view.createTimestamp()))
                .param("updated", timestamp(view.lastUpdateTimestamp()))
                .param("started", timestamp(view.deliveryStartTimestamp()))
                .param("kinesis", view.kinesisSource() == null ? null : write(view.kinesisSource()))
                .param("source", view.source() == null ? null : write(view.source()))
                .param("destinations", write(view.destinations()))
                .param("tags", write(view.tags()))
                .param("encStatus", view.encryption().status())
                .param("keyType", view.encryption().keyType())
                .param("keyArn", view.encryption().keyArn())
                .param("encFailureType", view.encryption().failure() == null ? null : view.encryption().failure().type())
                .param("encFailureDetails", view.encryption().failure() == null ? null : view.encryption().failure().details())
                .param("failureType", view.failure() == null ? null : view.failure().type())
                .param("failureDetails", view.failure() == null ? null : view.failure().details())
                .param("seq", view.lastSequence())
                .update();
    }

    void delete(String table, String streamId) {
        jdbc.sql("DELETE FROM " + table + " WHERE stream_id = :id").param("id", streamId).update();
    }

    /** Names after {@code exclusiveStart} (if any) in name order, at most {@code limit} of them. */
    public StreamNamePage names(String accountId, String region, DeliveryStreamType type, String exclusiveStart, int limit) {
        List<String> names = jdbc.sql("""
                        SELECT name FROM delivery_stream_view
                         WHERE account_id = :account AND region = :region
                           AND (CAST(:type AS varchar) IS NULL OR stream_type = :type)
                           AND (CAST(:after AS varchar) IS NULL OR name COLLATE "C" > :after)
                         ORDER BY name COLLATE "C"
                         LIMIT :limit
                        """)
                .param("account", accountId)
                .param("region", region)
                .param("type", type == null ? null : type.name())
                .param("after", exclusiveStart)
                .param("limit", limit + 1)
                .query(String.class)
                .list();
        boolean hasMore = names.size() > limit;
        return new StreamNamePage(hasMore ? names.subList(0, limit) : names, hasMore);
    }

    /** Views in name order after {@code exclusiveStart}, optionally only those with an encryption status or key. */
    public List<DeliveryStreamView> list(String accountId, String region, String encryptionStatus, String keyArn,
                                         String exclusiveStart, int limit) {
        return jdbc.sql("""
                        SELECT * FROM delivery_stream_view
                         WHERE account_id = :account AND region = :region
                           AND (CAST(:status AS varchar) IS NULL OR encryption_status = :status)
                           AND (CAST(:key AS varchar) IS NULL OR encryption_key_arn = :key)
                           AND (CAST(:after AS varchar) IS NULL OR name COLLATE "C" > :after)
                         ORDER BY name COLLATE "C"
                         LIMIT :limit
                        """)
                .param("account", accountId)
                .param("region", region)
                .param("status", encryptionStatus)
                .param("key", keyArn)
                .param("after", exclusiveStart)
                .param("limit", limit)
                .query(this::view)
                .list();
    }

    private DeliveryStreamView view(ResultSet rs, int row) throws SQLException {
        String failureType = rs.getString("failure_type");
        String encryptionFailureType = rs.getString("encryption_failure_type");
        return new DeliveryStreamView(
                rs.getString("stream_id"),
                rs.getString("account_id"),
                rs.getString("region"),
                rs.getString("name"),
                rs.getString("arn"),
                DeliveryStreamStatus.valueOf(rs.getString("status")),
                DeliveryStreamType.valueOf(rs.getString("stream_type")),
                rs.getLong("version_id"),
                rs.getTimestamp("create_timestamp").toInstant(),
                instant(rs.getTimestamp("last_update_timestamp")),
                instant(rs.getTimestamp("delivery_start_timestamp")),
                read(rs.getString("kinesis_source"), new TypeReference<KinesisStreamSource>() { }),
                read(rs.getString("source_configuration"), new TypeReference<SourceConfiguration>() { }),
                read(rs.getString("destinations"), DESTINATIONS),
                read(rs.getString("tags"), TAGS),
                new EncryptionView(rs.getString("encryption_status"), rs.getString("encryption_key_type"),
                        rs.getString("encryption_key_arn"), encryptionFailureType == null ? null
                                : new FailureView(encryptionFailureType, rs.getString("encryption_failure_details"))),
                failureType == null ? null : new FailureView(failureType, rs.getString("failure_details")),
                rs.getLong("last_sequence"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return value == null ? null : json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable column in delivery_stream_view", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a delivery_stream_view column", e);
        }
    }
}
