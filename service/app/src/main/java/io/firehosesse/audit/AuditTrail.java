package io.firehosesse.audit;

import io.firehosesse.audit.ResourceArns.DeliveryStream;
import io.firehosesse.platform.AfterCommit;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import jakarta.annotation.PreDestroy;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where API calls are recorded. Inside a Spring transaction {@link #append} is a plain insert that joins it, so a
 * call's record commits or rolls back with the events the call caused. Outside one (reads, refused calls) it is
 * group-committed with the records of the calls answered at the same moment, and returns once committed. It
 * takes no lock; the {@link AuditSealer} chains rows after they commit.
 */
@Component
public class AuditTrail {

    private static final String INSERT = """
            INSERT INTO audit_event (event_id, event_time, event_source, event_name, account_id, region,
                                     principal_arn, access_key_id, error_code, read_only, request_id,
                                     delivery_stream_arn, delivery_stream_name, record, appended_at)
            VALUES (:eventId, :eventTime, :eventSource, :eventName, :accountId, :region,
                    :principal, :accessKeyId, :errorCode, :readOnly, :requestId,
                    :streamArn, :streamName, :record, :appendedAt)
            """;

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final AuditGroupCommit groupCommit;
    private final AuditSealer sealer;

    AuditTrail(NamedParameterJdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactionManager, AuditSealer sealer) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
        this.groupCommit = new AuditGroupCommit(this::insertAll, this::insert);
    }

    /** Records one call; an event id already recorded is refused (a {@code DuplicateKeyException}). */
    public void append(AuditRecord record) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            insert(record);
            // The sealer can chain the row once it is committed, not before: woken then, not now.
            AfterCommit.run(sealer::wake);
        } else {
            groupCommit.append(record);
            sealer.wake();
        }
    }

    private void insert(AuditRecord record) {
        jdbc.update(INSERT, parameters(record));
    }

    private void insertAll(List<AuditRecord> records) {
        SqlParameterSource[] batch = records.stream().map(this::parameters).toArray(SqlParameterSource[]::new);
        transactions.executeWithoutResult(tx -> jdbc.batchUpdate(INSERT, batch));
    }

    private SqlParameterSource parameters(AuditRecord record) {
        Optional<DeliveryStream> stream = ResourceArns.firstDeliveryStream(record.resourceArns());
        return new MapSqlParameterSource()
                .addValue("eventId", record.eventId())
                .addValue("eventTime", utc(record.eventTime()))
                .addValue("eventSource", record.eventSource())
                .addValue("eventName", record.eventName())
                .addValue("accountId", record.recipientAccountId())
                .addValue("region", record.awsRegion())
                .addValue("principal", record.userIdentity().arn())
                .addValue("accessKeyId", record.userIdentity().accessKeyId())
                .addValue("errorCode", record.errorCode())
                .addValue("readOnly", record.readOnly())
                .addValue("requestId", record.requestId())
                .addValue("streamArn", stream.map(DeliveryStream::arn).orElse(null))
                .addValue("streamName", stream.map(DeliveryStream::name).orElse(null))
                .addValue("record", CloudTrailJson.write(record))
                .addValue("appendedAt", utc(clock.instant()));
    }

    @PreDestroy
    void stop() throws InterruptedException {
        groupCommit.stop();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
