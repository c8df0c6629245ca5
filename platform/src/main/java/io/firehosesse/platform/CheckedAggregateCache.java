package io.firehosesse.platform;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;

/**
 * The aggregate cache made safe for several instances on one database. Axon's caching repository trusts an
 * entry as the aggregate's whole state; with another instance appending to the same stream, that entry can be
 * behind the store. A command that then appends loses the race for the sequence number and is retried, but a
 * command judged on the old state without appending is simply wrong: a Start refused as "not ACTIVE" after
 * another instance activated the stream, or a process manager's "ENABLED" report ignored as late because this
 * instance had not seen the Start it answers (the stream then stays ENABLING for good).
 *
 * <p>So, once Axon holds this instance's lock on the aggregate and asks the cache for it, the lock is extended
 * to every instance (a PostgreSQL advisory lock held until the transaction ends), and the entry is used only if
 * it is at the store's last sequence number for the aggregate; otherwise it is dropped and the aggregate is
 * loaded from its snapshot and events. Under that lock nobody else appends, so the check stays true until
 * commit, and commands on one stream at different instances queue instead of racing. Cost: two indexed
 * statements per command.
 */
final class CheckedAggregateCache implements Cache {

    private final Cache entries;
    private final StoredEvents events;
    private final TransactionLocks locks;

    CheckedAggregateCache(Cache entries, StoredEvents events, TransactionLocks locks) {
        this.entries = entries;
        this.events = events;
        this.locks = locks;
    }

    @Override
    public <K, V> V get(K key) {
        String aggregateId = String.valueOf(key);
        locks.lock("aggregate/" + aggregateId);
        V entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        // A separate statement after the lock: in READ COMMITTED it sees whatever the previous holder committed.
        Long stored = events.lastSequence(aggregateId);
        if (stored == null || !(entry instanceof AggregateCacheEntry<?> cached) || !stored.equals(CacheEntryVersion.of(cached))) {
            entries.remove(key);
            return null;
        }
        return entry;
    }

    @Override
    public void put(Object key, Object value) {
        entries.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return entries.putIfAbsent(key, value);
    }

    @Override
    public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        return entries.computeIfAbsent(key, valueSupplier);
    }

    @Override
    public boolean remove(Object key) {
        return entries.remove(key);
    }

    @Override
    public void removeAll() {
        entries.removeAll();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        return entries.registerCacheEntryListener(cacheEntryListener);
    }

    @Override
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        entries.computeIfPresent(key, update);
    }
}
