package com.finledger.integrity.prodlike;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogLoader;
import com.finledger.integrity.intake.S3ObjectStore;
import com.finledger.integrity.operations.MotoServer;
import com.finledger.integrity.standins.DmsApiPeer;
import com.finledger.integrity.standins.FakesnowServer;
import com.finledger.integrity.standins.S3MockProcess;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
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
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The prodlike profile's peers, one per port, each on loopback: the source systems on a PostgreSQL
 * server of their own (a database per ledger and processor; the ledgers read through read-only logins
 * as replicas are), the warehouse on the Snowflake emulator (fakesnow, reached by snowflake-jdbc and
 * by dbt-snowflake), the landing bucket on S3Mock, the intake queue on ElasticMQ, DMS's API on
 * WireMock (answering from the DMS stand-in's counters, and taking StartReplicationTask for the recovery
 * console), the processors over HTTP only, and issue 17's operations ports: AWS events (EventBridge's
 * shapes) arrive on the same ElasticMQ intake queue, alerts go to an SNS topic on moto's server (with an
 * SQS subscription on moto to read what was published) and to a Slack-compatible webhook on WireMock of its
 * own, and the recovery console re-runs Glue jobs on moto. The application's own database stays the
 * embedded one.
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
    private MotoServer moto;
    private WireMockServer webhook;
    /** The running peers of the operations ports, for the test that goes end to end through them. */
    static volatile DmsApiPeer dmsPeer;
    static volatile WireMockServer webhookPeer;
    static volatile URI motoEndpoint;
    /** The SQS queue on moto subscribed to the alerts topic: what SNS delivered to its subscribers. */
    static volatile String alertsInboxUrl;
    static final String WEBHOOK_PATH = "/hooks/finledger-alerts";
    static final String GLUE_RAW_LOAD_JOB = "finledger-raw-load";

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
            dmsPeer = dms;
            config.put("finledger.ports.replication-monitor", "dms");
            config.put("finledger.dms.endpoint", dms.endpoint());
            // the recovery console resumes/restarts tasks on the same peer (StartReplicationTask)
            config.put("finledger.ports.dms-tasks", "dms");

            operationsPeers(config);

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

    /**
     * moto's server for SNS (the alerts topic, with an SQS subscription to read what it delivered) and Glue (the
     * RAW load job the recovery console re-runs), WireMock for the alerts webhook.
     */
    private void operationsPeers(Map<String, String> config) throws Exception {
        moto = MotoServer.start();
        motoEndpoint = moto.endpoint();
        try (SnsClient sns = SnsClient.builder().region(Region.EU_WEST_1).endpointOverride(moto.endpoint())
                .credentialsProvider(MotoServer.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
             SqsClient sqs = SqsClient.builder().region(Region.EU_WEST_1).endpointOverride(moto.endpoint())
                     .credentialsProvider(MotoServer.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
             GlueClient glue = GlueClient.builder().region(Region.EU_WEST_1).endpointOverride(moto.endpoint())
                     .credentialsProvider(MotoServer.credentials()).httpClient(UrlConnectionHttpClient.create()).build()) {
            String topic = sns.createTopic(b -> b.name("finledger-alerts")).topicArn();
            String inbox = sqs.createQueue(b -> b.queueName("oncall-inbox")).queueUrl();
            String inboxArn = sqs.getQueueAttributes(b -> b.queueUrl(inbox).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(inboxArn));
            alertsInboxUrl = inbox;
            config.put("finledger.alerts.sns.topic-arn", topic);
            config.put("finledger.alerts.sns.endpoint", moto.endpoint().toString());
            config.put("finledger.alerts.sns.region", "eu-west-1");

            glue.createJob(b -> b.name(GLUE_RAW_LOAD_JOB).role("arn:aws:iam::123456789012:role/finledger-glue")
                    .command(c -> c.name("glueetl").scriptLocation("s3://finledger-glue/raw_load.py")));
            config.put("finledger.ports.glue-jobs", "glue");
            config.put("finledger.recovery.glue.raw-load-job", GLUE_RAW_LOAD_JOB);
            config.put("finledger.glue.endpoint", moto.endpoint().toString());
            config.put("finledger.glue.region", "eu-west-1");
            config.put("finledger.glue.access-key-id", "prodlike");
            config.put("finledger.glue.secret-access-key", "prodlike");
            // moto ends a job run after a few GetJobRun calls; production's 5 s between polls would only wait
            config.put("finledger.recovery.glue.poll-every", "PT0.2S");
        }

        webhook = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        webhook.start();
        webhook.stubFor(WireMock.post(WEBHOOK_PATH).willReturn(WireMock.aResponse().withStatus(200).withBody("ok")));
        webhookPeer = webhook;
        config.put("finledger.alerts.webhook.url", webhook.baseUrl() + WEBHOOK_PATH);
    }

    private String url(String database) {
        return "jdbc:postgresql://localhost:" + sourceSystems.getPort() + "/" + database;
    }

    @Override
    public void stop() {
        if (webhook != null) {
            webhook.stop();
        }
        if (moto != null) {
            moto.close();
        }
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
