package com.finledger.integrity.lineage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the lineage endpoint and its queries. */
@ConfigMapping(prefix = "finledger.lineage")
public interface LineageConfig {

    /** Largest single event, in bytes of its JSON (a Spark event with a wide schema is a few hundred KB). */
    @WithDefault("1048576")
    int maxEventBytes();

    /**
     * Largest batch body, in bytes. Stays under Quarkus' own body limit (quarkus.http.limits.max-body-size,
     * 10 MiB by default), which answers 413 on its own above that.
     */
    @WithDefault("8388608")
    int maxBatchBytes();

    /** Most events in one batch. */
    @WithDefault("10000")
    int maxBatchEvents();

    /** Deepest a graph query may go (a deeper request is cut to this and says so). */
    @WithDefault("20")
    int maxDepth();

    /** Most nodes a graph query returns (it says when it stopped there). */
    @WithDefault("2000")
    int maxNodes();
}
