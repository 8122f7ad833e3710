package com.finledger.integrity.prodlike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.DemoWorldVerdicts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoScript;
import com.finledger.integrity.overview.LayerCounts;
import com.finledger.integrity.overview.LayerCounts.Layer;
import com.finledger.integrity.overview.LayerCounts.PartitionCounts;
import com.finledger.integrity.pipeline.LocalPipelineRunner;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.rules.QuarantineService;
import com.finledger.integrity.readiness.PartitionEvaluator;
import com.finledger.integrity.readiness.ReadinessService;
import com.finledger.integrity.readiness.ReadinessState;
import com.finledger.integrity.warehouse.Warehouse;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.alerts.Alert;
import com.finledger.integrity.alerts.AlertEngine;
import com.finledger.integrity.intake.IntakeScheduler;
import com.finledger.integrity.operations.AwsEvent;
import com.finledger.integrity.operations.AwsEvents;
import com.finledger.integrity.operations.MotoServer;
import com.finledger.integrity.operations.PipelineJob;
import com.finledger.integrity.recovery.RecoveryAction;
import com.finledger.integrity.recovery.RecoveryJob;
import com.finledger.integrity.recovery.RecoveryJobs;
import com.finledger.integrity.recovery.RecoveryPlan;
import com.finledger.integrity.recovery.RecoverySteps;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.JobRun;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The demo world run through the prodlike profile, every port on its own peer (see
 * {@link ProdlikePeers}), earns exactly the verdicts dev mode's single database earns: the same
 * state for every partition and window, the same control totals and fingerprints in every layer.
 * A peer that refuses a statement is a recorded, failed evaluation naming the cause. Issue 17's operations
 * ports go end to end through their production adapters: an AWS Glue event on the intake queue raises an
 * alert delivered to SNS and the webhook, the recovery console re-runs the job on Glue and resumes a DMS task,
 * and the job's success resolves the alert. The verdicts are taken first, before the recovery re-runs a load.
 */
