package com.finledger.integrity.cdc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.controls.ControlResult;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.warehouse.Warehouse;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code dms_statistics} compares like with like across a real task's life: DMS's change counters
 * cover only the current task run (a restart starts them again) and exclude the full load, and a
 * table reload starts its full-load count again. Answered by WireMock in the DMS API's JSON shapes;
 * the landing ledger and RAW are the real ones.
 */
@QuarkusTest
class DmsStatisticsAcrossRestartsTest {

    private static final String TASK = "finledger-probe-cdc";
    private static final String TASK_ARN = "arn:aws:dms:eu-west-1:123456789012:task:PROBECDC";
    private static final String DATASET = "dms_probe";
    private static final Instant FIRST_RUN = Instant.parse("2026-11-02T00:00:00Z");
    private static final Instant RESTARTED = Instant.parse("2026-11-03T06:00:00Z");
    private static WireMockServer dms;

    @Inject
    DataSource dataSource;

    @Inject
    Warehouse warehouse;

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
    void clean() {
        dms.resetAll();
        Jdbc.query(dataSource, "delete from landed_object where dataset = ? returning id", List.of(DATASET), rs -> 1);
        warehouse.update("create schema if not exists raw", List.of());
        warehouse.update("drop table if exists raw." + DATASET, List.of());
    }

    private CdcControls controls() {
        CdcControls controls = new CdcControls();
        controls.monitor = DmsReplicationMonitor.create("eu-west-1", Optional.of(URI.create(dms.baseUrl())),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
                Duration.ofSeconds(5), 1);
        controls.dataSource = dataSource;
        controls.warehouse = warehouse;
        return controls;
    }

    private static void dmsAnswers(Instant taskStarted, long inserts, long updates, long fullLoadRows,
                                   Instant fullLoadStarted) {
        String json = "application/x-amz-json-1.1";
        dms.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonDMSv20160101.DescribeReplicationTasks"))
                .willReturn(aResponse().withHeader("Content-Type", json).withBody("""
                        {"ReplicationTasks": [{"ReplicationTaskIdentifier": "%s", "ReplicationTaskArn": "%s",
                          "Status": "running", "MigrationType": "full-load-and-cdc",
                          "ReplicationTaskStartDate": %d}]}""".formatted(TASK, TASK_ARN,
                        taskStarted.getEpochSecond()))));
        dms.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonDMSv20160101.DescribeTableStatistics"))
                .willReturn(aResponse().withHeader("Content-Type", json).withBody("""
                        {"ReplicationTaskArn": "%s", "TableStatistics": [{"SchemaName": "src_probe",
                          "TableName": "probe", "Inserts": %d, "Updates": %d, "Deletes": 0, "Ddls": 0,
                          "FullLoadRows": %d, %s "TableState": "Table completed",
                          "LastUpdateTime": %d}]}""".formatted(TASK_ARN, inserts, updates, fullLoadRows,
                        fullLoadStarted == null ? "" : "\"FullLoadStartTime\": " + fullLoadStarted.getEpochSecond() + ",",
                        RESTARTED.plusSeconds(3600).getEpochSecond()))));
    }

    private void landed(String key, long rows, Instant arrived) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into landed_object (dataset, business_date, object_key, version_id, sha256, size_bytes,
                                           row_count, arrived_at, recorded_at, row_fingerprint, row_amounts)
                values (?, ?, ?, 'v1', ?, 1, ?, ?, ?, 0, '{}'::jsonb)""")) {
            ps.setString(1, DATASET);
            ps.setObject(2, LocalDate.parse("2026-11-02"));
            ps.setString(3, key);
            ps.setString(4, "0".repeat(64));
            ps.setLong(5, rows);
            ps.setTimestamp(6, Timestamp.from(arrived));
            ps.setTimestamp(7, Timestamp.from(arrived));
            ps.executeUpdate();
        }
    }

    private void rawHolds(long rows) {
        warehouse.update("create schema if not exists raw", List.of());
        warehouse.update("create table raw." + DATASET + " as select g from generate_series(1, " + rows + ") g",
                List.of());
    }

    @Test
    void afterARestartOnlyTheChangesOfTheCurrentRunAreComparedWithDmsCounters() throws Exception {
        landed("landing/probe/src_probe/probe/LOAD00000001.csv", 1000, FIRST_RUN.plusSeconds(60));
        landed("landing/probe/src_probe/probe/20261102-120000000.csv", 300, FIRST_RUN.plusSeconds(3600));
        landed("landing/probe/src_probe/probe/20261103-070000000.csv", 40, RESTARTED.plusSeconds(3600));
        landed("landing/probe/src_probe/probe/20261103-080000000.csv", 2, RESTARTED.plusSeconds(7200));
        rawHolds(1342);
        // after the restart DMS counts only the 42 changes it delivered since; the full load happened before
        dmsAnswers(RESTARTED, 30, 12, 0, null);

        ControlResult result = controls().dmsStatistics(TASK, "src_probe", "probe", DATASET);

        assertTrue(result.balanced(), "42 changes delivered in this run and 42 landed in it: " + result.reasons());
        assertEquals(42, result.in());
        assertEquals(42, result.out());
    }

    @Test
    void aChangeFileLostInTheCurrentRunIsMissingRowsNamingTheRun() throws Exception {
        landed("landing/probe/src_probe/probe/20261102-120000000.csv", 300, FIRST_RUN.plusSeconds(3600));
        landed("landing/probe/src_probe/probe/20261103-070000000.csv", 40, RESTARTED.plusSeconds(3600));
        rawHolds(340);
        dmsAnswers(RESTARTED, 30, 12, 0, null);

        ControlResult result = controls().dmsStatistics(TASK, "src_probe", "probe", DATASET);

        assertFalse(result.balanced());
        assertEquals("missing rows: DMS reports 42 changes of src_probe.probe delivered since the task run started at "
                + RESTARTED + ", the change files that landed since the task run started at " + RESTARTED + " hold 40",
                result.reasons().get(0));
    }

    @Test
    void aReloadedTableIsComparedWithTheFilesOfItsLatestFullLoad() throws Exception {
        Instant reloaded = RESTARTED.plusSeconds(1800);
        landed("landing/probe/src_probe/probe/LOAD00000001.csv", 1000, FIRST_RUN.plusSeconds(60));
        landed("landing/probe/src_probe/probe/20261102-120000000.csv", 300, FIRST_RUN.plusSeconds(3600));
        // the reload lands the table again in two files, then CDC goes on
        landed("landing/probe/src_probe/probe/LOAD00000001.csv?reload", 700, reloaded.plusSeconds(60));
        landed("landing/probe/src_probe/probe/LOAD00000002.csv", 600, reloaded.plusSeconds(120));
        landed("landing/probe/src_probe/probe/20261103-090000000.csv", 5, reloaded.plusSeconds(3600));
        rawHolds(2605);
        dmsAnswers(FIRST_RUN, 4, 1, 1300, reloaded);

        ControlResult result = controls().dmsStatistics(TASK, "src_probe", "probe", DATASET);

        assertTrue(result.balanced(), "1,300 reloaded rows and 5 changes since the reload: " + result.reasons());
        assertEquals(1305, result.in());

        dmsAnswers(FIRST_RUN, 4, 1, 1400, reloaded);
        ControlResult short100 = controls().dmsStatistics(TASK, "src_probe", "probe", DATASET);
        assertEquals(List.of("missing rows: DMS reports 1400 full-load rows of src_probe.probe, its full-load files "
                + "since the table was reloaded at " + reloaded + " hold 1300"), short100.reasons());
    }
}
