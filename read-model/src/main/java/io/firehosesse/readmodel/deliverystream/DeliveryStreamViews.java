package io.firehosesse.readmodel.deliverystream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.api.deliverystream.DeliveryStreamStatus;
import io.firehosesse.api.deliverystream.DeliveryStreamType;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.KinesisStreamSource;
import io.firehosesse.api.deliverystream.StreamKey;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView.EncryptionView;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView.FailureView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the delivery-stream view. */
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
                DeliveryStreamViewProjection.instantOrNull(rs.getTimestamp("last_update_timestamp")),
                DeliveryStreamViewProjection.instantOrNull(rs.getTimestamp("delivery_start_timestamp")),
                read(rs.getString("kinesis_source"), KinesisStreamSource.class),
                read(rs.getString("destinations"), DESTINATIONS),
                read(rs.getString("tags"), TAGS),
                new EncryptionView(rs.getString("encryption_status"), rs.getString("encryption_key_type"),
                        rs.getString("encryption_key_arn"), encryptionFailureType == null ? null
                                : new FailureView(encryptionFailureType, rs.getString("encryption_failure_details"))),
                failureType == null ? null : new FailureView(failureType, rs.getString("failure_details")));
    }

    private <T> T read(String value, Class<T> type) {
        try {
            return value == null ? null : json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable column in delivery_stream_view", e);
        }
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return value == null ? null : json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable column in delivery_stream_view", e);
        }
    }
}
