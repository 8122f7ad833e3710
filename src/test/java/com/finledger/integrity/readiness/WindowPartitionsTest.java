package com.finledger.integrity.readiness;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoScript;
import com.finledger.integrity.platform.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Operations datasets are partitioned by 15-minute windows of their time column as well as by
 * business date. On the demo world: every window that holds rows is a partition, exactly the windows
 * that hold a defect's rows are BLOCKED (all windows of a date when the whole date is broken) and
 * every other window is READY; sensors read windows through the readiness API.
 */
@QuarkusTest
class WindowPartitionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DemoScript script;

    @Inject
    ReadinessService readiness;

    @Inject
    PartitionDetail detail;

    @Inject
    CatalogService catalogService;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void world() {
        fixture.ensureDefaultWorld();
    }

    @Test
    void everyWindowHoldingSourceRowsIsAPartitionOfItsDate() {
        List<Catalog.Dataset> windowed = windowed();
        assertEquals(Set.of("payments", "ledger_refunds", "alpha_transactions", "beta_transactions"),
                Set.copyOf(windowed.stream().map(Catalog.Dataset::name).toList()));
        for (Catalog.Dataset d : windowed) {
            Catalog.Source source = catalogService.catalog().sourceOf(d);
            String table = source.schema() + "." + d.table();
            for (LocalDate date : fixture.defaultSpec().businessDates()) {
                TreeSet<String> expected = new TreeSet<>(Jdbc.query(dataSource, "select distinct to_char(to_timestamp("
                        + "floor(extract(epoch from " + d.partitioning().timeColumn().orElseThrow() + ") / 900) * 900) "
                        + "at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI\"Z\"') from " + table + " where business_date = ?",
                        List.of(date), rs -> rs.getString(1)));
                assertFalse(expected.isEmpty(), table + " " + date);
                Map<String, PartitionReadiness> windows = windows(d.name(), date);
                assertEquals(96, windows.size(), "every window of a past date is a partition, rows or not");
                assertTrue(windows.keySet().containsAll(expected), d.name() + " " + date);
                if (d.name().equals("ledger_refunds")) {
                    assertTrue(expected.size() < 96, "refunds leave some windows empty");
                }
                for (var w : windows.entrySet()) {
                    if (!expected.contains(w.getKey()) && w.getValue().state() == ReadinessState.READY) {
                        List<PartitionDetail.ControlRow> controls = detail.controls(w.getValue().lastEvaluationId());
                        assertEquals(0, controls.get(0).in(), "a quiet window is ready with nothing in it");
                    }
                }
            }
        }
    }

    @Test
    void exactlyTheWindowsHoldingADefectAreBlocked() throws Exception {
        Map<String, Set<String>> expected = new TreeMap<>();
        DemoScript.Fault replays = script.fault(Defect.CDC_RESTART_DUPLICATES).orElseThrow();
        expected.put(key(replays), windowsOf("src_payments.payments_changes", "created_at",
                "change_seq between ? and ?", range(replays)));
        DemoScript.Fault orphan = script.fault(Defect.ORPHAN_REFUND).orElseThrow();
        expected.put(key(orphan), windowsOf("src_refunds.refunds", "created_at", "refund_id = ?",
                List.of(detail(orphan).get("refund_id").asText())));
        DemoScript.Fault skipped = script.fault(Defect.SKIPPED_CHANGE_RANGE).orElseThrow();
        expected.merge(key(skipped), windowsOf("src_refunds.refunds_changes", "created_at",
                "change_seq between ? and ?", range(skipped)), (a, b) -> union(a, b));
        DemoScript.Fault mismatch = script.fault(Defect.AMOUNT_MISMATCH).orElseThrow();
        expected.put(key(mismatch), windowsOf("src_processor_alpha.transactions", "captured_at",
                "payment_reference = ?", List.of(detail(mismatch).get("payment_id").asText())));
        for (Defect wholeDate : List.of(Defect.API_WINDOW_GAP, Defect.SCHEMA_DRIFT)) {
            DemoScript.Fault f = script.fault(wholeDate).orElseThrow();
            expected.put(key(f), windows(f.dataset(), f.businessDate()).keySet());
        }
        expected.values().forEach(w -> assertFalse(w.isEmpty()));

        for (Catalog.Dataset d : windowed()) {
            for (LocalDate date : fixture.defaultSpec().businessDates()) {
                Set<String> blocked = expected.getOrDefault(d.name() + "/" + date, Set.of());
                windows(d.name(), date).forEach((window, r) -> assertEquals(
                        blocked.contains(window) ? ReadinessState.BLOCKED : ReadinessState.READY, r.state(),
                        d.name() + "/" + window + " " + r.checksSummary()));
            }
        }
        // a curated operations window is blocked exactly when a window it is built from is
        int curatedWindows = 0;
        for (Catalog.CuratedDataset c : windowedCurated()) {
            for (LocalDate date : fixture.defaultSpec().businessDates()) {
                for (var w : windows(c.name(), date).entrySet()) {
                    boolean upstreamBlocked = c.builtFrom().stream().anyMatch(u -> readiness.find(u, w.getKey())
                            .map(r -> r.state() == ReadinessState.BLOCKED).orElse(false));
                    assertEquals(upstreamBlocked ? ReadinessState.BLOCKED : ReadinessState.READY, w.getValue().state(),
                            c.name() + "/" + w.getKey() + " " + w.getValue().checksSummary());
                    curatedWindows++;
                }
            }
        }
        assertTrue(curatedWindows > 500, curatedWindows + " curated windows");
    }

    @Test
    void curatedOperationsDatasetsHaveTheWindowsOfTheStagingRowsTheyAreBuiltFrom() {
        assertEquals(Set.of("transactions", "refunds", "processor_transactions"),
                Set.copyOf(windowedCurated().stream().map(Catalog.CuratedDataset::name).toList()));
        for (Catalog.CuratedDataset c : windowedCurated()) {
            for (LocalDate date : fixture.defaultSpec().businessDates()) {
                TreeSet<String> expected = new TreeSet<>();
                for (String input : c.rowsFrom()) {
                    expected.addAll(windowsOf("staging." + input, catalogService.catalog().dataset(input).partitioning()
                            .timeColumn().orElseThrow(), "business_date = ?", List.of(date)));
                }
                assertFalse(expected.isEmpty());
                assertEquals(96, windows(c.name(), date).size(), c.name() + " " + date);
                assertTrue(windows(c.name(), date).keySet().containsAll(expected), c.name() + " " + date);
            }
        }
        PartitionReadiness r = readiness.find("transactions", fixture.defaultSpec().firstBusinessDate() + "T10:15Z")
                .orElseThrow();
        PartitionDetail.ControlRow control = detail.controls(r.lastEvaluationId()).get(0);
        assertEquals("staging_to_curated", control.name());
        long rows = Jdbc.query(dataSource, "select count(*) from curated.transactions where created_at >= ?::timestamptz"
                + " and created_at < ?::timestamptz + interval '15 minutes'", List.of(
                r.partition().replace("Z", ":00Z"), r.partition().replace("Z", ":00Z")), rs -> rs.getLong(1)).get(0);
        assertTrue(rows > 0 && control.in() == rows && control.out() == rows && control.balanced(), control.toString());
    }

    @Test
    void aBlockedWindowNamesItsBreakAndItsOwnTotals() throws Exception {
        DemoScript.Fault orphan = script.fault(Defect.ORPHAN_REFUND).orElseThrow();
        String window = windowsOf("src_refunds.refunds", "created_at", "refund_id = ?",
                List.of(detail(orphan).get("refund_id").asText())).iterator().next();
        PartitionReadiness r = readiness.find("ledger_refunds", window).orElseThrow();
        JsonNode blocking = ReadinessResource.parse(r.checksSummary()).get("blocking");
        assertEquals(1, blocking.size(), blocking.toString());
        assertTrue(blocking.get(0).asText().startsWith("rule refunds_payment_exists: 1 rows of this window fail"),
                blocking.toString());

        List<PartitionDetail.ControlRow> controls = detail.controls(r.lastEvaluationId());
        assertEquals(List.of("source_to_landing", "landing_to_raw", "raw_to_staging", "dms_statistics",
                "change_sequence"), controls.stream().map(PartitionDetail.ControlRow::name).toList());
        assertTrue(controls.stream().allMatch(PartitionDetail.ControlRow::balanced), controls.toString());
        long windowRows = Jdbc.query(dataSource, "select count(*) from src_refunds.refunds_changes where "
                + "created_at >= ?::timestamptz and created_at < ?::timestamptz + interval '15 minutes'",
                List.of(window.replace("Z", ":00Z"), window.replace("Z", ":00Z")), rs -> rs.getLong(1)).get(0);
        assertEquals(windowRows, controls.get(0).in(), "the window's own source changes, not the date's");
        PartitionReadiness date = readiness.find("ledger_refunds", orphan.businessDate().toString()).orElseThrow();
        assertTrue(detail.controls(date.lastEvaluationId()).get(0).in() > windowRows);
    }

    @Test
    void sensorsReadAWindowThroughTheReadinessApi() {
        DemoScript.Fault gap = script.fault(Defect.API_WINDOW_GAP).orElseThrow();
        String window = gap.businessDate() + "T10:15Z";
        given().auth().preemptive().basic("pipeline", "demo").get("/api/v1/readiness/alpha_transactions/" + window)
                .then().statusCode(200).body("state", equalTo("BLOCKED")).body("partition", equalTo(window));
        String clean = gap.businessDate() + "T10:15Z";
        given().auth().preemptive().basic("pipeline", "demo").get("/api/v1/readiness/beta_transactions/" + clean)
                .then().statusCode(200).body("state", equalTo("READY"));
        given().auth().preemptive().basic("pipeline", "demo")
                .get("/api/v1/readiness/processor_transactions/" + gap.businessDate() + "T10:15Z")
                .then().statusCode(200).body("state", equalTo("BLOCKED"))
                .body("checks.blocking[0]", containsString("upstream alpha_transactions " + gap.businessDate() + "T10:15Z"));
        given().auth().preemptive().basic("pipeline", "demo").get("/api/v1/readiness/payments/2026-11-02T10:07Z")
                .then().statusCode(400).body("detail", containsString("15-minute windows like 2026-11-02T10:15Z"));
        given().auth().preemptive().basic("pipeline", "demo")
                .get("/api/v1/readiness/ledger_settlements/2026-11-02T10:15Z")
                .then().statusCode(400).body("detail", containsString("business date like 2026-11-02"));
        given().auth().preemptive().basic("ops", "demo").get("/api/v1/quarantine/payments/2026-11-02T10:15Z")
                .then().statusCode(400).body("detail", containsString("/api/v1/quarantine/payments/2026-11-02"));
        given().auth().preemptive().basic("ops", "demo").redirects().follow(false)
                .get("/readiness/payments/2026-11-02T10:15Z/quarantine?rule=payments_amount_positive")
                .then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith(
                        "/readiness/payments/2026-11-02/quarantine?rule=payments_amount_positive"));
    }

    @Test
    void theBoardCountsWindowsAndADatePageListsThem() {
        DemoScript.Fault orphan = script.fault(Defect.ORPHAN_REFUND).orElseThrow();
        Map<String, PartitionReadiness> all = windows("ledger_refunds", orphan.businessDate());
        long ready = all.values().stream().filter(r -> r.state() == ReadinessState.READY).count();
        assertTrue(ready > 0 && ready < all.size());
        Map<String, PartitionReadiness> curated = windows("refunds", orphan.businessDate());
        long curatedReady = curated.values().stream().filter(r -> r.state() == ReadinessState.READY).count();
        given().auth().preemptive().basic("ops", "demo").get("/readiness").then().statusCode(200)
                .body(containsString(ready + " of " + all.size() + " windows ready"))
                .body(containsString(curatedReady + " of " + curated.size() + " windows ready"))
                .body(org.hamcrest.Matchers.not(containsString(">" + orphan.businessDate() + "T")));
        String window = windows("ledger_refunds", orphan.businessDate()).entrySet().stream()
                .filter(e -> e.getValue().state() == ReadinessState.BLOCKED).findFirst().orElseThrow().getKey();
        given().auth().preemptive().basic("auditor", "demo").get("/readiness/ledger_refunds/" + orphan.businessDate())
                .then().statusCode(200).body(containsString("Micro-batch windows"))
                .body(containsString("href=\"/readiness/ledger_refunds/" + window + "\""))
                .body(containsString("rule refunds_payment_exists: 1 rows of this window fail"));
        given().auth().preemptive().basic("auditor", "demo").get("/readiness/ledger_refunds/" + window)
                .then().statusCode(200).body(containsString("business date " + orphan.businessDate()))
                .body(containsString("/readiness/ledger_refunds/" + orphan.businessDate()
                        + "/quarantine?rule=refunds_payment_exists"));
    }

    private List<Catalog.CuratedDataset> windowedCurated() {
        return catalogService.catalog().curated().stream().filter(c -> c.partitioning().windowed()).toList();
    }

    private List<Catalog.Dataset> windowed() {
        return catalogService.catalog().datasets().filter(d -> d.partitioning().windowed()).toList();
    }

    private Map<String, PartitionReadiness> windows(String dataset, LocalDate date) {
        Map<String, PartitionReadiness> found = new TreeMap<>();
        readiness.windows(dataset, date.toString()).forEach(r -> found.put(r.partition(), r));
        return found;
    }

    private Set<String> windowsOf(String table, String timeColumn, String where, List<Object> params) {
        return new TreeSet<>(Jdbc.query(dataSource, "select distinct to_char(to_timestamp(floor(extract(epoch from "
                + timeColumn + ") / 900) * 900) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI\"Z\"') from " + table
                + " where " + where, params, rs -> rs.getString(1)));
    }

    private static String key(DemoScript.Fault f) {
        return f.dataset() + "/" + f.businessDate();
    }

    private static JsonNode detail(DemoScript.Fault f) throws Exception {
        return JSON.readTree(f.detailJson());
    }

    private static List<Object> range(DemoScript.Fault f) throws Exception {
        JsonNode d = detail(f);
        return List.of(d.get("from_change_seq").asLong(), d.get("to_change_seq").asLong());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