@QuarkusTest
@TestProfile(ProdlikeVerdictsTest.Prodlike.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProdlikeVerdictsTest {

    public static class Prodlike implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProdlikePeers.class));
        }
    }

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DataSource controlPlane;

    @Inject
    Warehouse warehouse;

    @Inject
    PartitionEvaluator evaluator;

    @Inject
    QuarantineService quarantine;

    @Inject
    DemoScript script;

    @Inject
    CatalogService catalogService;

    @Inject
    LocalPipelineRunner pipeline;

    @Inject
    ReadinessService readiness;

    @Inject
    LayerCounts layerCounts;

    @BeforeAll
    @AfterAll
    static void freshWorld() {
        DemoWorldFixture.invalidate(); // another profile's application had other databases
    }

    @Inject
    IntakeScheduler intakeScheduler;

    @Inject
    AlertEngine alerts;

    @Inject
    RecoveryJobs recoveryJobs;

    @Inject
    RecoverySteps recoverySteps;

    @Inject
    Clock clock;

    @Test
    @Order(1)
    void everyPartitionEarnsTheSameVerdictAsInDevMode() {
        fixture.ensureDefaultWorld();

        String actual = DemoWorldVerdicts.snapshot(controlPlane);

        assertEquals(DemoWorldVerdicts.expected(null), actual);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * EventBridge → SQS (ElasticMQ) → the production intake → job FAILED → alert → SNS (moto, read back through
     * the topic's SQS subscription) and webhook (WireMock); the console's Glue re-run through Glue's API on moto
     * and a DMS resume through DMS's API on WireMock; the run's SUCCEEDED event resolves the alert, and the
     * resolve notification reaches both channels.
     */
    @Test
    @Order(2)
    void aFailedGlueJobAlertsOnSnsAndTheWebhookIsRecoveredAndResolvesThroughTheProductionAdapters() throws Exception {
        fixture.ensureDefaultWorld();
        String job = ProdlikePeers.GLUE_RAW_LOAD_JOB;
        Instant failedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String failedRun = "jr_" + UUID.randomUUID().toString().replace("-", "") + "_attempt_1";
        String failedEvent = AwsEvents.glue(UUID.randomUUID().toString(), failedAt, job, failedRun, "FAILED");
        String queue = ConfigProvider.getConfig().getValue("finledger.intake.sqs.queue-url", String.class);
        URI sqsEndpoint = ConfigProvider.getConfig().getValue("finledger.intake.sqs.endpoint", URI.class);

        try (SqsClient elasticmq = sqs(sqsEndpoint); SqsClient moto = sqs(ProdlikePeers.motoEndpoint);
             GlueClient glue = GlueClient.builder().region(Region.EU_WEST_1).endpointOverride(ProdlikePeers.motoEndpoint)
                     .credentialsProvider(MotoServer.credentials()).httpClient(UrlConnectionHttpClient.create()).build()) {
            // delivered twice, as SQS may: one state change, one alert
            elasticmq.sendMessage(b -> b.queueUrl(queue).messageBody(failedEvent));
            elasticmq.sendMessage(b -> b.queueUrl(queue).messageBody(failedEvent));
            pollUntil(job, "FAILED");
            assertEquals(failedRun, QuarkusTransaction.requiringNew().call(
                    () -> PipelineJob.find(AwsEvent.JobKind.GLUE_JOB, job).orElseThrow().lastRunId));

            alerts.evaluate(clock.instant());
            alerts.evaluate(clock.instant());
            List<Alert> raised = QuarkusTransaction.requiringNew().call(() -> Alert.<Alert>list(
                    "ruleName = ?1 and subject = ?2", "glue-job-failed", job));
            assertEquals(1, raised.size(), "one alert, not one per evaluation or delivery");
            assertEquals(Alert.State.FIRING, raised.get(0).state);
            JsonNode firingSns = snsMessage(moto, "[CRITICAL] glue-job-failed: 1 alert");
            assertTrue(firingSns.path("Message").asText().contains(job) && firingSns.path("Message").asText()
                    .contains("/runbooks#glue-job-failed"), firingSns.toString());
            assertEquals("FIRING", firingSns.path("MessageAttributes").path("status").path("Value").asText());
            JsonNode firingHook = webhook("FIRING", job);
            assertEquals("CRITICAL", firingHook.path("severity").asText(), firingHook.toString());

            // recovery: the console re-runs the RAW load on Glue (moto) and resumes a DMS task (WireMock)
            String dataset = "bank_settlement_lines";
            String day = fixture.defaultSpec().firstBusinessDate().toString();
            RecoveryJobs.Submitted rerun = recoveryJobs.submit(RecoveryAction.GLUE_RERUN, new HashMap<>(Map.of(
                    "dataset", dataset, "partition", day)), "prodlike-glue-" + failedRun, "glue job failed", "ops");
            RecoveryJob done = awaitJob(rerun.job().id);
            assertEquals(RecoveryJob.State.SUCCEEDED, done.state, done.error);
            List<JobRun> runs = new ArrayList<>(glue.getJobRuns(b -> b.jobName(job)).jobRuns());
            assertEquals(1, runs.size(), "StartJobRun seen once on Glue: " + runs);
            JobRun rerunOnGlue = runs.get(0);
            assertEquals(Map.of("--dataset", dataset, "--business_date", day), rerunOnGlue.arguments());
            assertEquals("SUCCEEDED", rerunOnGlue.jobRunStateAsString());
            assertTrue(done.result.contains(rerunOnGlue.id()), "the job recorded Glue's run id: " + done.result);

            String task = "finledger-settlements-ledger-cdc";
            RecoveryPlan resume = recoveryJobs.preview(RecoveryAction.DMS_RESUME, new HashMap<>(Map.of("task", task)));
            assertEquals("running", resume.touches().get(0).state(), "the preview reads the task's status from DMS's API");
            int startsBefore = ProdlikePeers.dmsPeer.startRequests().size();
            JsonNode started = recoverySteps.execute(new RecoverySteps.JobContext(0, "ops", "prodlike"),
                    resume.steps().get(0), JSON.createArrayNode());
            assertEquals("starting", started.path("status").asText(), started.toString());
            List<String> starts = ProdlikePeers.dmsPeer.startRequests();
            assertEquals(startsBefore + 1, starts.size());
            assertEquals("arn:aws:dms:eu-west-1:123456789012:task:" + task + " resume-processing", starts.get(starts.size() - 1));

            // the re-run's success, as Glue announces it, resolves the alert
            String succeeded = AwsEvents.glue(UUID.randomUUID().toString(), failedAt.plusSeconds(60), job,
                    rerunOnGlue.id(), "SUCCEEDED");
            elasticmq.sendMessage(b -> b.queueUrl(queue).messageBody(succeeded));
            pollUntil(job, "SUCCEEDED");
            alerts.evaluate(clock.instant());
            assertEquals(Alert.State.RESOLVED, QuarkusTransaction.requiringNew().call(() -> Alert.<Alert>findById(
                    raised.get(0).id).state));
            JsonNode resolvedSns = snsMessage(moto, "[RESOLVED] glue-job-failed: 1 alert");
            assertEquals("RESOLVED", resolvedSns.path("MessageAttributes").path("status").path("Value").asText());
            webhook("RESOLVED", job);
        }
    }

    private static SqsClient sqs(URI endpoint) {
        return SqsClient.builder().region(Region.EU_WEST_1).endpointOverride(endpoint)
                .credentialsProvider(MotoServer.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Polls the intake queue the way the schedule does until the job has the state. */
    private void pollUntil(String job, String state) {
        for (int i = 0; i < 10; i++) {
            intakeScheduler.pollNow().orElseThrow();
            String now = QuarkusTransaction.requiringNew().call(() -> PipelineJob.find(AwsEvent.JobKind.GLUE_JOB, job)
                    .map(j -> j.state).orElse(null));
            if (state.equals(now)) {
                return;
            }
        }
        throw new AssertionError("the intake never moved " + job + " to " + state);
    }

    private RecoveryJob awaitJob(long id) throws InterruptedException {
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(180);
        RecoveryJob job = recoveryJobs.find(id);
        while (!job.state.finished() && System.nanoTime() < until) {
            Thread.sleep(250);
            job = recoveryJobs.find(id);
        }
        return job;
    }

    /** The SNS notification with this subject, as the topic's SQS subscriber on moto received it. */
    private static JsonNode snsMessage(SqsClient moto, String subject) throws Exception {
        for (int i = 0; i < 20; i++) {
            for (Message m : moto.receiveMessage(b -> b.queueUrl(ProdlikePeers.alertsInboxUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages()) {
                moto.deleteMessage(b -> b.queueUrl(ProdlikePeers.alertsInboxUrl).receiptHandle(m.receiptHandle()));
                JsonNode envelope = JSON.readTree(m.body());
                if (subject.equals(envelope.path("Subject").asText())
                        && envelope.path("Message").asText().contains(ProdlikePeers.GLUE_RAW_LOAD_JOB)) {
                    assertEquals("Notification", envelope.path("Type").asText());
                    return envelope;
                }
            }
        }
        throw new AssertionError("no SNS notification '" + subject + "' reached the topic's subscriber");
    }

    /** The webhook post of the glue-job-failed alert for the job with this status, as WireMock received it. */
    private static JsonNode webhook(String status, String job) throws Exception {
        List<JsonNode> posts = new ArrayList<>();
        for (var e : ProdlikePeers.webhookPeer.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(
                ProdlikePeers.WEBHOOK_PATH)))) {
            JsonNode body = JSON.readTree(e.getBodyAsString());
            if (body.path("rule").asText().equals("glue-job-failed") && body.path("status").asText().equals(status)
                    && body.path("alerts").path(0).path("subject").asText().equals(job)) {
                posts.add(body);
            }
        }
        assertEquals(1, posts.size(), "one " + status + " post of the alert to the webhook");
        assertTrue(posts.get(0).path("text").asText().contains(job), posts.get(0).toString());
        return posts.get(0);
    }

    @Test
    void theOverviewCountsEachLayerWhereItLives() {
        fixture.ensureDefaultWorld();
        LocalDate day = fixture.defaultSpec().firstBusinessDate();
        Map<String, PartitionCounts> byDataset = new HashMap<>();
        layerCounts.all().stream().filter(p -> p.businessDate().equals(day)).forEach(p -> byDataset.put(p.dataset(), p));

        PartitionCounts payments = byDataset.get("payments");
        assertTrue(payments.count(Layer.SOURCE) > 0 && payments.count(Layer.RAW) > 0, payments.toString());
        assertEquals(payments.count(Layer.SOURCE), payments.count(Layer.STAGING),
                "the ledger counted on its replica, STAGING on the emulator: " + payments);
        PartitionCounts alpha = byDataset.get("alpha_transactions");
        assertTrue(alpha.count(Layer.SOURCE) > 0, "what the processor's API reported at the last evaluation: " + alpha);
        assertTrue(byDataset.get("transactions").count(Layer.CURATED) > 0, byDataset.get("transactions").toString());
    }

    /** Last: releasing the quarantine changes the world, and rebuilding it costs a minute or more. */
    @Test
    @Order(Integer.MAX_VALUE)
    void theQuarantineLivesInTheWarehouseEndToEnd() throws Exception {
        fixture.ensureDefaultWorld();
        DemoScript.Fault orphan = script.fault(Defect.ORPHAN_REFUND).orElseThrow();
        String day = orphan.businessDate().toString();
        QuarantineService.Page held = quarantine.list(orphan.dataset(), day, "refunds_payment_exists", 0, 50);
        assertEquals(1, held.total(), "the orphan refund is held back, listed from the warehouse");
        assertEquals(1L, warehouse.query("select count(*) from quarantine.quarantined_row where dataset = ? and "
                + "partition_key = ? and rule_name = 'refunds_payment_exists'", List.of(orphan.dataset(), day),
                rs -> rs.getLong(1)).get(0));

        quarantine.release(orphan.dataset(), day, "refunds_payment_exists", "ops", "confirmed with the payments team");

        assertEquals(ReadinessState.READY, evaluator.evaluate(orphan.dataset(), orphan.businessDate(), "test")
                .readiness().state(), "released in the warehouse, counted as released by the evaluation");
        assertEquals("ops", quarantine.list(orphan.dataset(), day, "refunds_payment_exists", 0, 50).rows().get(0)
                .releasedBy());
        DemoWorldFixture.invalidate();
    }

    @Test
    void theExtractorsOwnScheduleReachesTheProcessorsOverHttp() {
        fixture.ensureDefaultWorld();
        var alpha = catalogService.catalog().source("processor_alpha");
        int before = pulls("processor_alpha");

        int landed = pipeline.extractScheduled(alpha, "system:extractor");

        assertEquals(0, landed, "nothing new at the processor: the look-back re-pull lands nothing");
        assertTrue(pulls("processor_alpha") > before, "the scheduled run pulled its look-back windows again");
    }

    private int pulls(String source) {
        return Jdbc.query(controlPlane, "select count(*) from pull_attempt a join pull_window w on w.id = a.window_id "
                + "where w.source = ?", List.of(source), rs -> rs.getInt(1)).get(0);
    }

    @Test
    void aWarehouseThatRefusesAStatementIsAFailedEvaluationNamingItAndChangesNoVerdict() {
        fixture.ensureDefaultWorld();
        String day = fixture.defaultSpec().firstBusinessDate().toString();
        ReadinessState before = readiness.find("payments", day).orElseThrow().state();
        warehouse.update("alter table quarantine.quarantined_row rename to quarantined_row_moved", List.of());
        try {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> evaluator.evaluate("payments", LocalDate.parse(day), "test"));

            assertTrue(refused.getMessage().contains("Snowflake") && refused.getMessage().contains("QUARANTINED_ROW"),
                    refused.getMessage());
            List<String> last = Jdbc.query(controlPlane, "select outcome || ': ' || error from evaluation where "
                    + "dataset = 'payments' and partition_key = ? order by id desc limit 1", List.of(day),
                    rs -> rs.getString(1));
            assertTrue(last.get(0).startsWith("ERROR: Snowflake"), last.toString());
            assertEquals(before, readiness.find("payments", day).orElseThrow().state());
        } finally {
            warehouse.update("alter table quarantine.quarantined_row_moved rename to quarantined_row", List.of());
        }
    }

    @Test
    void aWarehouseThatStopsAnsweringIsAFailedEvaluationNamingItAndChangesNoVerdict() throws Exception {
        fixture.ensureDefaultWorld();
        String day = fixture.defaultSpec().firstBusinessDate().toString();
        ReadinessState before = readiness.find("payments", day).orElseThrow().state();
        ProdlikePeers.warehousePeer.pause();
        long started = System.nanoTime();
        try {
            IllegalStateException silent = assertThrows(IllegalStateException.class,
                    () -> evaluator.evaluate("payments", LocalDate.parse(day), "test"));

            long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertTrue(silent.getMessage().contains("Snowflake did not answer within 20 s"), silent.getMessage());
            assertTrue(seconds < 60, "given up at the deadline, not after the driver's own five minutes: " + seconds);
            List<String> last = Jdbc.query(controlPlane, "select outcome || ': ' || error from evaluation where "
                    + "dataset = 'payments' and partition_key = ? order by id desc limit 1", List.of(day),
                    rs -> rs.getString(1));
            assertTrue(last.get(0).startsWith("ERROR: Snowflake did not answer"), last.toString());
            assertEquals(before, readiness.find("payments", day).orElseThrow().state());
        } finally {
            ProdlikePeers.warehousePeer.resume();
        }

        assertEquals(before, evaluator.evaluate("payments", LocalDate.parse(day), "test").readiness().state(),
                "answering again, the next evaluation logs in afresh and earns the same verdict");
    }
}
