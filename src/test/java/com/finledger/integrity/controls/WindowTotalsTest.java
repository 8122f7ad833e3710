package com.finledger.integrity.controls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Landing totals cut by micro-batch window: timestamps read as the warehouse reads them, windows adding up. */
class WindowTotalsTest {

    private static final Catalog CATALOG = CatalogLoader.load(Path.of("ingestion-config"));

    @Test
    void timestampTextIsReadAsTheWarehouseReadsIt() {
        assertEquals(Instant.parse("2026-11-02T10:15:00.123456Z"), Timestamps.parse("2026-11-02T10:15:00.123456Z"));
        assertEquals(Instant.parse("2026-11-02T10:15:00.123Z"), Timestamps.parse("2026-11-02 10:15:00.123+00"));
        assertEquals(Instant.parse("2026-11-02T04:45:00Z"), Timestamps.parse("2026-11-02 10:15:00+05:30"));
        assertEquals(Instant.parse("2026-11-02T10:15:00Z"), Timestamps.parse("2026-11-02T10:15"), "no offset: UTC");
        assertNull(Timestamps.parse("2026-11-02"));
        assertNull(Timestamps.parse("yesterday at ten"));
        assertNull(Timestamps.parse("2026-13-45T99:99:00Z"));
    }

    @Test
    void aWindowedDatasetsTotalsAreCutByWindowAndAddUp() {
        Catalog.Dataset payments = CATALOG.dataset("payments");
        RowTotals totals = RowTotals.of(payments);
        totals.add(payments, row("P1", "100", "EUR", "2026-11-02T10:14:59.999999Z"), "1");
        totals.add(payments, row("P2", "250", "EUR", "2026-11-02T10:15:00Z"), "2");
        totals.add(payments, row("P3", "300", "GBP", "2026-11-02 10:29:59+00"), "3");
        totals.add(payments, row("P4", "7", "USD", null), "4");

        Map<String, RowTotals> windows = totals.windows();
        assertEquals(java.util.Set.of("2026-11-02T10:00Z", "2026-11-02T10:15Z"), windows.keySet());
        assertEquals(1, windows.get("2026-11-02T10:00Z").rows());
        assertEquals(2, windows.get("2026-11-02T10:15Z").rows());
        assertEquals(4, totals.rows(), "a row without a time still counts for the date");
        RowTotals p4 = new RowTotals();
        p4.add(payments, row("P4", "7", "USD", null), "4");
        assertEquals(totals.fingerprint(), windows.get("2026-11-02T10:00Z").fingerprint()
                + windows.get("2026-11-02T10:15Z").fingerprint() + p4.fingerprint());
        assertTrue(windows.get("2026-11-02T10:15Z").amounts().sameAs(new Amounts().add("EUR",
                new java.math.BigDecimal(250)).add("GBP", new java.math.BigDecimal(300))));
        assertTrue(RowTotals.of(CATALOG.dataset("ledger_settlements")).windows().isEmpty());
    }

    private static Map<String, String> row(String id, String amount, String currency, String createdAt) {
        Map<String, String> row = new java.util.HashMap<>();
        row.put("payment_id", id);
        row.put("amount_minor", amount);
        row.put("currency", currency);
        row.put("created_at", createdAt);
        return row;
    }
}
