package com.finledger.integrity.warehouse;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.platform.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.YearMonth;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On the local warehouse: load history captured into the control plane once per load however often
 * it is captured, and curated tables frozen at period close with control totals that match.
 */
@QuarkusTest
class WarehouseLedgersTest {

    @Inject
    DemoWorldFixture fixture;

    @Inject
    LoadHistoryCapture capture;

    @Inject
    PeriodSnapshots snapshots;

    @Inject
    CatalogService catalogService;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void world() {
        fixture.ensureDefaultWorld();
    }

    private long count(String sql) {
        return Jdbc.query(dataSource, sql, List.of(), rs -> rs.getLong(1)).get(0);
    }

    @Test
    void everyLoadedObjectIsCapturedOnceWithItsRows() {
        capture.capture();
        long objects = 0;
        for (var d : catalogService.catalog().datasets().toList()) {
            objects += count("select count(distinct (object_key, object_version)) from raw." + d.name());
        }

        assertEquals(0, capture.capture(), "a second capture adds nothing");
        assertEquals(objects, count("select count(*) from warehouse_load"));
        assertEquals(count("select count(*) from raw.payments"),
                count("select sum(row_count) from warehouse_load where table_name = 'raw.payments'"));
        assertTrue(capture.loads("raw.payments", 10).stream().allMatch(l -> l.status().equals("Loaded")
                && l.fileName().contains("?versionId=")));
    }

    @Test
    void aClosedPeriodIsFrozenOnceAndReproducesTheLiveTotals() {
        YearMonth november = YearMonth.of(2026, 11);
        // the audit log outlives regenerated worlds: count what this freeze adds, not what earlier tests froze
        long auditedBefore = count("select count(*) from audit_log where action = 'period.snapshot'");
        List<PeriodSnapshots.Snapshot> first = snapshots.snapshot(november, "approver", "November close");
        List<PeriodSnapshots.Snapshot> again = snapshots.snapshot(november, "approver", "November close");

        assertEquals(catalogService.catalog().curated().size(), first.size());
        assertEquals(first, again, "snapshotting twice returns what the first time froze");
        for (PeriodSnapshots.Snapshot s : first) {
            assertEquals(count("select count(*) from curated." + s.dataset()), s.rowCount(), s.dataset());
            assertEquals(s.rowCount(), count("select count(*) from " + s.cloneTable()));
        }
        assertEquals(auditedBefore + first.size(),
                count("select count(*) from audit_log where action = 'period.snapshot'"));
    }

    @Test
    void onlyAnApproverFreezesAPeriodAndSaysWhy() {
        given().auth().preemptive().basic("ops", "demo").contentType("application/json").body("{\"reason\": \"x\"}")
                .post("/api/v1/warehouse/snapshots/2026-10").then().statusCode(403);
        given().auth().preemptive().basic("approver", "demo").contentType("application/json").body("{}")
                .post("/api/v1/warehouse/snapshots/2026-10").then().statusCode(400);
        given().auth().preemptive().basic("approver", "demo").contentType("application/json")
                .body("{\"reason\": \"x\"}").post("/api/v1/warehouse/snapshots/october").then().statusCode(400);
    }
}
