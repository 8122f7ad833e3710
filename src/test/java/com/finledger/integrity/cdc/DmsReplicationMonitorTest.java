package com.finledger.integrity.cdc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The AWS DMS replication monitor against WireMock stubs of the DMS JSON 1.1 API (requests and
 * responses shaped as the DMS API reference documents them): paging by Marker, the mapping of
 * table statistics and events, and what 500s, malformed JSON and timeouts do.
 */
class DmsReplicationMonitorTest {

    private static final String TASK_ARN = "arn:aws:dms:eu-west-1:123456789012:task:PAYMENTSCDC";
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static WireMockServer dms;

    @BeforeAll
    static void start() {
        dms = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        dms.start();
    }

    @AfterAll
    static void stop() {
        dms.stop();
    }

    @BeforeEach
    void reset() {
        dms.resetAll();
    }

    private static DmsReplicationMonitor monitor(Duration timeout, int attempts) {
        return DmsReplicationMonitor.create("eu-west-1", Optional.of(URI.create(dms.baseUrl())),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), timeout,
                attempts);
    }

    private static MappingBuilder call(String operation) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonDMSv20160101." + operation));
    }

    private static void answer(MappingBuilder request, String json) {
        dms.stubFor(request.willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON_11).withBody(json)));
    }

    private static void stubTaskLookup() {
        answer(call("DescribeReplicationTasks").withRequestBody(matchingJsonPath("$.Filters[0].Values[0]",
                equalTo("finledger-payments-ledger-cdc"))), """
                {"ReplicationTasks": [{"ReplicationTaskIdentifier": "finledger-payments-ledger-cdc",
                  "ReplicationTaskArn": "%s", "Status": "running", "MigrationType": "full-load-and-cdc"}]}""".formatted(TASK_ARN));
    }

    @Test
    void tasksAreReadAcrossMarkerPages() {
        answer(call("DescribeReplicationTasks").withRequestBody(containing("\"Marker\":\"page-2\"")), """
                {"ReplicationTasks": [{"ReplicationTaskIdentifier": "finledger-refunds-ledger-cdc",
                  "ReplicationTaskArn": "arn:aws:dms:eu-west-1:123456789012:task:REFUNDS", "Status": "failed",
                  "MigrationType": "cdc", "StopReason": "Stop Reason FATAL_ERROR",
                  "LastFailureMessage": "Last Error Replication slot is missing", "RecoveryCheckpoint": "checkpoint:V1#27#0/2F3A1B8"}]}""");
        answer(call("DescribeReplicationTasks").withRequestBody(matchingJsonPath("$[?(!@.Marker)]")), """
                {"ReplicationTasks": [{"ReplicationTaskIdentifier": "finledger-payments-ledger-cdc",
                  "ReplicationTaskArn": "%s", "Status": "running", "MigrationType": "full-load-and-cdc",
                  "ReplicationTaskStartDate": 1795651200}], "Marker": "page-2"}""".formatted(TASK_ARN));

        List<ReplicationMonitor.ReplicationTask> tasks = monitor(Duration.ofSeconds(2), 2).tasks();

        assertEquals(2, tasks.size());
        assertEquals("finledger-payments-ledger-cdc", tasks.get(0).identifier());
        assertEquals(Instant.ofEpochSecond(1_795_651_200L), tasks.get(0).startedAt());
        ReplicationMonitor.ReplicationTask refunds = tasks.get(1);
        assertTrue(refunds.failed());
        assertEquals("Last Error Replication slot is missing", refunds.lastFailureMessage());
        dms.verify(2, postRequestedFor(urlEqualTo("/")).withHeader("Content-Type", containing(JSON_11)));
    }

    @Test
    void tableStatisticsAreMappedAndPagedForTheTaskArn() {
        stubTaskLookup();
        answer(call("DescribeTableStatistics").withRequestBody(matchingJsonPath("$.ReplicationTaskArn", equalTo(TASK_ARN)))
                .withRequestBody(matchingJsonPath("$[?(!@.Marker)]")), """
                {"ReplicationTaskArn": "%s", "Marker": "m2", "TableStatistics": [
                  {"SchemaName": "src_payments", "TableName": "payments", "Inserts": 4000, "Updates": 3900,
                   "Deletes": 4, "Ddls": 0, "FullLoadRows": 0, "TableState": "Table completed",
                   "LastUpdateTime": 1795737600.5}]}""".formatted(TASK_ARN));
        answer(call("DescribeTableStatistics").withRequestBody(matchingJsonPath("$.Marker", equalTo("m2"))), """
                {"ReplicationTaskArn": "%s", "TableStatistics": [
                  {"SchemaName": "src_payments", "TableName": "payment_events", "Inserts": 7, "Updates": 0,
                   "Deletes": 0, "Ddls": 1, "FullLoadRows": 120, "TableState": "Table completed"}]}""".formatted(TASK_ARN));

        DmsReplicationMonitor monitor = monitor(Duration.ofSeconds(2), 2);
        ReplicationMonitor.TableStatistics payments = monitor.tableStatistics("finledger-payments-ledger-cdc",
                "src_payments", "payments").orElseThrow();

        assertEquals(7904, payments.changes());
        assertEquals(Instant.ofEpochSecond(1_795_737_600L, 500_000_000), payments.lastUpdated());
        assertEquals(2, monitor.tableStatistics("finledger-payments-ledger-cdc").size());
    }

    @Test
    void eventsOfReplicationTasksComeOldestFirst() {
        answer(call("DescribeEvents").withRequestBody(matchingJsonPath("$.SourceType", equalTo("replication-task"))), """
                {"Events": [
                  {"SourceIdentifier": "finledger-payments-ledger-cdc", "SourceType": "replication-task",
                   "Message": "Replication task has started.", "EventCategories": ["state change"], "Date": 1795737700},
                  {"SourceIdentifier": "finledger-payments-ledger-cdc", "SourceType": "replication-task",
                   "Message": "Replication task has failed.", "EventCategories": ["failure"], "Date": 1795737600}]}""");

        List<ReplicationMonitor.ReplicationEvent> events = monitor(Duration.ofSeconds(2), 2)
                .events(Instant.parse("2026-11-25T00:00:00Z"));

        assertEquals(List.of("Replication task has failed.", "Replication task has started."),
                events.stream().map(ReplicationMonitor.ReplicationEvent::message).toList());
        assertEquals(List.of("failure"), events.get(0).categories());
    }

    @Test
    void aServerErrorIsRetriedAndThenSucceeds() {
        dms.stubFor(call("DescribeReplicationTasks").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", JSON_11)
                        .withBody("{\"__type\": \"InternalFailure\", \"message\": \"try again\"}"))
                .willSetStateTo("recovered"));
        dms.stubFor(call("DescribeReplicationTasks").inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON_11)
                        .withBody("{\"ReplicationTasks\": []}")));

        assertEquals(List.of(), monitor(Duration.ofSeconds(2), 3).tasks());
        dms.verify(2, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void persistentServerErrorsGiveUpWithTheCallNamed() {
        dms.stubFor(call("DescribeReplicationTasks").willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", JSON_11).withBody("{\"__type\": \"InternalFailure\"}")));

        ReplicationMonitorException e = assertThrows(ReplicationMonitorException.class,
                () -> monitor(Duration.ofSeconds(2), 3).tableStatistics("finledger-payments-ledger-cdc"));

        assertTrue(e.getMessage().startsWith("DMS DescribeReplicationTasks for finledger-payments-ledger-cdc failed: "),
                e.getMessage());
        dms.verify(3, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void malformedJsonIsAClearError() {
        stubTaskLookup();
        answer(call("DescribeTableStatistics"), "{\"TableStatistics\": [{\"SchemaName\": ");

        ReplicationMonitorException e = assertThrows(ReplicationMonitorException.class,
                () -> monitor(Duration.ofSeconds(2), 2).tableStatistics("finledger-payments-ledger-cdc"));

        assertTrue(e.getMessage().startsWith("DMS DescribeTableStatistics of finledger-payments-ledger-cdc failed: "),
                e.getMessage());
    }

    @Test
    void aTaskThatDoesNotExistIsNamed() {
        answer(call("DescribeReplicationTasks"), "{\"ReplicationTasks\": []}");

        ReplicationMonitorException e = assertThrows(ReplicationMonitorException.class,
                () -> monitor(Duration.ofSeconds(2), 2).tableStatistics("finledger-typo-cdc"));

        assertEquals("DMS has no replication task 'finledger-typo-cdc' (check connection.dms_task in the catalog)",
                e.getMessage());
    }

    @Test
    void aSlowAnswerTimesOutAndIsRetriedThenFails() {
        dms.stubFor(call("DescribeEvents").willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON_11)
                .withBody("{\"Events\": []}").withFixedDelay(1_500)));

        long started = System.nanoTime();
        ReplicationMonitorException e = assertThrows(ReplicationMonitorException.class,
                () -> monitor(Duration.ofMillis(300), 2).events(Instant.parse("2026-11-25T00:00:00Z")));

        assertTrue(e.getMessage().startsWith("DMS DescribeEvents failed: "), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(3)) < 0,
                "the call timeout bounds the wait");
    }

    @Test
    void answersAreKeptBrieflyButFailuresAreNot() {
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(
                Instant.parse("2026-11-26T10:00:00Z"));
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        CachingReplicationMonitor cached = new CachingReplicationMonitor(monitor(Duration.ofSeconds(2), 1),
                Duration.ofSeconds(30), clock);
        dms.stubFor(call("DescribeReplicationTasks").willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", JSON_11).withBody("{}")));

        assertThrows(ReplicationMonitorException.class, cached::tasks);
        answer(call("DescribeReplicationTasks"), "{\"ReplicationTasks\": []}");
        cached.tasks();
        cached.tasks();
        now.set(now.get().plusSeconds(31));
        cached.tasks();

        dms.verify(3, postRequestedFor(urlEqualTo("/")));
    }
}
