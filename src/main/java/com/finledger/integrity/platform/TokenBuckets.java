package com.finledger.integrity.platform;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One token bucket per client: {@code burst} requests at once, refilled at {@code perSecond}. Time is a
 * monotonic nanosecond source (not the business {@code Clock}: a rate limit must not jump with it), injected
 * so tests can drive it.
 */
public final class TokenBuckets {

    /** How a client's bucket is sized. */
    public record Limit(double perSecond, double burst) {
        public Limit {
            if (!(perSecond > 0) || !(burst >= 1)) {
                throw new IllegalArgumentException("a rate limit needs requests-per-second > 0 and burst >= 1, not "
                        + perSecond + "/" + burst);
            }
        }
    }

    /** The answer for one request: allowed, or refused with the whole seconds to wait (at least 1). */
    public record Decision(boolean allowed, long retryAfterSeconds) {
    }

    private static final class Bucket {
        final Limit limit;
        double tokens;
        long at;

        Bucket(Limit limit, long now) {
            this.limit = limit;
            this.tokens = limit.burst();
            this.at = now;
        }
    }

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Function<String, Limit> limitOf;
    private final LongSupplier nanoTime;

    public TokenBuckets(Function<String, Limit> limitOf, LongSupplier nanoTime) {
        this.limitOf = limitOf;
        this.nanoTime = nanoTime;
    }

    public Decision take(String client) {
        long now = nanoTime.getAsLong();
        Bucket b = buckets.computeIfAbsent(client, c -> new Bucket(limitOf.apply(c), now));
        synchronized (b) {
            double elapsed = Math.max(0, now - b.at) / 1e9;
            b.tokens = Math.min(b.limit.burst(), b.tokens + elapsed * b.limit.perSecond());
            b.at = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return new Decision(true, 0);
            }
            double wait = (1 - b.tokens) / b.limit.perSecond();
            return new Decision(false, Math.max(1, (long) Math.ceil(wait)));
        }
    }
}
