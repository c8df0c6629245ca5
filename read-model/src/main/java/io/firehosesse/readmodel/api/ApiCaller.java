package io.firehosesse.readmodel.api;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Whose data a request to {@code /api} may see. The service's authentication filter establishes it once per request,
 * before any controller runs, and leaves it in a request attribute; the queries read it here. This type is the seam:
 * the read model knows which account asks, never how the request proved it.
 *
 * @param accountId  the account a stream name (without an ARN) is looked up in, and whose lists are shown
 * @param anyAccount open mode: a stream or key of any account can be named by its ARN, and the whole audit trail is
 *                   readable, as before there was authentication
 * @param admin      may call {@code /api/admin/**}, verify the audit chain and read every account's audit records
 */
public record ApiCaller(String accountId, boolean anyAccount, boolean admin) {

    public static final String ATTRIBUTE = ApiCaller.class.getName();

    /** Without a credentials file: the configured account for names, anything by ARN, every operation. */
    public static ApiCaller open(String accountId) {
        return new ApiCaller(accountId, true, true);
    }

    /** A verified caller: its own account only; admin if the credentials file says so. */
    public static ApiCaller signed(String accountId, boolean admin) {
        return new ApiCaller(accountId, false, admin);
    }

    /** Whether this caller may see a resource of {@code account}. */
    public boolean sees(String account) {
        return anyAccount || accountId.equals(account);
    }

    /** Whether the whole audit trail is readable, every account's records and refusals without an account. */
    public boolean seesWholeTrail() {
        return anyAccount || admin;
    }

    /**
     * The caller of the request this thread serves. A query reached without one is a wiring fault, not an anonymous
     * caller: failing here keeps a controller that escaped the filter from answering with everyone's data.
     */
    public static ApiCaller current() {
        Object caller = RequestContextHolder.currentRequestAttributes().getAttribute(ATTRIBUTE,
                RequestAttributes.SCOPE_REQUEST);
        if (caller instanceof ApiCaller established) {
            return established;
        }
        throw new IllegalStateException("No caller was established for this /api request");
    }
}
