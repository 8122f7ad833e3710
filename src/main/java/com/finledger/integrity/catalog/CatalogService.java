package com.finledger.integrity.catalog;

import com.finledger.integrity.platform.ConfigTree;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Holds the validated catalog. A catalog with problems stops start-up with every problem listed. */
@ApplicationScoped
public class CatalogService {

    private static final Logger LOG = Logger.getLogger(CatalogService.class);

    @ConfigProperty(name = "finledger.catalog.dir")
    Optional<String> directory;

    private volatile Catalog catalog;
    private volatile Path root;

    void onStart(@Observes @Priority(10) StartupEvent event) {
        root = ConfigTree.resolve(directory, "ingestion-config");
        catalog = CatalogLoader.load(root);
        LOG.infof("catalog loaded from %s: %d sources, %d datasets, %d curated datasets", root,
                catalog.sources().size(), catalog.datasets().count(), catalog.curated().size());
    }

    public Catalog catalog() {
        if (catalog == null) {
            throw new IllegalStateException("catalog not loaded yet");
        }
        return catalog;
    }

    /** The ingestion-config folder, for the SQL models beside the catalog. */
    public Path root() {
        return root;
    }
}
