package com.finledger.integrity.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.finledger.integrity.DemoWorldFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Volume and freshness rules: they warn (as their severity says) with the numbers behind them. */
@QuarkusTest
class WarningRulesTest {

    @Inject
    DemoWorldFixture fixture;

    @Inject
    PartitionEvaluator evaluator;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void world() {
        fixture.ensureDefaultWorld();
    }

    @AfterAll
    static void otherTestsRegenerate() {
        DemoWorldFixture.invalidate();
    }

    @Test
    void anEmptyDayWarnsOnVolumeButStaysUsable() {
        LocalDate empty = fixture.defaultSpec().lastBusinessDate().plusDays(1);

        PartitionEvaluator.Evaluation e = evaluator.evaluate("payments", empty, "test");

        assertEquals(ReadinessState.READY, e.readiness().state(), "warnings do not block");
        assertTrue(warnings(e).contains("payments_volume: 0 rows, below the minimum 1; 0 rows is 100.0% off the "
                + "trailing average 1998.33 (limit 50%)"), warnings(e).toString());
    }

    @Test
    void changesNotYetLandedShowAsReplicationLag() throws SQLException {
        LocalDate day = fixture.defaultSpec().firstBusinessDate();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    insert into src_payments.payments_changes
                    select (select max(change_seq) + 1 from src_payments.payments_changes), 'U',
                           (select max(commit_ts) from src_payments.payments_changes where business_date = '%s')
                             + interval '3 hours',
                           payment_id, merchant_id, processor, card_pan, amount_minor, currency, status, created_at,
                           business_date
                    from src_payments.payments where business_date = '%s' order by payment_id limit 1"""
                    .formatted(day, day));
        }

        PartitionEvaluator.Evaluation e = evaluator.evaluate("payments", day, "test");

        assertTrue(warnings(e).contains("payments_replication_lag: replication lag PT3H (SLA PT10M)"),
                warnings(e).toString());
        assertTrue(e.blocking().stream().anyMatch(b -> b.startsWith("control source_to_landing: missing rows: 1 ")),
                "the control sees the change that has not landed: " + e.blocking());
        assertEquals(ReadinessState.BLOCKED, e.readiness().state());
    }

    private static List<String> warnings(PartitionEvaluator.Evaluation e) {
        JsonNode summary = ReadinessResource.parse(e.readiness().checksSummary());
        List<String> warnings = new ArrayList<>();
        summary.get("warnings").forEach(w -> warnings.add(w.asText()));
        return warnings;
    }
}
