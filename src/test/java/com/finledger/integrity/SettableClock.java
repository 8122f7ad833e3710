package com.finledger.integrity;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The application's injected {@link Clock} in tests: the system clock, unless a test pins it to an
 * instant (and unpins it when done), so time-dependent results such as a run's lag can be asserted exactly.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class SettableClock {

    private static volatile Instant pinned;

    @Produces
    @ApplicationScoped
    Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return Clock.fixed(instant(), zone);
            }

            @Override
            public Instant instant() {
                Instant at = pinned;
                return at != null ? at : Instant.now();
            }
        };
    }

    public static void pin(Instant at) {
        pinned = at;
    }

    public static void unpin() {
        pinned = null;
    }
}
