package com.finledger.integrity.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogLoader;
import com.finledger.integrity.pipeline.ProcessorApi;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One evaluation reads a processor's date from its API once, however many checks need the report. */
class ProcessorReportsTest {

    private final AtomicInteger pagesFetched = new AtomicInteger();
    private final ProcessorReports reports = new ProcessorReports();
    private final Catalog catalog = CatalogLoader.load(Path.of("ingestion-config"));
    private final Catalog.Source alpha = catalog.source("processor_alpha");
    private final Catalog.Dataset transactions = alpha.datasets().get(0);
    private final LocalDate day = LocalDate.of(2026, 11, 2);

    ProcessorReportsTest() {
        reports.pageSize = 2;
        reports.api = new ProcessorApi() {
            @Override
            public Page fetch(String source, Instant from, Instant to, Optional<String> pageToken, int pageSize) {
                throw new UnsupportedOperationException("reports read by business date");
            }

            @Override
            public Page fetchBusinessDate(String source, LocalDate date, Optional<String> pageToken, int pageSize) {
                pagesFetched.incrementAndGet();
                return pageToken.isEmpty() ? new Page(List.of(Map.of(), Map.of()), Optional.of("next"))
                        : new Page(List.of(Map.of()), Optional.empty());
            }
        };
    }

    @Test
    void withinOneScopeADateIsReadOnceAndTheSameReportIsShared() {
        long rows = reports.readingOnce(() -> {
            ProcessorReports.Report totals = reports.read(alpha, transactions, day);
            ProcessorReports.Report freshness = reports.read(alpha, transactions, day);
            assertEquals(totals, freshness);
            reports.read(alpha, transactions, day.plusDays(1));
            return totals.totals().rows();
        });

        assertEquals(3, rows);
        assertEquals(4, pagesFetched.get(), "two pages for each of the two dates, each read once");
    }

    @Test
    void outsideAScopeEveryReadGoesToTheApi() {
        reports.read(alpha, transactions, day);
        reports.read(alpha, transactions, day);

        assertEquals(4, pagesFetched.get());
    }
}
