package com.finledger.integrity.pipeline;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Windows the scheduled extractor advances past without pulling them. In production none: the
 * extractor never skips. The demo world replaces this to inject its {@code api-window-gap} fault, so
 * no production path reads the demo world's tables.
 */
public interface SkippedWindows {

    boolean skipped(String source, Instant windowFrom);

    /** Production: the extractor pulls every window it plans. */
    @ApplicationScoped
    @DefaultBean
    class None implements SkippedWindows {

        @Override
        public boolean skipped(String source, Instant windowFrom) {
            return false;
        }
    }
}
