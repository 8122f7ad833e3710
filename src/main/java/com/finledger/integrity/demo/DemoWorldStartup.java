package com.finledger.integrity.demo;

import com.finledger.integrity.pipeline.LocalPipelineRunner;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** In dev mode: a fresh demo world and one pipeline run, so every screen has something true to show. */
@ApplicationScoped
public class DemoWorldStartup {

    private static final Logger LOG = Logger.getLogger(DemoWorldStartup.class);

    @Inject
    DemoConfig config;

    @Inject
    DemoWorld world;

    @Inject
    LocalPipelineRunner pipeline;

    @Inject
    DevInstanceLock lock;

    /** {@code http}: the demo processors are pulled over this application's own HTTP port (prodlike). */
    @ConfigProperty(name = "finledger.ports.processor-api", defaultValue = "demo")
    String processorApi;

    void onStart(@Observes @Priority(100) StartupEvent event) {
        if (config.enabled()) {
            lock.acquire();
            world.generate(WorldSpec.from(config), "system:demo");
            if (!pullsOverHttp()) {
                pipeline.run("system:demo");
            }
        }
    }

    /**
     * Pulled over HTTP, the processors answer only once the server listens: the first run waits for it
     * (the event is fired asynchronously, so the run is off the event loop).
     */
    void onHttpStart(@ObservesAsync HttpServerStart event) {
        if (config.enabled() && pullsOverHttp()) {
            try {
                pipeline.run("system:demo");
            } catch (RuntimeException e) {
                LOG.errorf(e, "the demo world's first pipeline run failed: %s", e.getMessage());
            }
        }
    }

    private boolean pullsOverHttp() {
        return "http".equals(processorApi);
    }
}
