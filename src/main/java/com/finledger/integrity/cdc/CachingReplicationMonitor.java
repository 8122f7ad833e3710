package com.finledger.integrity.cdc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Keeps DMS answers for a short while: one evaluation round asks about every CDC partition, and
 * the DMS API throttles. Failures are not kept, so the next ask tries again.
 */
public class CachingReplicationMonitor implements ReplicationMonitor {

    private record Entry(Instant at, Object value) {
    }

    private final ReplicationMonitor delegate;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public CachingReplicationMonitor(ReplicationMonitor delegate, Duration ttl, Clock clock) {
        this.delegate = delegate;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public List<ReplicationTask> tasks() {
        return cached("tasks", delegate::tasks);
    }

    @Override
    public List<TableStatistics> tableStatistics(String taskIdentifier) {
        return cached("stats:" + taskIdentifier, () -> delegate.tableStatistics(taskIdentifier));
    }

    @Override
    public List<ReplicationEvent> events(Instant since) {
        return delegate.events(since);
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(String key, Supplier<T> call) {
        Instant now = clock.instant();
        Entry e = cache.get(key);
        if (e != null && e.at().plus(ttl).isAfter(now)) {
            return (T) e.value();
        }
        T value = call.get();
        cache.put(key, new Entry(now, value));
        return value;
    }
}
