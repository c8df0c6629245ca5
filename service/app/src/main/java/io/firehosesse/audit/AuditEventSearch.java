package io.firehosesse.audit;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds recorded calls by the filters of {@code GET /api/audit/events}. The WHERE clause is put together from
 * fixed fragments, one per filter given, so each query names only the columns it filters on and PostgreSQL can
 * pick that filter's index; every value is a bind parameter.
 */
@Component
class AuditEventSearch {

    private final JdbcClient jdbc;

    AuditEventSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * All filters optional and combined with AND. A delivery stream is matched by name, in any region and
     * account, unless {@code deliveryStreamArn} names one exactly. {@code accountId}: only records whose account
     * (CloudTrail's recipientAccountId) is this one, as a signed caller who is not an admin sees the trail.
     */
    record Filter(String eventName, String principalArn, String accessKeyId, String deliveryStreamName,
                  String deliveryStreamArn, String errorCode, String requestId, Instant from, Instant to,
                  String accountId) {
    }

    record Found(long sequence, String record) {
    }

    /** Up to {@code limit} calls after sequence {@code after}, in sequence order. */
    List<Found> find(Filter filter, long after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT sequence, record FROM audit_event WHERE sequence > :after");
        Map<String, Object> params = new HashMap<>();
        params.put("after", after);
        params.put("limit", limit);
        where(sql, params, "event_name = :eventName", "eventName", filter.eventName());
        where(sql, params, "principal_arn = :principal", "principal", filter.principalArn());
        where(sql, params, "access_key_id = :accessKeyId", "accessKeyId", filter.accessKeyId());
        where(sql, params, "delivery_stream_name = :streamName", "streamName", filter.deliveryStreamName());
        where(sql, params, "delivery_stream_arn = :streamArn", "streamArn", filter.deliveryStreamArn());
        where(sql, params, "error_code = :errorCode", "errorCode", filter.errorCode());
        where(sql, params, "request_id = :requestId", "requestId", filter.requestId());
        where(sql, params, "event_time >= :from", "from", filter.from() == null ? null : AuditTrail.utc(filter.from()));
        where(sql, params, "event_time <= :to", "to", filter.to() == null ? null : AuditTrail.utc(filter.to()));
        where(sql, params, "account_id = :accountId", "accountId", filter.accountId());
        sql.append(" ORDER BY sequence LIMIT :limit");
        return jdbc.sql(sql.toString()).params(params)
                .query((rs, row) -> new Found(rs.getLong("sequence"), rs.getString("record")))
                .list();
    }

    private static void where(StringBuilder sql, Map<String, Object> params, String condition, String name, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            params.put(name, value);
        }
    }
}
