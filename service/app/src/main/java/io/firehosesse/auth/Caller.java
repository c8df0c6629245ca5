package io.firehosesse.auth;

import io.firehosesse.platform.CallLogContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Who made a request and how: carried as metadata on every command and, through Axon's correlation
 * data, on every event the command causes. This is where the audit trail starts.
 */
public record Caller(String requestId, String accountId, String region, String accessKeyId, String principal,
                     String sourceIp, String userAgent, Identity identity) {

    /**
     * How the caller proved who they are: CloudTrail's userIdentity type, for session credentials when the
     * session was issued and (for an assumed role) the role, and whether the signature was checked at all.
     */
    public record Identity(String type, Instant sessionIssuedAt, String sessionIssuerArn, boolean verified) {

        public static final Identity UNVERIFIED = new Identity("Unknown", null, null, false);
    }

    public Instant sessionIssuedAt() {
        return identity == null ? null : identity.sessionIssuedAt();
    }

    // The keys the logging MDC uses too, so an event processor can log with its event's call (CallLogContext).
    public static final String REQUEST_ID = CallLogContext.REQUEST_ID;
    public static final String ACCESS_KEY_ID = CallLogContext.ACCESS_KEY_ID;
    public static final String PRINCIPAL = CallLogContext.PRINCIPAL;
    public static final String SOURCE_IP = "sourceIp";
    public static final String USER_AGENT = "userAgent";
    public static final String REGION = "region";
    public static final String SESSION_ISSUED_AT = "sessionIssuedAt";

    public static final String[] METADATA_KEYS = {REQUEST_ID, ACCESS_KEY_ID, PRINCIPAL, SOURCE_IP, USER_AGENT, REGION,
            SESSION_ISSUED_AT};

    public Map<String, String> metaData() {
        Map<String, String> metaData = new HashMap<>();
        put(metaData, REQUEST_ID, requestId);
        put(metaData, ACCESS_KEY_ID, accessKeyId);
        put(metaData, PRINCIPAL, principal);
        put(metaData, SOURCE_IP, sourceIp);
        put(metaData, USER_AGENT, userAgent);
        put(metaData, REGION, region);
        put(metaData, SESSION_ISSUED_AT, sessionIssuedAt() == null ? null : sessionIssuedAt().toString());
        return metaData;
    }

    private static void put(Map<String, String> metaData, String key, String value) {
        if (value != null) {
            metaData.put(key, value);
        }
    }
}
