package com.finledger.integrity.extract;

import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.demo.DemoProcessorApi;
import com.finledger.integrity.pipeline.ProcessorApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses how the extractor reaches the processors by {@code finledger.ports.processor-api}:
 * {@code demo} (the demo world in-process, the default) or {@code http} (each REST_API source at
 * {@code finledger.processors.<source>.base-url} with its {@code api-key}; the {@code prod} choice).
 */
@ApplicationScoped
public class ProcessorApiProducer {

    @ConfigProperty(name = "finledger.ports.processor-api", defaultValue = "demo")
    String kind;

    @ConfigProperty(name = "finledger.processors.connect-timeout", defaultValue = "PT5S")
    Duration connectTimeout;

    @ConfigProperty(name = "finledger.processors.read-timeout", defaultValue = "PT30S")
    Duration readTimeout;

    @ConfigProperty(name = "finledger.processors.max-attempts", defaultValue = "5")
    int maxAttempts;

    @ConfigProperty(name = "finledger.processors.backoff-base", defaultValue = "PT0.5S")
    Duration backoffBase;

    @ConfigProperty(name = "finledger.processors.max-retry-after", defaultValue = "PT2M")
    Duration maxRetryAfter;

    @Inject
    Config config;

    @Inject
    CatalogService catalogService;

    @Inject
    DemoProcessorApi demo;

    @Inject
    Clock clock;

    @Produces
    @ApplicationScoped
    ProcessorApi processorApi() {
        return switch (kind) {
            case "demo" -> demo;
            case "http" -> http();
            default -> throw new IllegalStateException(
                    "finledger.ports.processor-api must be 'demo' or 'http', not '" + kind + "'");
        };
    }

    private HttpProcessorApi http() {
        Map<String, HttpProcessorApi.Endpoint> endpoints = new LinkedHashMap<>();
        catalogService.catalog().sources().stream().filter(s -> s.kind() == SourceKind.REST_API).forEach(s -> {
            String prefix = "finledger.processors." + s.name() + ".";
            endpoints.put(s.name(), new HttpProcessorApi.Endpoint(config.getValue(prefix + "base-url", URI.class),
                    s.endpoint().orElseThrow(), config.getOptionalValue(prefix + "api-key", String.class).orElse("")));
        });
        return new HttpProcessorApi(endpoints, new HttpProcessorApi.Settings(connectTimeout, readTimeout, maxAttempts,
                backoffBase, maxRetryAfter), clock, d -> Thread.sleep(d.toMillis()));
    }
}
