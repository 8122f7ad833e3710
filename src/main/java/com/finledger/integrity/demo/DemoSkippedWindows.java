package com.finledger.integrity.demo;

import com.finledger.integrity.pipeline.SkippedWindows;
import io.quarkus.arc.profile.UnlessBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/** The demo world's {@code api-window-gap}: the window it placed the fault in is skipped (dev and test builds only). */
@ApplicationScoped
@UnlessBuildProfile("prod")
public class DemoSkippedWindows implements SkippedWindows {

    @Inject
    DemoScript script;

    @Override
    public boolean skipped(String source, Instant windowFrom) {
        return script.apiWindowSkipped(source, windowFrom);
    }
}
