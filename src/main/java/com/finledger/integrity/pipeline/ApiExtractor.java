package com.finledger.integrity.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.controls.RowTotals;
import com.finledger.integrity.intake.ObjectStore;
import com.finledger.integrity.intake.ObjectStore.StoredObject;
import com.finledger.integrity.pci.PanTokenizer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Plays the scheduled API extractor: pulls each processor's transactions in daily windows
 * {@code [from, to)} of their change timestamp and lands each window as one NDJSON object. Closed
 * windows inside the look-back are pulled again on every run, so late records arrive as a new
 * object version while an unchanged window writes nothing.
 */
@ApplicationScoped
public class ApiExtractor {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ProcessorApi api;

    @Inject
    ObjectStore objectStore;

    @Inject
    PanTokenizer tokenizer;

    @Inject
    Clock clock;

    @ConfigProperty(name = "finledger.pipeline.api.start-date", defaultValue = "2026-11-02")
    LocalDate startDate;

    @ConfigProperty(name = "finledger.pipeline.api.lookback-days", defaultValue = "30")
    int lookbackDays;

    @ConfigProperty(name = "finledger.pipeline.api.page-size", defaultValue = "500")
    int pageSize;

    int extract(Connection c, Source source, Dataset dataset) throws SQLException {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = startDate.isAfter(today.minusDays(lookbackDays)) ? startDate : today.minusDays(lookbackDays);
        int landed = 0;
        for (LocalDate day = first; day.isBefore(today); day = day.plusDays(1)) {
            landed += pullWindow(c, source, dataset, day);
        }
        return landed;
    }

    private int pullWindow(Connection c, Source source, Dataset dataset, LocalDate day) throws SQLException {
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = from.plusSeconds(86_400);
        ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
        RowTotals totals = new RowTotals();
        Optional<String> token = Optional.empty();
        do {
            ProcessorApi.Page page = api.fetch(source.name(), from, to, token, pageSize);
            for (Map<String, Object> record : page.records()) {
                Map<String, Object> landedRecord = new LinkedHashMap<>(record);
                LandingFiles.tokenize(dataset, landedRecord, tokenizer);
                try {
                    ndjson.writeBytes(JSON.writeValueAsBytes(landedRecord));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                ndjson.write('\n');
                Long seq = RawLoader.changeSequence(asText(landedRecord.get(dataset.changeSequence())));
                totals.add(dataset, landedRecord, seq == null ? null : seq.toString());
            }
            token = page.nextPageToken();
        } while (token.isPresent());
        if (totals.rows() == 0) {
            return 0;
        }
        String key = String.format("landing/%s/%s/business_date=%s/window-%s-%s.ndjson", source.name(),
                dataset.table(), day, from, to).replace(":", "");
        StoredObject object = objectStore.put(key, ndjson.toByteArray(), clock.instant(),
                Map.of("source", source.name(), "dataset", dataset.name(), "window_from", from.toString(),
                        "window_to", to.toString()));
        return LandedObjects.record(c, dataset.name(), day, object, totals, clock.instant()) ? 1 : 0;
    }


    private static String asText(Object value) {
        return value == null ? null : value.toString();
    }
}
