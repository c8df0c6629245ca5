package io.firehosesse.audit;

import io.firehosesse.audit.ResourceArns.DeliveryStream;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Where API calls are recorded. {@link #append} is a plain insert on the current connection: inside a Spring
 * transaction it joins it, so a call's record commits or rolls back with the events the call caused. It
 * takes no lock; the {@link AuditSealer} chains rows after they commit.
 */
@Component
public class AuditTrail {

    private final JdbcClient jdbc;
    private final Clock clock;

    AuditTrail(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records one call; an event id already recorded is refused (a {@code DuplicateKeyException}). */
    public void append(AuditRecord record) {
        Optional<DeliveryStream> stream = ResourceArns.firstDeliveryStream(record.resourceArns());
        jdbc.sql("""
                        INSERT INTO audit_event (event_id, event_time, event_source, event_name, account_id, region,
                                                 principal_arn, access_key_id, error_code, read_only, request_id,
                                                 delivery_stream_arn, delivery_stream_name, record, appended_at)
                        VALUES (:eventId, :eventTime, :eventSource, :eventName, :accountId, :region,
                                :principal, :accessKeyId, :errorCode, :readOnly, :requestId,
                                :streamArn, :streamName, :record, :appendedAt)
                        """)
                .param("eventId", record.eventId())
                .param("eventTime", utc(record.eventTime()))
                .param("eventSource", record.eventSource())
                .param("eventName", record.eventName())
                .param("accountId", record.recipientAccountId())
                .param("region", record.awsRegion())
                .param("principal", record.userIdentity().arn())
                .param("accessKeyId", record.userIdentity().accessKeyId())
                .param("errorCode", record.errorCode())
                .param("readOnly", record.readOnly())
                .param("requestId", record.requestId())
                .param("streamArn", stream.map(DeliveryStream::arn).orElse(null))
                .param("streamName", stream.map(DeliveryStream::name).orElse(null))
                .param("record", CloudTrailJson.write(record))
                .param("appendedAt", utc(clock.instant()))
                .update();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
