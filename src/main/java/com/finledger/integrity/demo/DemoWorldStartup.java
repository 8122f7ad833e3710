package com.finledger.integrity.demo;

import com.finledger.integrity.pipeline.LocalPipelineRunner;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * In dev mode: a fresh demo world, one pipeline run and one matching run per business date, so every
 * screen has something true to show.
 */
@ApplicationScoped
public class DemoWorldStartup {

    @Inject
    DemoConfig config;

    @Inject
    DemoWorld world;

    @Inject
    LocalPipelineRunner pipeline;

    @Inject
    com.finledger.integrity.matching.MatchRunService matching;

    void onStart(@Observes @Priority(100) StartupEvent event) {
        if (config.enabled()) {
            world.generate(WorldSpec.from(config), "system:demo");
            pipeline.run("system:demo");
            WorldSpec spec = WorldSpec.from(config);
            try {
                // the world's dates are in the past, out of the schedules' reach: match them once, for the break queue
                spec.businessDates().forEach(date -> matching.runBusinessDate(date, "system:demo"));
            } catch (RuntimeException e) {
                org.jboss.logging.Logger.getLogger(DemoWorldStartup.class).errorf("matching the demo world failed: %s",
                        e.getMessage());
            }
        }
    }
}
