package com.finledger.integrity.extract;

import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.controls.RowTotals;
import com.finledger.integrity.controls.Timestamps;
import com.finledger.integrity.pipeline.ProcessorApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What a processor reports holding for one business date, read through its API (the processors'
 * systems are reachable no other way) and totalled while it is read: the source layer of an API
 * dataset, with the same measures and hash as the SQL side.
 */
@ApplicationScoped
public class ProcessorReports {

    @Inject
    ProcessorApi api;

    @ConfigProperty(name = "finledger.extract.page-size", defaultValue = "500")
    int pageSize;

    /** The date's totals (cut by window for a windowed dataset) and its newest change. */
    public record Report(RowTotals totals, Optional<Instant> newestChange) {
    }

    /** Reports already read in the current {@link #readingOnce} scope, per source, dataset and date. */
    private final ThreadLocal<Map<List<Object>, Report>> readInScope = new ThreadLocal<>();

    /**
     * Runs work in which each source's date is read from its API at most once: an evaluation's source
     * totals and its freshness check need the same report, and a day's pages are a pull of their own.
     * Outside such a scope every read goes to the API.
     */
    public <T> T readingOnce(Supplier<T> work) {
        if (readInScope.get() != null) {
            return work.get();
        }
        readInScope.set(new HashMap<>());
        try {
            return work.get();
        } finally {
            readInScope.remove();
        }
    }

    public Report read(Source source, Dataset dataset, LocalDate date) {
        Map<List<Object>, Report> scope = readInScope.get();
        if (scope == null) {
            return fetch(source, dataset, date);
        }
        List<Object> key = List.of(source.name(), dataset.name(), date);
        Report report = scope.get(key);
        if (report == null) {
            report = fetch(source, dataset, date);
            scope.put(key, report);
        }
        return report;
    }

    private Report fetch(Source source, Dataset dataset, LocalDate date) {
        RowTotals totals = RowTotals.of(dataset);
        long newest = Long.MIN_VALUE;
        Optional<String> token = Optional.empty();
        do {
            ProcessorApi.Page page = api.fetchBusinessDate(source.name(), date, token, pageSize);
            for (Map<String, Object> record : page.records()) {
                Object changed = record.get(dataset.changeSequence());
                Long seq = Timestamps.epochMicros(changed == null ? null : changed.toString());
                totals.add(dataset, record, seq == null ? null : seq.toString());
                if (seq != null) {
                    newest = Math.max(newest, seq);
                }
            }
            token = page.nextPageToken();
        } while (token.isPresent());
        return new Report(totals, newest == Long.MIN_VALUE ? Optional.empty()
                : Optional.of(Instant.ofEpochSecond(Math.floorDiv(newest, 1_000_000),
                Math.floorMod(newest, 1_000_000) * 1000L)));
    }
}
