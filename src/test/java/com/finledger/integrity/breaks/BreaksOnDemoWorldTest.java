package com.finledger.integrity.breaks;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.SettableClock;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoCase;
import com.finledger.integrity.demo.DemoWorld;
import com.finledger.integrity.demo.WorldSpec;
import com.finledger.integrity.matching.MatchRun;
import com.finledger.integrity.matching.MatchRunService;
import com.finledger.integrity.pipeline.LocalPipelineRunner;
import com.finledger.integrity.platform.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The acceptance test of operational reconciliation on a generated demo world (one business day) with
 * the missing settlement and the amount mismatch injected, and the netted payout and the FX settlement
 * added: exactly the two expected breaks and nothing else; the same on a re-run; the break closes with
 * the run that sees the late settlement land; a write-off takes two people.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BreaksOnDemoWorldTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean generated;

    @Inject
    DemoWorld world;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    LocalPipelineRunner pipeline;

    @Inject
    MatchRunService runs;

    @Inject
    DataSource dataSource;

    private LocalDate date() {
        return fixture.defaultSpec().firstBusinessDate();
    }

    private synchronized void world() {
        if (!generated) {
            WorldSpec base = fixture.defaultSpec();
            WorldSpec spec = new WorldSpec(base.seed(), base.firstBusinessDate(), 1, 1,
                    Set.of(Defect.MISSING_SETTLEMENT, Defect.AMOUNT_MISMATCH),
                    Set.of(DemoCase.NETTED_PAYOUT, DemoCase.FX_SETTLEMENT, DemoCase.UNCONFIRMED_REFUND));
            DemoWorldFixture.invalidate();
            world.generate(spec, "test");
            pipeline.run("test");
            generated = true;
        }
    }

    @Test
    @Order(1)
    void theInjectedDefectsGiveExactlyTheExpectedBreaksAndNothingElse() throws Exception {
        world();
        // the run happens seven minutes after the ledger committed the refund Alpha never confirms
        String refundId = fault(DemoCase.UNCONFIRMED_REFUND.faultKey()).get("refund_id").asText();
        Instant refundCommitted = instant("select max(commit_ts) from src_refunds.refunds_changes where refund_id = '"
                + refundId + "'");
        Instant runAt = refundCommitted.plusSeconds(420);
        List<MatchRun> done;
        SettableClock.pin(runAt);
        try {
            done = runs.runBusinessDate(date(), "test");
        } finally {
            SettableClock.unpin();
        }
        assertEquals(6, done.size(), "six match rules ran");
        done.forEach(r -> assertEquals(MatchRun.State.SUCCEEDED, r.state, r.ruleName + ": " + r.error));

        JsonNode mismatch = fault(Defect.AMOUNT_MISMATCH.slug());
        JsonNode missing = fault(Defect.MISSING_SETTLEMENT.slug());
        Map<String, String> expected = new TreeMap<>();
        expected.put("payments_vs_alpha " + mismatch.get("payment_id").asText(),
                "AMOUNT_MISMATCH 100 " + mismatch.get("currency").asText());
        expected.put("payments_vs_settlements " + missing.get("payment_id").asText(),
                "MISSING_AT_BANK " + missing.get("amount_minor").asLong() + " " + missing.get("currency").asText());
        JsonNode unconfirmed = fault(DemoCase.UNCONFIRMED_REFUND.faultKey());
        expected.put("refunds_vs_alpha " + unconfirmed.get("refund_id").asText(), "MISSING_AT_PROCESSOR "
                + unconfirmed.get("amount_minor").asLong() + " " + unconfirmed.get("currency").asText());
        assertEquals(expected, openBreaks());

        // every other refund is confirmed by its processor, which lands it through the extractor like any transaction
        MatchRun alphaRefunds = done.stream().filter(r -> r.ruleName.equals("refunds_vs_alpha")).findFirst().orElseThrow();
        MatchRun betaRefunds = done.stream().filter(r -> r.ruleName.equals("refunds_vs_beta")).findFirst().orElseThrow();
        assertTrue(alphaRefunds.leftRecords > 5 && betaRefunds.leftRecords > 5,
                "a day holds refunds through both processors: " + alphaRefunds.leftRecords + ", " + betaRefunds.leftRecords);
        assertEquals(alphaRefunds.leftRecords - 1, alphaRefunds.matchedLeft);
        assertEquals(1, alphaRefunds.breaksFound);
        assertEquals(betaRefunds.leftRecords, betaRefunds.matchedLeft);
        assertEquals(0, betaRefunds.breaksFound);
        assertEquals(alphaRefunds.leftRecords + betaRefunds.leftRecords, count("select count(*) from staging.ledger_refunds "
                + "where business_date = '" + date() + "'"), "the two rules together cover every refund of the day");
        assertEquals(alphaRefunds.leftRecords - 1, count("select count(*) from staging.alpha_transactions where status = "
                + "'REFUNDED' and business_date = '" + date() + "'"));

        MatchRun bank = done.stream().filter(r -> r.ruleName.equals("settlements_vs_bank")).findFirst().orElseThrow();
        assertEquals(0, bank.breaksFound, "the netted payout and the FX credit are matched, not breaks");
        JsonNode strategies = JSON.readTree(bank.summary).get("strategies");
        JsonNode payout = fault(DemoCase.NETTED_PAYOUT.faultKey());
        assertEquals(payout.get("settlement_ids").size(), records(strategies, "grouped_reference", "MATCHED", "left_records"),
                "the payout line settles the five Beta settlements, net of fees");
        assertEquals(1, records(strategies, "grouped_reference", "MATCHED", "right_records"));
        assertEquals(1, records(strategies, "exact_reference", "MATCHED_FX", "left_records"), "the EUR credit of a USD settlement");
        assertEquals(bank.leftRecords, bank.matchedLeft, "every settlement of the day is credited");

        MatchRun alpha = done.stream().filter(r -> r.ruleName.equals("payments_vs_alpha")).findFirst().orElseThrow();
        assertTrue(alpha.leftRecords > 500, "Alpha captured most of a day's payments: " + alpha.leftRecords);
        assertEquals(alpha.leftRecords - 1, alpha.matchedLeft);
        assertNotNull(alpha.lagSeconds, "the run measures its end-to-end lag");

        // end-to-end lag runs from the source's own change (the ledger's commit), not from the record's time
        assertEquals(420L, alphaRefunds.lagSeconds, "refund committed at " + refundCommitted + ", run at " + runAt);
        assertEquals("source_commit", alphaRefunds.lagBasis);
        assertTrue(alphaRefunds.withinObjective());
        assertEquals(0, betaRefunds.breaksOpened);
        assertEquals(null, betaRefunds.lagSeconds, "no new break, no lag");
        String missingPayment = missing.get("payment_id").asText();
        Instant captureCommitted = instant("select max(commit_ts) from src_payments.payments_changes where payment_id = '"
                + missingPayment + "'");
        Instant created = instant("select created_at from src_payments.payments where payment_id = '" + missingPayment + "'");
        assertTrue(captureCommitted.isAfter(created), "the capture is committed after the payment was created");
        MatchRun settled = done.stream().filter(r -> r.ruleName.equals("payments_vs_settlements")).findFirst().orElseThrow();
        assertEquals(java.time.Duration.between(captureCommitted, runAt).toSeconds(), settled.lagSeconds);
        assertEquals(settled.lagSeconds <= 600, settled.withinObjective());
        assertEquals(captureCommitted, instant("select source_changed_at from break_case where rule_name = "
                + "'payments_vs_settlements' and left_item = '" + missingPayment + "'"));
        assertEquals(1L, count("select count(*) from audit_log where action = 'match_run.completed' and subject_id = '"
                + alpha.id + "'"));
    }

    @Test
    @Order(2)
    void reRunningGivesTheSameBreaksAndNeverADuplicate() throws Exception {
        world();
        runs.runBusinessDate(date(), "test");
        Map<String, String> before = openBreaks();
        List<Long> ids = Jdbc.query(dataSource, "select id from break_case order by id", List.of(), rs -> rs.getLong(1));

        List<MatchRun> again = runs.runBusinessDate(date(), "test");

        assertEquals(before, openBreaks());
        assertEquals(ids, Jdbc.query(dataSource, "select id from break_case order by id", List.of(), rs -> rs.getLong(1)));
        again.forEach(r -> assertEquals(0, r.breaksOpened, r.ruleName));
        assertTrue(again.get(0).version >= 2, "each run of a rule and scope is a new version");
    }

    @Test
    @Order(3)
    void aWriteOffByOnePersonIsRefusedAndTakesASecond() throws Exception {
        world();
        runs.runBusinessDate(date(), "test");
        long id = breakId("payments_vs_alpha");

        given().auth().preemptive().basic("ops", "demo").contentType("application/json").body("{}")
                .post("/api/v1/breaks/" + id + "/investigate")
                .then().statusCode(200);
        given().auth().preemptive().basic("admin", "demo").contentType("application/json")
                .body(Map.of("reason", "processor surcharge, agreed with Alpha")).post("/api/v1/breaks/" + id + "/write-off")
                .then().statusCode(200);
        // the requester may not approve it, though admin may approve write-offs: a second person is needed
        given().auth().preemptive().basic("admin", "demo").contentType("application/json").body(Map.of())
                .post("/api/v1/breaks/" + id + "/write-off/approve").then().statusCode(403)
                .body("detail", org.hamcrest.Matchers.containsString("second person"));
        // ops work breaks but do not approve write-offs
        given().auth().preemptive().basic("ops", "demo").contentType("application/json").body(Map.of())
                .post("/api/v1/breaks/" + id + "/write-off/approve").then().statusCode(403);
        assertEquals("INVESTIGATING", text("select state from break_case where id = " + id));

        given().auth().preemptive().basic("approver", "demo").contentType("application/json").body(Map.of())
                .post("/api/v1/breaks/" + id + "/write-off/approve").then().statusCode(200);
        assertEquals("WRITTEN_OFF", text("select state from break_case where id = " + id));
        assertEquals(1L, count("select count(*) from audit_log where action = 'break.written_off' and subject_id = '"
                + id + "' and actor = 'approver'"));
        assertEquals(List.of("found", "investigating", "write_off_requested", "written_off"),
                Jdbc.query(dataSource, "select kind from break_event where break_id = ? order by id", List.of(id),
                        rs -> rs.getString(1)));
    }

    @Test
    @Order(4)
    void theBreakClosesWithTheRunThatSeesTheLateSettlementLand() throws Exception {
        world();
        runs.runBusinessDate(date(), "test");
        long id = breakId("payments_vs_settlements");
        JsonNode missing = fault(Defect.MISSING_SETTLEMENT.slug());
        String paymentId = missing.get("payment_id").asText();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into src_settlements.settlements select 'SET-LATE-0000001', p.payment_id, p.processor, "
                    + "p.amount_minor, 19, p.currency, p.business_date + time '23:59:00', p.business_date "
                    + "from src_payments.payments p where p.payment_id = '" + paymentId + "'");
            s.execute("insert into src_settlements.settlements_changes select (select max(change_seq) + 1 from "
                    + "src_settlements.settlements_changes), 'I', now(), s.* from src_settlements.settlements s "
                    + "where s.settlement_id = 'SET-LATE-0000001'");
        }
        pipeline.run("test");

        List<MatchRun> done = runs.runBusinessDate(date(), "test");

        MatchRun settlements = done.stream().filter(r -> r.ruleName.equals("payments_vs_settlements")).findFirst()
                .orElseThrow();
        assertEquals("RESOLVED", text("select state from break_case where id = " + id));
        assertEquals(settlements.id, count("select closed_by_run_id from break_case where id = " + id));
        assertEquals(1, settlements.breaksClosed);
        // the late settlement has no bank credit yet: that is now the break, on the bank's rule
        assertEquals(Map.of("settlements_vs_bank SET-LATE-0000001", "MISSING_AT_BANK " + missing.get("amount_minor").asLong()
                + " " + missing.get("currency").asText()), openBreaks().entrySet().stream()
                .filter(e -> e.getKey().startsWith("settlements_vs_bank"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertEquals(1L, count("select count(*) from break_event where break_id = " + id + " and kind = 'closed_by_run'"));
        generated = false; // the world changed
        DemoWorldFixture.invalidate();
    }

    private long breakId(String rule) throws SQLException {
        return count("select id from break_case where rule_name = '" + rule + "' order by id limit 1");
    }

    private Map<String, String> openBreaks() {
        Map<String, String> open = new TreeMap<>();
        Jdbc.query(dataSource, "select rule_name, coalesce(left_item, right_item), reason, amount_at_risk_minor, currency "
                + "from break_case where state in ('OPEN', 'INVESTIGATING')", List.of(), rs -> open.put(
                rs.getString(1) + " " + rs.getString(2), rs.getString(3) + " " + rs.getLong(4) + " " + rs.getString(5)));
        return open;
    }

    private static long records(JsonNode strategies, String strategy, String outcome, String field) {
        long total = 0;
        for (JsonNode s : strategies) {
            if (s.get("strategy").asText().equals(strategy) && s.get("outcome").asText().equals(outcome)) {
                total += s.get(field == null ? "items" : field.equals("left_records") ? "leftRecords" : "rightRecords")
                        .asLong();
            }
        }
        return total;
    }

    private JsonNode fault(String key) throws Exception {
        return JSON.readTree(text("select detail::text from demo_injected_fault where defect = '" + key + "'"));
    }

    private long count(String sql) throws SQLException {
        return Jdbc.query(dataSource, sql, List.of(), rs -> rs.getLong(1)).get(0);
    }

    private Instant instant(String sql) {
        return Jdbc.query(dataSource, sql, List.of(), rs -> rs.getTimestamp(1).toInstant()).get(0);
    }

    private String text(String sql) {
        return Jdbc.query(dataSource, sql, List.of(), rs -> rs.getString(1)).get(0);
    }
}
