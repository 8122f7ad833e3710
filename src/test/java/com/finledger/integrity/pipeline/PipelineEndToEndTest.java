package com.finledger.integrity.pipeline;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoWorld;
import com.finledger.integrity.demo.WorldSpec;
import com.finledger.integrity.overview.LayerCounts;
import com.finledger.integrity.overview.LayerCounts.Layer;
import com.finledger.integrity.overview.LayerCounts.PartitionCounts;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Generate the demo world, run the pipeline twice, and check every layer's counts and idempotency. */
@QuarkusTest
class PipelineEndToEndTest {

    @Inject
    DemoWorld world;

    @Inject
    LocalPipelineRunner pipeline;

    @Inject
    LayerCounts layerCounts;

    @Inject
    DataSource dataSource;

    @Inject
    DemoWorldFixture fixture;

    @AfterAll
    static void otherTestsRegenerate() {
        DemoWorldFixture.invalidate();
    }

    @Test
    void aCleanWorldFlowsThroughEveryLayerAndASecondRunChangesNothing() throws SQLException {
        WorldSpec spec = new WorldSpec(7, LocalDate.of(2026, 11, 2), 2, 1, Set.of());
        world.generate(spec, "test");

        LocalPipelineRunner.PipelineRun first = pipeline.run("test");
        List<PartitionCounts> afterFirst = layerCounts.all();
        LocalPipelineRunner.PipelineRun second = pipeline.run("test");
        List<PartitionCounts> afterSecond = layerCounts.all();

        assertTrue(first.objectsLanded() > 0 && first.rowsLoadedRaw() > 0);
        assertEquals(0, second.objectsLanded(), "nothing new to land");
        assertEquals(0, second.rowsLoadedRaw(), "nothing new to load");
        assertEquals(0, second.rowsChanged(), "models change nothing the second time");
        assertEquals(afterFirst, afterSecond);

        for (LocalDate date : spec.businessDates()) {
            // Every payment change (insert, then status update or delete) lands and loads once.
            long changes = count("select count(*) from src_payments.payments_changes where business_date = '" + date + "'");
            PartitionCounts payments = find(afterFirst, "payments", date);
            assertEquals(changes, payments.count(Layer.LANDING));
            assertEquals(changes, payments.count(Layer.RAW));
            assertEquals(payments.count(Layer.SOURCE), payments.count(Layer.STAGING));
            for (String dataset : List.of("ledger_refunds", "ledger_settlements", "alpha_transactions", "beta_transactions")) {
                PartitionCounts p = find(afterFirst, dataset, date);
                assertEquals(p.count(Layer.SOURCE), p.count(Layer.LANDING), dataset + " " + date);
                assertEquals(p.count(Layer.SOURCE), p.count(Layer.RAW), dataset + " " + date);
                assertEquals(p.count(Layer.SOURCE), p.count(Layer.STAGING), dataset + " " + date);
            }
            PartitionCounts bank = find(afterFirst, "bank_settlement_lines", date);
            assertEquals(null, bank.count(Layer.SOURCE), "partner files have no source layer here");
            assertEquals(find(afterFirst, "ledger_settlements", date).count(Layer.SOURCE), bank.count(Layer.STAGING));
            assertEquals(payments.count(Layer.STAGING), find(afterFirst, "transactions", date).count(Layer.CURATED));
            assertEquals(find(afterFirst, "alpha_transactions", date).count(Layer.STAGING)
                            + find(afterFirst, "beta_transactions", date).count(Layer.STAGING),
                    find(afterFirst, "processor_transactions", date).count(Layer.CURATED));
        }
        assertEquals(count("select count(*) from staging.payments where status = 'CAPTURED'"),
                count("select sum(payment_count) from curated.balances"), "balances cover every captured payment");
        assertEquals(count("select coalesce(sum(amount_minor), 0) from curated.transactions where status = 'CAPTURED'")
                        - count("select coalesce(sum(amount_minor), 0) from curated.refunds"),
                count("select sum(net_minor) from curated.balances"), "net = captured - refunded, exactly");
    }

