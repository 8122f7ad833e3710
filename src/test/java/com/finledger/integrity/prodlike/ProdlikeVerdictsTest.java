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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo world run through the prodlike profile, every port on its own peer (see
 * {@link ProdlikePeers}), earns exactly the verdicts dev mode's single database earns: the same
 * state for every partition and window, the same control totals and fingerprints in every layer.
 * A peer that refuses a statement is a recorded, failed evaluation naming the cause.
 */
@QuarkusTest
@TestProfile(ProdlikeVerdictsTest.Prodlike.class)
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

    @Test
    void everyPartitionEarnsTheSameVerdictAsInDevMode() {
        fixture.ensureDefaultWorld();

        String actual = DemoWorldVerdicts.snapshot(controlPlane);

        assertEquals(DemoWorldVerdicts.expected(null), actual);
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

    @Test
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
