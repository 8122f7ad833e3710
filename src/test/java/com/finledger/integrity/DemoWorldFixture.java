package com.finledger.integrity;

import com.finledger.integrity.demo.DemoConfig;
import com.finledger.integrity.demo.DemoWorld;
import com.finledger.integrity.demo.WorldSpec;
import com.finledger.integrity.pipeline.LocalPipelineRunner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Gives a test the default demo world (all defects on) with the pipeline run once. Tests that
 * generate other worlds call {@link #invalidate()} so the next user regenerates.
 */
@ApplicationScoped
public class DemoWorldFixture {

    private static volatile boolean ready;

    @Inject
    DemoWorld world;

    @Inject
    DemoConfig config;

    @Inject
    LocalPipelineRunner pipeline;

    public synchronized void ensureDefaultWorld() {
        if (!ready) {
            world.generate(defaultSpec(), "test");
            pipeline.run("test");
            ready = true;
        }
    }

    public WorldSpec defaultSpec() {
        return WorldSpec.from(config);
    }

    public static void invalidate() {
        ready = false;
    }
}
