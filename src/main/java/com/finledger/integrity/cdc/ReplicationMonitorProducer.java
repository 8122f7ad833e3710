package com.finledger.integrity.cdc;

import com.finledger.integrity.catalog.CatalogService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Chooses the replication monitor by {@code finledger.ports.replication-monitor}: {@code local}
 * (the DMS stand-in, the default) or {@code dms} (AWS DMS; the {@code prod} profile's choice).
 */
@ApplicationScoped
public class ReplicationMonitorProducer {

    @ConfigProperty(name = "finledger.ports.replication-monitor", defaultValue = "local")
    String kind;

    @ConfigProperty(name = "finledger.dms.region", defaultValue = "eu-west-1")
    String region;

    @ConfigProperty(name = "finledger.dms.endpoint")
    Optional<URI> endpoint;

    @ConfigProperty(name = "finledger.dms.access-key-id")
    Optional<String> accessKeyId;

    @ConfigProperty(name = "finledger.dms.secret-access-key")
    Optional<String> secretAccessKey;

    @ConfigProperty(name = "finledger.dms.call-timeout", defaultValue = "PT10S")
    Duration callTimeout;

    @ConfigProperty(name = "finledger.dms.max-attempts", defaultValue = "4")
    int maxAttempts;

    @ConfigProperty(name = "finledger.dms.cache-for", defaultValue = "PT30S")
    Duration cacheFor;

    @Inject
    java.time.Clock clock;

    @Inject
    DataSource dataSource;

    @Inject
    CatalogService catalogService;

    @Produces
    @ApplicationScoped
    ReplicationMonitor replicationMonitor() {
        return switch (kind) {
            case "local" -> new LocalReplicationMonitor(dataSource, catalogService);
            case "dms" -> new CachingReplicationMonitor(DmsReplicationMonitor.create(region, endpoint, credentials(),
                    callTimeout, maxAttempts), cacheFor, clock);
            default -> throw new IllegalStateException(
                    "finledger.ports.replication-monitor must be 'local' or 'dms', not '" + kind + "'");
        };
    }

    private AwsCredentialsProvider credentials() {
        if (accessKeyId.isPresent() && secretAccessKey.isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId.get(), secretAccessKey.get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
