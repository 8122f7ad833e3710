package com.finledger.integrity.readiness;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.cdc.DmsReplicationMonitor;
import com.finledger.integrity.cdc.LocalReplicationMonitor;
import com.finledger.integrity.cdc.ReplicationMonitor;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoProcessorApi;
import com.finledger.integrity.demo.DemoScript;
import com.finledger.integrity.extract.HttpProcessorApi;
import com.finledger.integrity.extract.PullWindowLedger;
import com.finledger.integrity.pipeline.ApiExtractor;
import com.finledger.integrity.pipeline.LocalPipelineRunner;
import com.finledger.integrity.pipeline.ProcessorApi;
import com.finledger.integrity.platform.Jdbc;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What happens to readiness when the real adapters fail: DMS answering 500 leaves a partition
 * open with the error on its evaluation; a processor API failing records a failed window that
 * blocks its partition until a backfill succeeds; a look-back re-pull changes nothing unless the
 * processor has late records, which then land and re-open the partition.
 */
@QuarkusTest
class AdapterFailuresTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer broken;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DemoScript script;

    @Inject
    ReadinessService readiness;

    @Inject
    PartitionEvaluator evaluator;

    @Inject
    LocalPipelineRunner pipeline;

    @Inject
    ApiExtractor extractor;

    @Inject
    PullWindowLedger ledger;

    @Inject
    DemoProcessorApi demoApi;

    @Inject
    CatalogService catalogService;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void start() {
        broken = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        broken.start();
        broken.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withBody("{\"message\": \"internal\"}")));
    }

    @AfterAll
    static void stop() {
        broken.stop();
        DemoWorldFixture.invalidate();
    }

    @BeforeEach
    void world() {
        fixture.ensureDefaultWorld();
    }

    @Test
    void anUnreachableDmsNeverMakesAPartitionReady() throws Exception {
        String day = fixture.defaultSpec().firstBusinessDate().toString();
        assertEquals(ReadinessState.READY, readiness.find("payments", day).orElseThrow().state());
        try (Connection c = dataSource.getConnection()) {
            readiness.dataArrived(c, "payments", day, "test", "a late change file");
        }
        QuarkusMock.installMockForType(DmsReplicationMonitor.create("eu-west-1",
                Optional.of(URI.create(broken.baseUrl())), StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKID", "secret")), Duration.ofSeconds(2), 2),
                ReplicationMonitor.class);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> evaluator.evaluate("payments", LocalDate.parse(day), "test"));

        assertTrue(e.getMessage().startsWith("evaluation of payments " + day + " could not finish: DMS "
                + "DescribeReplicationTasks failed: "), e.getMessage());
        assertEquals(ReadinessState.REOPENED, readiness.find("payments", day).orElseThrow().state());
        List<String> last = Jdbc.query(dataSource, "select outcome || ': ' || error from evaluation where dataset = "
                + "'payments' and partition_key = ? order by id desc limit 1", List.of(day), rs -> rs.getString(1));
        assertTrue(last.get(0).startsWith("ERROR: DMS DescribeReplicationTasks failed: "), last.toString());

        QuarkusMock.installMockForType(new LocalReplicationMonitor(dataSource, catalogService), ReplicationMonitor.class);
        assertEquals(ReadinessState.READY, evaluator.evaluate("payments", LocalDate.parse(day), "test").readiness()
                .state());
    }

    @Test
    void aFailingProcessorLeavesAFailedWindowThatBlocksUntilABackfillSucceeds() throws Exception {
        DemoScript.Fault gap = script.fault(Defect.API_WINDOW_GAP).orElseThrow();
        JsonNode d = JSON.readTree(gap.detailJson());
        Instant from = Instant.parse(d.get("window_from").asText());
        Instant to = Instant.parse(d.get("window_to").asText());
        String day = gap.businessDate().toString();
        QuarkusMock.installMockForType(new HttpProcessorApi(Map.of("processor_alpha", new HttpProcessorApi.Endpoint(
                URI.create(broken.baseUrl()), "/processors/alpha/v1/transactions", "k")),
                new HttpProcessorApi.Settings(Duration.ofSeconds(1), Duration.ofSeconds(2), 2, Duration.ofMillis(10),
                        Duration.ofSeconds(1)), Clock.systemUTC(), x -> { }), ProcessorApi.class);

        ApiExtractor.Backfill failed = pipeline.backfill("processor_alpha", from, to, "ops", "processor incident 42");

        assertFalse(failed.succeeded());
        PullWindowLedger.Window window = ledger.windows("processor_alpha", "/processors/alpha/v1/transactions")
                .stream().filter(w -> w.from().equals(from)).findFirst().orElseThrow();
        assertEquals("FAILED", window.status());
        assertTrue(window.error().endsWith("HTTP 500 '{\"message\": \"internal\"}' (gave up after 2 attempts)"),
                window.error());
        // the processor is the source layer too: while it is down the day cannot be evaluated at all, so
        // the evaluation is recorded as failed, naming the processor's error, and the day stays BLOCKED
        PartitionReadiness blocked = readiness.find("alpha_transactions", day).orElseThrow();
        assertEquals(ReadinessState.BLOCKED, blocked.state());
        List<String> last = Jdbc.query(dataSource, "select outcome || ': ' || error from evaluation where dataset = "
                + "'alpha_transactions' and partition_key = ? order by id desc limit 1", List.of(day),
                rs -> rs.getString(1));
        assertTrue(last.get(0).startsWith("ERROR: processor_alpha /processors/alpha/v1/transactions business date "
                + day + " first page: HTTP 500"), last.toString());
        assertTrue(ledger.issues("processor_alpha", "/processors/alpha/v1/transactions").stream()
                .anyMatch(i -> i.toString().contains(from.toString())), "the failed window is a hole in the ledger");
        assertEquals(List.of("backfill"), ledger.attempts(window.id()).stream().limit(1)
                .map(PullWindowLedger.Attempt::kind).toList());
        assertEquals(1, Jdbc.query(dataSource, "select count(*) from audit_log where action = 'pull_window.backfill' "
                + "and reason = 'processor incident 42'", List.of(), rs -> rs.getLong(1)).get(0));

        QuarkusMock.installMockForType(demoApi, ProcessorApi.class);
        ApiExtractor.Backfill fixed = pipeline.backfill("processor_alpha", from, to, "ops", "processor recovered");

        assertTrue(fixed.succeeded() && fixed.objectsLanded() > 0, fixed.toString());
        assertEquals(List.of(), ledger.issues("processor_alpha", "/processors/alpha/v1/transactions"));
        assertEquals(ReadinessState.READY, readiness.find("alpha_transactions", day).orElseThrow().state());
        assertEquals(ReadinessState.READY, readiness.find("processor_transactions", day).orElseThrow().state());
    }

    @Test
    void aBackfillMustNotOverlapRecordedWindows() {
        Instant from = fixture.defaultSpec().firstBusinessDate().atStartOfDay(java.time.ZoneOffset.UTC).toInstant();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pipeline.backfill(
                "processor_alpha", from.plusSeconds(3600), from.plusSeconds(7200), "ops", "x"));

        assertTrue(e.getMessage().contains("overlaps the recorded window [" + from + ", "), e.getMessage());
        Instant future = Instant.now().plusSeconds(86_400);
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class, () -> pipeline.backfill(
                "processor_alpha", future, future.plusSeconds(3600), "ops", "x"));
        assertTrue(open.getMessage().endsWith("is not over yet; only closed windows are pulled"), open.getMessage());
    }

    @Test
    void aLookBackRePullChangesNothingUntilTheProcessorHasLateRecords() throws Exception {
        LocalDate last = fixture.defaultSpec().lastBusinessDate();
        Instant from = last.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        PullWindowLedger.Planned lookBack = new PullWindowLedger.Planned(from, from.plusSeconds(86_400),
                PullWindowLedger.Kind.LOOK_BACK);
        var source = catalogService.catalog().source("processor_alpha");
        var dataset = source.datasets().get(0);
        try (Connection c = dataSource.getConnection()) {
            assertEquals(Optional.of(0), extractor.pull(c, source, dataset, lookBack, "test"), "unchanged: nothing lands");
            try (var s = c.createStatement()) {
                s.executeUpdate("""
                        insert into src_processor_alpha.transactions
                        select 'A-LATE-0000001', payment_reference, card_pan, amount_minor, fee_minor, currency, status,
                               captured_at, updated_at + interval '1 second', business_date
                        from src_processor_alpha.transactions where business_date = '%s' limit 1""".formatted(last));
            }
            assertEquals(Optional.of(1), extractor.pull(c, source, dataset, lookBack, "test"),
                    "the late record re-lands its business date's object");
        }
        PullWindowLedger.Window window = ledger.windows("processor_alpha", "/processors/alpha/v1/transactions")
                .stream().filter(w -> w.from().equals(from)).findFirst().orElseThrow();
        List<PullWindowLedger.Attempt> attempts = ledger.attempts(window.id());
        assertEquals(List.of(false, true), attempts.subList(attempts.size() - 2, attempts.size()).stream()
                .map(PullWindowLedger.Attempt::changed).toList());

        pipeline.run("test");

        PartitionReadiness r = readiness.find("alpha_transactions", last.toString()).orElseThrow();
        assertEquals(ReadinessState.READY, r.state(), r.checksSummary());
        assertEquals(1, Jdbc.query(dataSource, "select count(*) from staging.alpha_transactions where txn_id = "
                + "'A-LATE-0000001'", List.of(), rs -> rs.getLong(1)).get(0));
        DemoWorldFixture.invalidate();
    }
}
