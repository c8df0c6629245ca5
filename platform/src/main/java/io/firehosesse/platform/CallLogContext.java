package io.firehosesse.platform;

import java.util.Map;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.MDC;

/**
 * The call a log line belongs to, in the logging MDC: the request id answered as {@code x-amzn-RequestId} and who
 * called. The web edge puts them in for the request's thread; as an Axon handler interceptor this puts them in for an
 * event processor handling that call's events on a thread of its own (the keys are the metadata keys the caller's
 * correlation data carries from the command to its events). On the call's own thread (a subscribing processor) the
 * values are already there and nothing is done.
 */
public final class CallLogContext implements MessageHandlerInterceptor<EventMessage<?>> {

    /** MDC and metadata key of the request id. */
    public static final String REQUEST_ID = "requestId";
    /** MDC and metadata key of the caller's principal ARN, when known. */
    public static final String PRINCIPAL = "principal";
    /** MDC and metadata key of the access key id the request was signed with, when it was. */
    public static final String ACCESS_KEY_ID = "accessKeyId";

    /** Puts the caller's principal and access key in; the request id is already there (from the request's start). */
    public static void putCaller(String principal, String accessKeyId) {
        if (principal != null) {
            MDC.put(PRINCIPAL, principal);
        }
        if (accessKeyId != null) {
            MDC.put(ACCESS_KEY_ID, accessKeyId);
        }
    }

    /** Takes the call's keys out again, at the end of a request. */
    public static void clear() {
        MDC.remove(REQUEST_ID);
        MDC.remove(PRINCIPAL);
        MDC.remove(ACCESS_KEY_ID);
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Map<String, ?> metaData = unitOfWork.getMessage().getMetaData();
        Object requestId = metaData.get(REQUEST_ID);
        if (requestId == null || requestId.equals(MDC.get(REQUEST_ID))) {
            return chain.proceed();
        }
        String previousId = MDC.get(REQUEST_ID);
        String previousPrincipal = MDC.get(PRINCIPAL);
        String previousKey = MDC.get(ACCESS_KEY_ID);
        MDC.put(REQUEST_ID, requestId.toString());
        put(PRINCIPAL, metaData.get(PRINCIPAL));
        put(ACCESS_KEY_ID, metaData.get(ACCESS_KEY_ID));
        try {
            return chain.proceed();
        } finally {
            put(REQUEST_ID, previousId);
            put(PRINCIPAL, previousPrincipal);
            put(ACCESS_KEY_ID, previousKey);
        }
    }

    private static void put(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value.toString());
        }
    }
}
