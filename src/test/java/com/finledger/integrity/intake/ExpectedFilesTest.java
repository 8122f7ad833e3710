package com.finledger.integrity.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.controls.ControlResult;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.readiness.PartitionEvaluator;
import com.finledger.integrity.readiness.ReadinessState;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The expected-file calendar: business days, holidays, cut-offs, and a missing file blocking its partition. */
@QuarkusTest
class ExpectedFilesTest {

    @Inject
    ExpectedFiles expected;

    @Inject
    CatalogService catalogService;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    PartitionEvaluator evaluator;

    @Inject
    DataSource dataSource;

    @AfterAll
    static void worldChanged() {
        DemoWorldFixture.invalidate();
    }

    private Catalog.Source northbank() {
        return catalogService.catalog().source("northbank_partner");
    }

    @Test
    void theCalendarOwesOneFilePerBusinessDayByTheNextMorningsCutOff() {
        Instant now = Instant.parse("2026-12-30T12:00:00Z");
        ExpectedFiles.Expectation monday = expected.expectation(northbank(), LocalDate.parse("2026-12-14"), now)
                .orElseThrow();

        assertEquals("settlement_report_20261214.csv", monday.expectedName());
        assertEquals(Instant.parse("2026-12-15T08:00:00Z"), monday.cutoffAt(), "08:00 Europe/London in winter");
        assertEquals("MISSING", monday.status());
        assertEquals("WAITING", expected.expectation(northbank(), LocalDate.parse("2026-12-14"),
                Instant.parse("2026-12-15T07:59:00Z")).orElseThrow().status());
        assertEquals(Optional.empty(), expected.expectation(northbank(), LocalDate.parse("2026-12-19"), now),
                "Saturday");
        assertEquals(Optional.empty(), expected.expectation(northbank(), LocalDate.parse("2026-12-25"), now),
                "a bank holiday in the calendar");
    }

    @Test
    void theDemoFilesArrivedAndTheLateOneIsSeenAsLate() {
        fixture.ensureDefaultWorld();
        List<ExpectedFiles.Expectation> all = expected.check("test");

        assertEquals(List.of("ARRIVED", "ARRIVED", "ARRIVED_LATE"), all.stream().map(ExpectedFiles.Expectation::status)
                .toList());
    }

    @Test
    void aDayWithOnlyAQuarantinedFileIsMissingAndBlocked() {
        fixture.ensureDefaultWorld();
        LocalDate day = LocalDate.parse("2026-11-03");
        Jdbc.query(dataSource, "update partner_file set state = 'QUARANTINED', reason = 'line 7: bad amount' "
                + "where business_date = ? returning id", List.of(day), rs -> rs.getLong(1));

        ControlResult control = expected.control(northbank(), northbank().datasets().get(0), day);

        assertTrue(control.reasons().get(0).startsWith("missing file: settlement_report_20261103.csv was due by "
                + "2026-11-04T08:00:00Z (08:00 Europe/London) and no valid file has arrived; quarantined: "), control.reasons().toString());
        assertEquals(ReadinessState.BLOCKED, evaluator.evaluate("bank_settlement_lines", day, "test").readiness().state());
        DemoWorldFixture.invalidate();
    }
}
