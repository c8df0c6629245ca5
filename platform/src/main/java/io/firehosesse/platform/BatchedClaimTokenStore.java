package io.firehosesse.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.AbstractTokenEntry;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.UnableToInitializeTokenException;
import org.axonframework.eventhandling.tokenstore.UnableToRetrieveIdentifierException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Axon's JDBC token store, with the claims of an idle instance extended together. An idle tracking processor extends
 * its segment's claim each time it has waited the event availability timeout for events: per segment a transaction
 * with a {@code SELECT ... FOR UPDATE} and an {@code UPDATE}, so five segments cost ten statements and five
 * transactions every few seconds while nothing happens. Here the first extension asked for extends every claim this
 * instance holds in one {@code UPDATE}, and the extensions asked for within {@link #EXTEND_EVERY} after it of a claim
 * it extended are already done. A claim the bulk update did not find ours (taken over, or released) is left to
 * Axon's own extension, which claims it if it is free or says it cannot. Claims are therefore never older than
 * {@link #EXTEND_EVERY} plus the availability timeout, well under the claim timeout (10 s) that failover waits for.
 * Every other method is the delegate's; {@code BatchedClaimTokenStoreTest} fails if Axon adds one this class does
 * not pass on.
 */
public class BatchedClaimTokenStore implements TokenStore {

    /** How long a bulk extension stands for the extensions asked for after it. */
    static final Duration EXTEND_EVERY = Duration.ofSeconds(3);

    private record Claim(String processor, int segment) {
    }

    private record Extended(Instant at, Set<Claim> claims) {
    }

    private final TokenStore delegate;
    private final JdbcClient jdbc;
    private final String owner;
    private volatile Extended last = new Extended(Instant.MIN, Set.of());

    BatchedClaimTokenStore(TokenStore delegate, JdbcClient jdbc, String owner) {
        this.delegate = delegate;
        this.jdbc = jdbc;
        this.owner = owner;
    }

    @Override
    public void extendClaim(String processorName, int segment) throws UnableToClaimTokenException {
        Claim claim = new Claim(processorName, segment);
        Extended extended = extendedRecently();
        if (!extended.claims().contains(claim)) {
            delegate.extendClaim(processorName, segment);
        }
    }

    /**
     * The last bulk extension, made now if it is older than {@link #EXTEND_EVERY}. One thread at a time: segments that
     * ask together would otherwise each run the update, and each skip the rows the other's update holds.
     */
    private synchronized Extended extendedRecently() {
        Instant now = AbstractTokenEntry.clock.instant();
        Extended extended = last;
        if (Duration.between(extended.at(), now).compareTo(EXTEND_EVERY) >= 0) {
            // The same text Axon writes when it claims, so its own expiry check reads it. A claim whose row a batch
            // holds is passed over, not waited for: that batch stored its token (and so its claim) when it began, and
            // waiting would hold every other segment's next batch behind it.
            Set<Claim> ours = jdbc.sql("""
                            UPDATE token_entry SET "timestamp" = :now
                             WHERE (processor_name, segment) IN (SELECT processor_name, segment FROM token_entry
                                                                  WHERE owner = :owner FOR UPDATE SKIP LOCKED)
                            RETURNING processor_name, segment
                            """)
                    .param("now", DateTimeUtils.formatInstant(now)).param("owner", owner)
                    .query((rs, row) -> new Claim(rs.getString(1), rs.getInt(2))).set();
            extended = new Extended(now, ours);
            last = extended;
        }
        return extended;
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount) throws UnableToClaimTokenException {
        delegate.initializeTokenSegments(processorName, segmentCount);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount, TrackingToken initialToken)
            throws UnableToClaimTokenException {
        delegate.initializeTokenSegments(processorName, segmentCount, initialToken);
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segment) throws UnableToClaimTokenException {
        delegate.storeToken(token, processorName, segment);
    }

    @Override
    public TrackingToken fetchToken(String processorName, int segment) throws UnableToClaimTokenException {
        return delegate.fetchToken(processorName, segment);
    }

    @Override
    public TrackingToken fetchToken(String processorName, Segment segment) throws UnableToClaimTokenException {
        return delegate.fetchToken(processorName, segment);
    }

    @Override
    public void releaseClaim(String processorName, int segment) {
        delegate.releaseClaim(processorName, segment);
        forget(processorName, segment);
    }

    /** Released: the next extension asked for must not take it for one done in bulk. */
    private synchronized void forget(String processorName, int segment) {
        last = new Extended(last.at(), last.claims().stream()
                .filter(c -> !(c.processor().equals(processorName) && c.segment() == segment))
                .collect(Collectors.toUnmodifiableSet()));
    }

    @Override
    public void initializeSegment(TrackingToken token, String processorName, int segment)
            throws UnableToInitializeTokenException {
        delegate.initializeSegment(token, processorName, segment);
    }

    @Override
    public void deleteToken(String processorName, int segment) throws UnableToClaimTokenException {
        delegate.deleteToken(processorName, segment);
    }

    @Override
    public boolean requiresExplicitSegmentInitialization() {
        return delegate.requiresExplicitSegmentInitialization();
    }

    @Override
    public int[] fetchSegments(String processorName) {
        return delegate.fetchSegments(processorName);
    }

    @Override
    public List<Segment> fetchAvailableSegments(String processorName) {
        return delegate.fetchAvailableSegments(processorName);
    }

    @Override
    public Optional<String> retrieveStorageIdentifier() throws UnableToRetrieveIdentifierException {
        return delegate.retrieveStorageIdentifier();
    }
}
