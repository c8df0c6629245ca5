package io.firehosesse.platform;

/**
 * One event processor, declared in code beside the handlers it runs (a {@code @Bean} of this type) and nowhere else:
 * no YAML decides it. Subscribing: runs in the transaction of the command that stored the events, so a projection is
 * never behind and a failing handler rolls the command back, the only way a rule across streams (such as the limit
 * of streams on one key) is exact. Tracking: runs after the commit on threads of its own, from a position kept in
 * the token store. Either way a handler's failure propagates: a subscribing one fails the command, a tracking one
 * retries its batch, so no event is ever skipped. {@link EventProcessing} registers the declarations with Axon and
 * refuses to start with a processing group that has none.
 *
 * @param segments  tracking only: segments and threads (one stream's events always go to one segment, in order)
 * @param batchSize tracking only: events handled in one transaction and token update when a backlog builds
 */
public record ProcessorDeclaration(String group, boolean subscribing, int segments, int batchSize) {

    /** How often a tracking processor with no claim looks for a free segment (Axon's default is 5 s). */
    static final long TOKEN_CLAIM_INTERVAL_MILLIS = 1000;
    /**
     * How long an idle segment waits for events before it extends its claim (Axon's default is 1 s, two statements a
     * second a segment). Events wake it at once whatever this is; it must stay well under the claim timeout (10 s).
     */
    static final long EVENT_AVAILABILITY_TIMEOUT_MILLIS = 3000;

    public static ProcessorDeclaration subscribing(String group) {
        return new ProcessorDeclaration(group, true, 0, 0);
    }

    public static ProcessorDeclaration tracking(String group, int segments, int batchSize) {
        return new ProcessorDeclaration(group, false, segments, batchSize);
    }
}
