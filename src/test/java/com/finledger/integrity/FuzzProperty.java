package com.finledger.integrity;

import java.time.Duration;
import java.util.Set;

/**
 * The property every fuzz test checks: a parser given any input either answers or throws one of its own
 * clear error types (with a message), and answers within a bound. Anything else escapes as the crash
 * Jazzer records: an unexpected exception type, an error without a message, or a hang.
 */
public final class FuzzProperty {

    /** Generous on a shared 2-core machine: small inputs parse in microseconds, a hang takes forever. */
    static final Duration BOUND = Duration.ofSeconds(10);

    @FunctionalInterface
    public interface Parse {
        void run() throws Exception;
    }

    private FuzzProperty() {
    }

    /** Runs the parser; lets only the given error types through, each with a non-blank message. */
    @SafeVarargs
    public static void parsesOrRefuses(Parse parse, Class<? extends Throwable>... clearErrors) {
        Set<Class<? extends Throwable>> allowed = Set.of(clearErrors);
        long started = System.nanoTime();
        try {
            parse.run();
        } catch (Throwable e) {
            boolean clear = allowed.stream().anyMatch(type -> type.isInstance(e));
            if (!clear) {
                throw new AssertionError("the parser threw " + e.getClass().getName() + ", not one of its own errors "
                        + allowed, e);
            }
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("the parser refused the input without saying why (" + e.getClass().getName()
                        + ")", e);
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (took.compareTo(BOUND) > 0) {
            throw new AssertionError("the parser took " + took.toMillis() + " ms on one small input (bound "
                    + BOUND.toMillis() + " ms)");
        }
    }
}
