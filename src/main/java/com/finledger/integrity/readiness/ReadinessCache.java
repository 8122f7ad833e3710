package com.finledger.integrity.readiness;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A very short-lived cache in front of the readiness API, which many sensors poll. Changes made by
 * this instance invalidate it at once; changes made by another instance show within the TTL (1 s by
 * default, 0 turns it off), well inside any sensor's poke interval.
 */
@ApplicationScoped
public class ReadinessCache {

    private record Entry(Optional<ReadinessResource.ReadinessView> view, long loadedAt) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile long ttlNanos;

    public ReadinessCache(@ConfigProperty(name = "finledger.readiness.cache-ttl-ms", defaultValue = "1000") long ttlMs) {
        this.ttlNanos = ttlMs * 1_000_000L;
    }

    /** Changes the TTL at run time (0 turns the cache off); the benchmark measures both paths in one run. */
    public void setTtlMillis(long ttlMs) {
        this.ttlNanos = ttlMs * 1_000_000L;
        entries.clear();
    }

    Optional<ReadinessResource.ReadinessView> get(String dataset, String partition,
                                                  Supplier<Optional<ReadinessResource.ReadinessView>> load) {
        if (ttlNanos <= 0) {
            return load.get();
        }
        String key = dataset + "/" + partition;
        long now = System.nanoTime();
        Entry e = entries.get(key);
        if (e == null || now - e.loadedAt() > ttlNanos) {
            e = new Entry(load.get(), now);
            entries.put(key, e);
            if (entries.size() > 100_000) {
                entries.clear(); // bounded: a burst of distinct partitions never grows memory without limit
            }
        }
        return e.view();
    }

    /** The cached answer if it is still fresh (itself empty for a partition that does not exist); else empty. */
    Optional<Optional<ReadinessResource.ReadinessView>> fresh(String dataset, String partition) {
        Entry e = ttlNanos <= 0 ? null : entries.get(dataset + "/" + partition);
        return e == null || System.nanoTime() - e.loadedAt() > ttlNanos ? Optional.empty() : Optional.of(e.view());
    }

    public void invalidate(String dataset, String partition) {
        entries.remove(dataset + "/" + partition);
    }

    public void invalidateAll() {
        entries.clear();
    }
}
