package com.finledger.integrity.demo;

import com.finledger.integrity.pipeline.LocalPipelineRunner;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** In dev mode: a fresh demo world and one pipeline run, so every screen has something true to show. */
@ApplicationScoped
public class DemoWorldStartup {

    @Inject
    DemoConfig config;

    @Inject
    DemoWorld world;

    @Inject
    LocalPipelineRunner pipeline;

    void onStart(@Observes @Priority(100) StartupEvent event) {
        if (config.enabled()) {
            world.generate(WorldSpec.from(config), "system:demo");
            pipeline.run("system:demo");
        }
    }
}
