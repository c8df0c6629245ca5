package io.firehosesse.dataplane;

import io.firehosesse.platform.ServiceReset;
import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.api.InvalidKmsResourceException;
import io.firehosesse.encryption.FirehoseGrant;
import io.firehosesse.encryption.KmsKeys;
import io.firehosesse.encryption.KmsResult;
import io.firehosesse.kms.KmsKeyChanged;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Data keys for records, from KMS GenerateDataKey on the stream's key with the stream ARN as
 * encryption context, reused for a bounded time and number of records (as the AWS Encryption SDK's
 * caching does) so that KMS is not called per record. The plaintext key lives only here, in memory.
 * For a customer managed key they are asked for as Firehose's grant's grantee, under the grant's constraint, as
 * Firehose does on AWS: KMS serves them only while that grant is there. The AWS-owned key is the service's own.
 * A key the embedded KMS reports changed (disabled, grant revoked …) is dropped at once, so a refusal by
 * KMS reaches the data path with the next record rather than when the cached key expires. A change made
 * through another instance of the service is not reported here, so a cached key is trusted for at most
 * {@link #MAX_AGE}: with several instances on one database, a disabled key or revoked grant reaches every
 * instance's data path within that time, inside the 5 seconds AWS gives itself: {@link #MAX_AGE} is the data-key
 * trust window.
 */
@Component
class DataKeys implements ServiceReset.Participant {

    static final Duration MAX_AGE = Duration.ofSeconds(4);
    static final long MAX_USES = 100_000;
    static final String REFUSED = "The grant for the CMK to this delivery stream might have been revoked or caller might"
            + " not have sufficient permissions for the CMK.";

    private final KmsKeys kms;
    private final Clock clock;
    private final Map<String, DataKey> cache = new ConcurrentHashMap<>();
    private final AtomicLong keyChanges = new AtomicLong();
    /** Puts served by a cached data key, and puts that asked KMS for one ({@code firehose.data.keys}). */
    private final Counter cacheHits;
    private final Counter generated;

    DataKeys(KmsKeys kms, Clock clock, MeterRegistry meters) {
        this.kms = kms;
        this.clock = clock;
        this.cacheHits = Counter.builder("firehose.data.keys").tag("result", "cached")
                .description("Data keys for puts: served from the cache (cached) or asked of KMS (generated)").register(meters);
        this.generated = Counter.builder("firehose.data.keys").tag("result", "generated")
                .description("Data keys for puts: served from the cache (cached) or asked of KMS (generated)").register(meters);
        Gauge.builder("firehose.data.keys.cached", cache, Map::size).description("Data keys held in memory").register(meters);
    }

    /** A usable data key: its AES key, the blob KMS wrapped it into, and the key ARN that wrapped it. */
    record DataKey(SecretKeySpec key, byte[] wrapped, String keyArn, Instant expiresAt, AtomicLong uses) {

        boolean usableAt(Instant now, int records) {
            return now.isBefore(expiresAt) && uses.get() + records <= MAX_USES;
        }
    }

    /** KMS refused a data key: the error it gave, for the caller and for the stream's FailureDescription. */
    static final class Refused extends InvalidKmsResourceException {

        private final transient KmsResult.KmsError error;

        Refused(KmsResult.KmsError error) {
            super(error.name(), REFUSED);
            this.error = error;
        }

        KmsResult.KmsError error() {
            return error;
        }
    }

    /**
     * A data key for {@code records} records; {@code fresh} skips the cache (the stream's key is known to have
     * failed, so only KMS itself can say whether it works again). KMS is called outside any lock: callers for
     * one stream never queue behind another's call to a slow KMS, and two of them may at worst both get a key.
     */
    DataKey forRecords(String accountId, String region, String keyArn, String streamArn, boolean throughGrant, int records,
                       boolean fresh) {
        Instant now = clock.instant();
        String id = keyArn + "|" + streamArn;
        DataKey cached = fresh ? null : cache.get(id);
        DataKey key = cached;
        if (cached == null || !cached.usableAt(now, records)) {
            generated.increment();
            long seen = keyChanges.get();
            key = generate(accountId, region, keyArn, streamArn, throughGrant, now);
            // A key changed meanwhile (disabled, grant revoked …) may have made this one unusable: serve this put
            // with it, as KMS did, but do not keep it.
            if (keyChanges.get() == seen) {
                cache.put(id, key);
            }
        } else {
            cacheHits.increment();
        }
        key.uses().addAndGet(records);
        return key;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(KmsKeyChanged changed) {
        keyChanges.incrementAndGet();
        String suffix = "/" + changed.keyId() + "|";
        cache.keySet().removeIf(id -> id.contains(suffix));
    }

    private DataKey generate(String accountId, String region, String keyArn, String streamArn, boolean throughGrant,
                             Instant now) {
        Map<String, String> context = FirehoseGrant.context(streamArn);
        KmsResult<KmsKeys.DataKey> result = throughGrant
                ? kms.generateDataKeyAsGrantee(new KmsKeys.Grantee(accountId, region, FirehoseGrant.GRANTEE), keyArn, context)
                : kms.generateDataKey(new KmsKeys.OnBehalfOf(accountId, region, null), keyArn, context);
        if (!result.isOk()) {
            if (KmsResult.KmsError.UNREACHABLE.equals(result.error().name())) {
                // KMS said nothing about the key: the records are refused as a retryable outage, and the stream's
                // encryption is not marked failed for it.
                throw new FirehoseException(FirehoseErrorCode.ServiceUnavailableException,
                        "KMS could not be reached for a data key to encrypt the records. Retry the request.");
            }
            throw new Refused(result.error());
        }
        KmsKeys.DataKey dataKey = result.value();
        return new DataKey(new SecretKeySpec(dataKey.plaintext(), "AES"), dataKey.ciphertextBlob(), dataKey.keyArn(),
                now.plus(MAX_AGE), new AtomicLong());
    }

    @Override
    public void afterReset() {
        cache.clear();
    }
}
