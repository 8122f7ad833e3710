package com.finledger.integrity.recovery;

import com.finledger.integrity.pipeline.LocalPipelineRunner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.databasemigration.DatabaseMigrationClient;
import software.amazon.awssdk.services.glue.GlueClient;

/**
 * Chooses the recovery console's ports: {@code finledger.ports.dms-tasks} {@code local} (the DMS stand-in) or
 * {@code dms} (AWS DMS, with the {@code finledger.dms.*} client settings the replication monitor uses), and
 * {@code finledger.ports.glue-jobs} {@code local} (the RAW load in place) or {@code glue} (AWS Glue,
 * {@code finledger.glue.*}).
 */
@ApplicationScoped
public class RecoveryPortsProducer {

    @ConfigProperty(name = "finledger.ports.dms-tasks", defaultValue = "local")
    String dmsKind;

    @ConfigProperty(name = "finledger.ports.glue-jobs", defaultValue = "local")
    String glueKind;

    @ConfigProperty(name = "finledger.dms.region", defaultValue = "eu-west-1")
    String dmsRegion;

    @ConfigProperty(name = "finledger.dms.endpoint")
    Optional<URI> dmsEndpoint;

    @ConfigProperty(name = "finledger.dms.access-key-id")
    Optional<String> dmsKey;

    @ConfigProperty(name = "finledger.dms.secret-access-key")
    Optional<String> dmsSecret;

    @ConfigProperty(name = "finledger.glue.region", defaultValue = "eu-west-1")
    String glueRegion;

    @ConfigProperty(name = "finledger.glue.endpoint")
    Optional<URI> glueEndpoint;

    @ConfigProperty(name = "finledger.glue.access-key-id")
    Optional<String> glueKey;

    @ConfigProperty(name = "finledger.glue.secret-access-key")
    Optional<String> glueSecret;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @Inject
    LocalPipelineRunner pipeline;

    @Inject
    com.finledger.integrity.operations.LocalAwsEvents localAwsEvents;

    @Produces
    @ApplicationScoped
    DmsTasks dmsTasks() {
        return switch (dmsKind) {
            case "local" -> new LocalDmsTasks(dataSource, clock, localAwsEvents);
            case "dms" -> new AwsDmsTasks(dmsClient(dmsRegion, dmsEndpoint, credentials(dmsKey, dmsSecret)));
            default -> throw new IllegalStateException("finledger.ports.dms-tasks must be 'local' or 'dms', not '" + dmsKind + "'");
        };
    }

    @Produces
    @ApplicationScoped
    GlueJobs glueJobs() {
        return switch (glueKind) {
            case "local" -> new LocalGlueJobs(pipeline);
            case "glue" -> new AwsGlueJobs(glueClient(glueRegion, glueEndpoint, credentials(glueKey, glueSecret)));
            default -> throw new IllegalStateException("finledger.ports.glue-jobs must be 'local' or 'glue', not '" + glueKind + "'");
        };
    }

    static DatabaseMigrationClient dmsClient(String region, Optional<URI> endpoint, AwsCredentialsProvider credentials) {
        var builder = DatabaseMigrationClient.builder().region(Region.of(region)).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(10)));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    static GlueClient glueClient(String region, Optional<URI> endpoint, AwsCredentialsProvider credentials) {
        var builder = GlueClient.builder().region(Region.of(region)).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(10)));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(Optional<String> key, Optional<String> secret) {
        if (key.isPresent() && secret.isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(key.get(), secret.get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
