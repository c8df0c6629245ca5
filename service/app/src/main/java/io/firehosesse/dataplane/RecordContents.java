package io.firehosesse.dataplane;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.firehosesse.api.deliverystream.StreamKey;
import io.firehosesse.auth.AuthenticationException;
import io.firehosesse.audit.CallAudit;
import io.firehosesse.auth.Callers;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamView;
import io.firehosesse.readmodel.deliverystream.DeliveryStreamViews;
import io.firehosesse.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/delivery-streams/{name}/records?decrypt=true}: the contents of buffered records, for
 * debugging. Reading plaintext is an audited act: the caller is authenticated as on the wire (SigV4 when a
 * credentials file is configured), sees only streams of its own account, and every read, refused or not,
 * leaves a CloudTrail record ({@code GetRecordContents}) and a log line naming who read which stream.
 */
@RestController
class RecordContents {

    private static final Logger log = LoggerFactory.getLogger(RecordContents.class);
    static final String EVENT_NAME = "GetRecordContents";

    private final Callers callers;
    private final CallAudit audit;
    private final DeliveryStreamViews views;
    private final RecordOpener opener;
    private final JdbcClient jdbc;

    RecordContents(Callers callers, CallAudit audit, DeliveryStreamViews views, RecordOpener opener, JdbcClient jdbc) {
        this.callers = callers;
        this.audit = audit;
        this.views = views;
        this.opener = opener;
        this.jdbc = jdbc;
    }

    /** A buffered record with its contents, base64 as on the wire. */
    record RecordContent(long arrival, String recordId, Instant arrivedAt, boolean encrypted, String keyArn, String data) {
    }

    record ContentPage(List<RecordContent> records, Long nextCursor) {
    }

    @GetMapping(path = "/api/delivery-streams/{name}/records", params = "decrypt=true")
    ResponseEntity<?> contents(@PathVariable String name, @RequestParam(defaultValue = "-1") long cursor,
                               @RequestParam(defaultValue = "100") int limit, HttpServletRequest request) {
        var parameters = JsonNodeFactory.instance.objectNode().put("DeliveryStreamName", name).put("Cursor", cursor)
                .put("Limit", limit).put("Decrypt", true);
        Caller caller = null;
        try {
            caller = callers.ofApi(request);
            if (limit < 1 || limit > 100) {
                return refuse(request, caller, parameters, HttpStatus.BAD_REQUEST, "ValidationException",
                        "limit must be between 1 and 100.");
            }
            StreamKey key = new StreamKey(caller.accountId(), caller.region(), name);
            DeliveryStreamView stream = views.find(key).orElse(null);
            if (stream == null) {
                return refuse(request, caller, parameters, HttpStatus.NOT_FOUND, "ResourceNotFoundException",
                        "Firehose " + name + " under account " + caller.accountId() + " not found.");
            }
            RecordOpener.Session session = opener.session(stream.accountId(), stream.region(), stream.arn());
            List<RecordContent> records = jdbc.sql("""
                            SELECT arrival, record_id, arrived_at, encrypted, key_arn, wrapped_data_key, iv, data FROM record_buffer
                             WHERE stream_id = :stream AND arrival > :after ORDER BY arrival LIMIT :limit
                            """)
                    .param("stream", stream.streamId()).param("after", cursor).param("limit", limit + 1)
                    .query((rs, row) -> {
                        boolean encrypted = rs.getBoolean("encrypted");
                        byte[] data = encrypted ? session.open(new RecordOpener.Sealed(rs.getString("record_id"),
                                rs.getString("key_arn"), rs.getBytes("wrapped_data_key"), rs.getBytes("iv"), rs.getBytes("data")))
                                : rs.getBytes("data");
                        return new RecordContent(rs.getLong("arrival"), rs.getString("record_id"),
                                rs.getTimestamp("arrived_at").toInstant(), encrypted, rs.getString("key_arn"),
                                Base64.getEncoder().encodeToString(data));
                    })
                    .list();
            boolean more = records.size() > limit;
            List<RecordContent> page = more ? records.subList(0, limit) : records;
            audit.append("firehose.amazonaws.com", EVENT_NAME, request, caller, parameters, null, null, null);
            log.warn("Contents of {} records of stream {} read by {} (request {})", page.size(), stream.arn(),
                    caller.principal() != null ? caller.principal() : "an unverified caller", caller.requestId());
            return ResponseEntity.ok(new ContentPage(page, more ? page.get(page.size() - 1).arrival() : null));
        } catch (AuthenticationException refused) {
            return refuse(request, caller, parameters, HttpStatus.FORBIDDEN, refused.reason().jsonCode(), refused.getMessage());
        }
    }

    private ResponseEntity<ProblemDetail> refuse(HttpServletRequest request, Caller caller,
                                                 com.fasterxml.jackson.databind.JsonNode parameters, HttpStatus status,
                                                 String code, String message) {
        audit.append("firehose.amazonaws.com", EVENT_NAME, request, caller, parameters, null, code, message);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        problem.setTitle(code);
        problem.setProperty("code", code);
        return ResponseEntity.status(status).body(problem);
    }
}