    @Test
    void injectedDefectsShowUpInTheLayerCounts() throws SQLException {
        WorldSpec spec = new WorldSpec(11, LocalDate.of(2026, 11, 2), 3, 1, EnumSet.allOf(Defect.class));
        world.generate(spec, "test");
        pipeline.run("test");
        List<PartitionCounts> counts = layerCounts.all();
        LocalDate day1 = spec.firstBusinessDate();
        LocalDate day2 = day1.plusDays(1);

        long day2Changes = count("select count(*) from src_payments.payments_changes where business_date = '" + day2 + "'");
        PartitionCounts payments2 = find(counts, "payments", day2);
        assertEquals(day2Changes + 40, payments2.count(Layer.RAW), "the DMS restart landed 40 changes twice");
        assertEquals(payments2.count(Layer.SOURCE), payments2.count(Layer.STAGING), "staging dedups them");

        PartitionCounts bank1 = find(counts, "bank_settlement_lines", day1);
        assertEquals(bank1.count(Layer.STAGING), bank1.count(Layer.RAW), "the byte-identical resend is not loaded");
        assertEquals(find(counts, "ledger_settlements", day1).count(Layer.SOURCE), bank1.count(Layer.STAGING));

        assertEquals(1, count("select count(*) from staging.ledger_refunds r where not exists "
                + "(select 1 from staging.payments p where p.payment_id = r.payment_id)"), "one orphan refund");
        String lastDay = " and business_date = '" + spec.lastBusinessDate() + "'";
        long betaLastDay = count("select count(*) from staging.beta_transactions where true" + lastDay);
        assertTrue(betaLastDay > 0);
        assertEquals(betaLastDay, count("select count(*) from staging.beta_transactions where currency is null" + lastDay),
                "the drifted field name leaves currency empty in staging for the whole last day");
        assertEquals(0, count("select count(*) from staging.beta_transactions where currency is null and business_date < '"
                + spec.lastBusinessDate() + "'"));
        assertEquals(1, count("select count(*) from curated.processor_transactions pt join curated.transactions t "
                + "using (payment_id) where pt.status = 'CAPTURED' and pt.amount_minor <> t.amount_minor"), "one amount mismatch");
        assertEquals(1, count("select count(*) from curated.transactions t where t.status = 'CAPTURED' and not exists "
                + "(select 1 from curated.settlements s where s.payment_id = t.payment_id)"), "one missing settlement");
        assertTrue(count("select count(*) from landed_object where dataset = 'bank_settlement_lines' and business_date = '"
                + spec.lastBusinessDate() + "' and arrived_at > (business_date + 1 + time '08:00') at time zone 'Europe/London'")
                == 1, "the last report arrived after its cut-off");
    }

    @Test
    void lateSourceChangesFlowThroughOnTheNextRun() throws SQLException {
        fixture.ensureDefaultWorld();
        String paymentId;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select payment_id from src_payments.payments where status = 'CAPTURED' "
                    + "order by payment_id limit 1")) {
                rs.next();
                paymentId = rs.getString(1);
            }
            s.execute("update src_payments.payments set status = 'REFUNDED' where payment_id = '" + paymentId + "'");
            s.execute("insert into src_payments.payments_changes select (select max(change_seq) + 1 from "
                    + "src_payments.payments_changes), 'U', now(), p.* from src_payments.payments p where payment_id = '"
                    + paymentId + "'");
        }

        LocalPipelineRunner.PipelineRun run = pipeline.run("test");

        assertEquals(1, run.objectsLanded());
        assertEquals(1, run.rowsLoadedRaw());
        assertEquals("REFUNDED", text("select status from curated.transactions where payment_id = '" + paymentId + "'"));
        DemoWorldFixture.invalidate();
    }

    @Test
    void cardNumbersNeverReachTheWarehouseInClear() throws SQLException {
        fixture.ensureDefaultWorld();
        assertEquals(0, count("select count(*) from raw.payments where record->>'card_pan' ~ '^[0-9]{12,19}$'"));
        assertEquals(0, count("select count(*) from raw.alpha_transactions where record->>'card_pan' !~ '^tok_'"));
        assertFalse(given().auth().preemptive().basic("ops", "demo").get("/").asString().matches("(?s).*\\d{16}.*"));
    }

    private static PartitionCounts find(List<PartitionCounts> counts, String dataset, LocalDate date) {
        return counts.stream().filter(p -> p.dataset().equals(dataset) && p.businessDate().equals(date)).findFirst()
                .orElseThrow(() -> new AssertionError("no counts for " + dataset + " " + date));
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String text(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
