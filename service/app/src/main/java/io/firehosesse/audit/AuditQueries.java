package io.firehosesse.audit;

import io.firehosesse.readmodel.api.ApiCaller;
import io.firehosesse.readmodel.api.BadParameterException;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.util.RawValue;
import io.firehosesse.audit.AuditEventSearch.Filter;
import io.firehosesse.audit.AuditEventSearch.Found;
import io.firehosesse.audit.ChainVerification.ChainReport;
import io.firehosesse.audit.ResourceArns.DeliveryStream;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail over REST: recorded calls as CloudTrail records, and a check of the hash chain. */
@RestController
@RequestMapping("/api/audit")
class AuditQueries {

    static final int MAX_LIMIT = 1000;

    private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,127}");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Za-z0-9]{1,128}");
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9.:_-]{1,128}");
    private static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,64}");

    private final AuditEventSearch search;
    private final ChainVerification chain;

    AuditQueries(AuditEventSearch search, ChainVerification chain) {
        this.search = search;
        this.chain = chain;
    }

    /** CloudTrail's own file format names the list {@code Records}; each is the stored text, byte for byte. */
    record AuditEventPage(
            @JsonProperty("Records")
            @ArraySchema(schema = @Schema(implementation = Object.class,
                    description = "A CloudTrail record, eventVersion 1.11"))
            List<RawValue> records,
            Long nextCursor) {
    }

    /**
     * Recorded calls in the order they were recorded, filtered (all filters combine): {@code principal} is the
     * userIdentity ARN, {@code deliveryStream} a stream name (any region) or its ARN, {@code from}/{@code to}
     * bound the event time (both inclusive). Unsealed records are included.
     */
    @GetMapping("/events")
    AuditEventPage events(@RequestParam(required = false) String eventName,
                     @RequestParam(required = false) String principal,
                     @RequestParam(required = false) String accessKeyId,
                     @RequestParam(required = false) String deliveryStream,
                     @RequestParam(required = false) String errorCode,
                     @RequestParam(required = false) String requestId,
                     @RequestParam(required = false) String from,
                     @RequestParam(required = false) String to,
                     @RequestParam(required = false) Long cursor,
                     @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadParameterException("limit", "limit must be between 1 and " + MAX_LIMIT + ".");
        }
        if (cursor != null && cursor < 0) {
            throw new BadParameterException("cursor", "cursor must be the nextCursor of an earlier page.");
        }
        require("eventName", eventName, EVENT_NAME, "an API operation name such as CreateDeliveryStream");
        require("accessKeyId", accessKeyId, ACCESS_KEY_ID, "an access key id such as AKIAIOSFODNN7EXAMPLE");
        require("errorCode", errorCode, ERROR_CODE, "an AWS error code such as ResourceNotFoundException");
        if (principal != null && !principal.startsWith("arn:")) {
            throw new BadParameterException("principal",
                    "principal must be the caller's ARN, such as arn:aws:iam::123456789012:user/alice.");
        }
        if (requestId != null && (requestId.isBlank() || requestId.length() > 256)) {
            throw new BadParameterException("requestId", "requestId must be the x-amzn-RequestId of a call.");
        }
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        requireOrder(start, end);
        String streamName = null;
        String streamArn = null;
        if (deliveryStream != null) {
            DeliveryStream stream = deliveryStream(deliveryStream);
            streamName = stream.name();
            streamArn = stream.arn();
        }
        // A caller reads its own account's records; an admin (and anyone in open mode) the whole trail.
        ApiCaller caller = ApiCaller.current();
        List<Found> found = search.find(new Filter(eventName, principal, accessKeyId, streamName, streamArn, errorCode,
                requestId, start, end, caller.seesWholeTrail() ? null : caller.accountId()), cursor == null ? 0 : cursor,
                limit + 1);
        boolean more = found.size() > limit;
        List<Found> page = more ? found.subList(0, limit) : found;
        return new AuditEventPage(page.stream().map(f -> new RawValue(f.record())).toList(),
                more ? page.get(page.size() - 1).sequence() : null);
    }

    /**
     * Recomputes the hash chain over the sealed records whose event time is in range (both ends optional). The chain
     * runs through every account's records, so with a credentials file only an admin may ask (auth.ApiAuthentication).
     */
    @GetMapping("/verify")
    ChainReport verify(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        requireOrder(start, end);
        return chain.verify(start, end);
    }

    private static DeliveryStream deliveryStream(String nameOrArn) {
        if (nameOrArn.startsWith("arn:")) {
            return ResourceArns.deliveryStream(nameOrArn).orElseThrow(() -> new BadParameterException("deliveryStream",
                    "'" + nameOrArn + "' is not a delivery stream ARN."));
        }
        if (!STREAM_NAME.matcher(nameOrArn).matches()) {
            throw new BadParameterException("deliveryStream",
                    "'" + nameOrArn + "' is neither a delivery stream name nor its ARN.");
        }
        return new DeliveryStream(null, nameOrArn);
    }

    private static void require(String parameter, String value, Pattern pattern, String what) {
        if (value != null && !pattern.matcher(value).matches()) {
            throw new BadParameterException(parameter, parameter + " must be " + what + ".");
        }
    }

    private static Instant instant(String parameter, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadParameterException(parameter,
                    parameter + " must be an ISO-8601 instant such as 2026-11-27T10:00:00Z.");
        }
    }

    private static void requireOrder(Instant from, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw new BadParameterException("to", "to must not be before from.");
        }
    }
}
