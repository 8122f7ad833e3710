package com.finledger.integrity.intake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Chooses the object store implementation; the S3 one arrives with the partner-file intake. */
@ApplicationScoped
public class ObjectStoreProducer {

    @ConfigProperty(name = "finledger.object-store.local.root")
    String localRoot;

    @Produces
    @ApplicationScoped
    LocalObjectStore localObjectStore() {
        return new LocalObjectStore(Path.of(localRoot));
    }
}
