package com.finledger.integrity.prodlike;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogLoader;
import com.finledger.integrity.intake.S3ObjectStore;
import com.finledger.integrity.standins.DmsApiPeer;
import com.finledger.integrity.standins.FakesnowServer;
import com.finledger.integrity.standins.S3MockProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The prodlike profile's peers, one per port, each on loopback: the source systems on a PostgreSQL
 * server of their own (a database per ledger and processor; the ledgers read through read-only logins
 * as replicas are), the warehouse on the Snowflake emulator (fakesnow, reached by snowflake-jdbc and
 * by dbt-snowflake), the landing bucket on S3Mock, the intake queue on ElasticMQ, DMS's API on
 * WireMock (answering from the DMS stand-in's counters), and the processors over HTTP only. The
 * application's own database stays the embedded one.
 */
public class ProdlikePeers implements QuarkusTestResourceLifecycleManager {

    static final String BUCKET = "finledger-landing-prodlike";
    private static final String READER_PASSWORD = "replica-reader";

    private EmbeddedPostgres sourceSystems;
    private FakesnowServer fakesnow;
    /** The running emulator, for tests that make the warehouse stop answering. */
    static volatile FakesnowServer warehousePeer;
    private S3MockProcess s3mock;
    private SQSRestServer elasticmq;
    private DmsApiPeer dms;

    @Override
    public Map<String, String> start() {
        return start(ConfigProvider.getConfig().getOptionalValue("quarkus.embedded.postgresql.port", Integer.class)
                .orElse(62538), ConfigProvider.getConfig().getOptionalValue("quarkus.http.test-port", Integer.class)
                .orElse(8081));
    }

    /**
     * Starts every peer and returns the configuration that points the application at them.
     *
     * @param controlPlanePort the application's own (embedded) PostgreSQL, which DMS's API peer reads
     * @param httpPort where the application serves the demo processors' APIs
     */
    public Map<String, String> start(int controlPlanePort, int httpPort) {
        Map<String, String> config = new HashMap<>();
        Catalog catalog = CatalogLoader.load(Path.of("ingestion-config"));
        try {
            sourceSystems = EmbeddedPostgres.builder().start();
            try (Connection c = sourceSystems.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                for (Source source : catalog.sources()) {
                    if (source.kind() == SourceKind.PARTNER_FILES) {
                        continue;
                    }
                    s.execute("create database " + source.name());
                    String prefix = "finledger.demo.source-systems." + source.name() + ".";
                    config.put(prefix + "url", url(source.name()));
                    config.put(prefix + "user", "postgres");
                    config.put(prefix + "password", "postgres");
                }
            }
            for (Source ledger : catalog.sources()) {
                if (ledger.kind() != SourceKind.POSTGRES_CDC) {
                    continue;
                }
                String database = ledger.database().orElseThrow();
                String reader = database + "_reader";
                try (Connection c = sourceSystems.getDatabase("postgres", database).getConnection();
                     Statement s = c.createStatement()) {
                    s.execute("create role " + reader + " login password '" + READER_PASSWORD + "'");
                    s.execute("alter role " + reader + " set default_transaction_read_only = on");
                    // the demo world creates the ledger's schema and tables later, as the owner
                    s.execute("alter default privileges for role postgres grant usage on schemas to " + reader);
                    s.execute("alter default privileges for role postgres grant select on tables to " + reader);
                }
                String prefix = "finledger.source-databases." + database + ".";
                config.put(prefix + "url", url(database));
                config.put(prefix + "user", reader);
                config.put(prefix + "password", READER_PASSWORD);
            }
            config.put("finledger.ports.source-database", "jdbc");

            fakesnow = FakesnowServer.start();
            warehousePeer = fakesnow;
            config.put("finledger.ports.warehouse", "snowflake");
            config.put("finledger.snowflake.account", "fakesnow");
            config.put("finledger.snowflake.user", "finledger");
            config.put("finledger.snowflake.password", "emulator");
            config.put("finledger.snowflake.url", fakesnow.jdbcUrl("FINLEDGER", "PUBLIC"));
            config.put("finledger.snowflake.emulator", "true");
            // short enough that a warehouse which stops answering fails an evaluation within the test
            config.put("finledger.snowflake.login-timeout-seconds", "5");
            config.put("finledger.snowflake.query-timeout-seconds", "15");
            config.put("finledger.dbt.target", "emulator");
            config.put("finledger.dbt.emulator-port", Integer.toString(fakesnow.port()));
            config.put("finledger.dbt.work-dir", "target/dbt-prodlike");

            s3mock = S3MockProcess.start();
            System.setProperty("aws.accessKeyId", "prodlike");
            System.setProperty("aws.secretAccessKey", "prodlike");
            try (S3Client s3 = S3ObjectStore.client("eu-west-1", Optional.of(URI.create(s3mock.endpoint())), true,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("prodlike", "prodlike")),
                    Duration.ofSeconds(20))) {
                s3.createBucket(b -> b.bucket(BUCKET));
                s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status(
                        BucketVersioningStatus.ENABLED)));
            }
            config.put("finledger.ports.object-store", "s3");
            config.put("finledger.intake.bucket", BUCKET);
            config.put("finledger.s3.endpoint", s3mock.endpoint());
            config.put("finledger.s3.path-style", "true");

            elasticmq = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
            URI sqsEndpoint = URI.create("http://127.0.0.1:" + elasticmq.waitUntilStarted().localAddress().getPort());
            try (SqsClient sqs = SqsClient.builder().region(Region.EU_WEST_1).endpointOverride(sqsEndpoint)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                    .httpClient(UrlConnectionHttpClient.builder().build()).build()) {
                config.put("finledger.intake.sqs.dead-letter-queue-url",
                        sqs.createQueue(b -> b.queueName("landing-events-dlq")).queueUrl());
                config.put("finledger.intake.sqs.queue-url", sqs.createQueue(b -> b.queueName("landing-events"))
                        .queueUrl());
            }
            config.put("finledger.intake.sqs.endpoint", sqsEndpoint.toString());

            // DMS's API answers from the DMS stand-in's counters in the application's own database
            String controlPlane = "jdbc:postgresql://localhost:" + controlPlanePort + "/postgres";
            dms = DmsApiPeer.start(catalog, () -> controlPlane, "postgres", "postgres");
            config.put("finledger.ports.replication-monitor", "dms");
            config.put("finledger.dms.endpoint", dms.endpoint());

            config.put("finledger.ports.processor-api", "http");
            for (String processor : new String[] {"alpha", "beta"}) {
                config.put("finledger.processors.processor_" + processor + ".base-url", "http://127.0.0.1:"
                        + httpPort + "/demo");
                config.put("finledger.processors.processor_" + processor + ".api-key", "demo-processor-key");
            }
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("cannot start the prodlike peers: " + e.getMessage(), e);
        }
        return config;
    }

    private String url(String database) {
        return "jdbc:postgresql://localhost:" + sourceSystems.getPort() + "/" + database;
    }

    @Override
    public void stop() {
        if (dms != null) {
            dms.close();
        }
        if (elasticmq != null) {
            elasticmq.stopAndWait();
        }
        if (s3mock != null) {
            s3mock.close();
        }
        if (fakesnow != null) {
            try {
                fakesnow.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (sourceSystems != null) {
            try {
                sourceSystems.close();
            } catch (java.io.IOException ignored) {
                // already down
            }
        }
    }
}
