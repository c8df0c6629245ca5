package io.firehosesse.platform;

import java.lang.reflect.Field;
import org.axonframework.eventsourcing.AggregateCacheEntry;

/**
 * The one reach into Axon's internals, because Axon offers no hook for it: the last sequence number an aggregate
 * cache entry was built from. {@link AggregateCacheEntry} keeps it in a private field without an accessor, and
 * {@link CheckedAggregateCache} must compare it with the store's. Resolved when the class loads, so an Axon upgrade
 * that renames or retypes the field stops the service at start-up (and fails {@code CacheEntryVersionTest}) instead
 * of silently trusting stale entries.
 */
final class CacheEntryVersion {

    private static final Field VERSION = versionField();

    private CacheEntryVersion() {
    }

    /** The entry's version; null for an aggregate that had no events when it was cached. */
    static Long of(AggregateCacheEntry<?> entry) {
        try {
            return (Long) VERSION.get(entry);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Axon's AggregateCacheEntry.version cannot be read", e);
        }
    }

    private static Field versionField() {
        try {
            Field field = AggregateCacheEntry.class.getDeclaredField("version");
            if (field.getType() != Long.class) {
                throw new IllegalStateException("Axon's AggregateCacheEntry.version is a " + field.getType()
                        + ", not a Long: CheckedAggregateCache must be revisited for this Axon version");
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("Axon's AggregateCacheEntry has no field 'version' any more:"
                    + " CheckedAggregateCache must be revisited for this Axon version", e);
        }
    }
}
