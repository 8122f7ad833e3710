package com.finledger.integrity.demo;

import com.finledger.integrity.matching.MatchRunService;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * In dev mode, after the demo world and its pipeline run ({@link DemoWorldStartup}): one matching run
 * per business date. The world's dates are in the past, out of the matching schedules' reach, and the
 * break queue should have something true to show.
 */
@ApplicationScoped
public class DemoWorldMatching {

    private static final Logger LOG = Logger.getLogger(DemoWorldMatching.class);

    @Inject
    DemoConfig config;

    @Inject
    MatchRunService matching;

    void onStart(@Observes @Priority(110) StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        try {
            WorldSpec.from(config).businessDates().forEach(date -> matching.runBusinessDate(date, "system:demo"));
        } catch (RuntimeException e) {
            LOG.errorf("matching the demo world failed (the break queue stays empty until a run): %s", e.getMessage());
        }
    }
}
