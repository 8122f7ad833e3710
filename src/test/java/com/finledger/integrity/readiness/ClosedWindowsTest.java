package com.finledger.integrity.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.finledger.integrity.catalog.Catalog;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which windows of a date are evaluated even without rows: those closed for at least the freshness SLA. */
class ClosedWindowsTest {

    private static final Catalog.Partitioning QUARTERS = new Catalog.Partitioning(Catalog.PartitionKind.MICRO_BATCH,
            Optional.of(Duration.ofMinutes(15)), Optional.of("created_at"));
    private static final LocalDate DAY = LocalDate.of(2026, 11, 2);

    @Test
    void onlyWindowsClosedForTheFreshnessSlaAreDue() {
        List<String> due = WindowPartitions.closedWindows(QUARTERS, Duration.ofMinutes(10), DAY,
                Instant.parse("2026-11-02T00:40:00Z"));
        assertEquals(List.of("2026-11-02T00:00Z", "2026-11-02T00:15Z"), due,
                "00:15-00:30 closed 10 minutes ago; 00:30-00:45 is still open");
        assertEquals(List.of(), WindowPartitions.closedWindows(QUARTERS, Duration.ofMinutes(10), DAY,
                Instant.parse("2026-11-02T00:24:59Z")));
    }

    @Test
    void aPastDateHasAllItsWindowsAndNoneOfTheNextDate() {
        List<String> due = WindowPartitions.closedWindows(QUARTERS, Duration.ofMinutes(10), DAY,
                Instant.parse("2026-11-26T12:00:00Z"));
        assertEquals(96, due.size());
        assertEquals("2026-11-02T00:00Z", due.get(0));
        assertEquals("2026-11-02T23:45Z", due.get(95));
    }
}
