package com.finledger.integrity.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.LocalDate;
import java.util.Set;

/** The demo FinLedger world: how much traffic, over which days, with which defects injected. */
@ConfigMapping(prefix = "finledger.demo")
public interface DemoConfig {

    /** Generate the world and run the local pipeline at start-up (dev mode). */
    @WithDefault("false")
    boolean enabled();

    /** Same seed, same world: every row, amount and defect position is derived from it. */
    @WithDefault("20261101")
    long seed();

    @WithDefault("2026-11-02")
    LocalDate firstBusinessDate();

    @WithDefault("3")
    int days();

    /** Multiplies the base volume of 2,000 payments per business day; 500 gives a million a day. */
    @WithDefault("1")
    int scale();

    /** Slugs of {@link Defect}s to inject; empty for a clean world. */
    Set<String> defects();

    /** Slugs of {@link DemoCase}s (settlement shapes matching must handle); none by default. */
    java.util.Optional<java.util.List<String>> cases();

    /** Serve the processors' APIs over HTTP too, for the real REST client (dev and test). */
    @WithDefault("false")
    boolean serveProcessorApis();

    /** The API key a caller of the demo processor APIs must send. */
    @WithDefault("demo-processor-key")
    String processorApiKey();
}
