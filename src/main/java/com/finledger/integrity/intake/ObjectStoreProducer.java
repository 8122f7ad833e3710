package com.finledger.integrity.intake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Chooses the object store by {@code finledger.ports.object-store}: {@code local} (a versioned
 * folder, the default) or {@code s3} (the landing bucket; the {@code prod} choice).
 */
@ApplicationScoped
public class ObjectStoreProducer {

    @ConfigProperty(name = "finledger.ports.object-store", defaultValue = "local")
    String kind;

    @ConfigProperty(name = "finledger.object-store.local.root")
    String localRoot;

    @ConfigProperty(name = "finledger.intake.bucket", defaultValue = "finledger-landing")
    String bucket;

    @ConfigProperty(name = "finledger.s3.region", defaultValue = "eu-west-1")
    String region;

    @ConfigProperty(name = "finledger.s3.endpoint")
    Optional<URI> endpoint;

    @ConfigProperty(name = "finledger.s3.path-style", defaultValue = "false")
    boolean pathStyle;

    /** A singleton, not a proxy: one store (one S3 client) for the application's lifetime. */
    @Produces
    @Singleton
    ObjectStore objectStore() {
        return switch (kind) {
            case "local" -> new LocalObjectStore(Path.of(localRoot));
            case "s3" -> new S3ObjectStore(S3ObjectStore.client(region, endpoint, pathStyle,
                    DefaultCredentialsProvider.builder().build(), Duration.ofSeconds(60)), bucket);
            default -> throw new IllegalStateException(
                    "finledger.ports.object-store must be 'local' or 's3', not '" + kind + "'");
        };
    }
}
