package com.finledger.integrity.pipeline;

import com.finledger.integrity.platform.Sha256;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.controls.RowTotals;
import com.finledger.integrity.extract.PullWindowLedger;
import com.finledger.integrity.extract.PullWindowLedger.Planned;
import com.finledger.integrity.intake.ObjectStore;
import com.finledger.integrity.intake.ObjectStore.StoredObject;
import com.finledger.integrity.pci.PanTokenizer;
import com.finledger.integrity.readiness.ReadinessService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The scheduled API extractor: pulls each processor's records in windows {@code [from, to)} of
 * their change timestamp as the pull-window ledger plans them, and lands each window's records as
 * one NDJSON object per business date. A re-pull whose content checksum is unchanged writes
 * nothing; a changed one (late records) lands new object versions. A failed pull is recorded as
 * such and stops that source's run, so the high-water mark never passes a window that failed.
 */
@ApplicationScoped
public class ApiExtractor {

    private static final Logger LOG = Logger.getLogger(ApiExtractor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ProcessorApi api;

    @Inject
    ObjectStore objectStore;

    @Inject
    PanTokenizer tokenizer;

    @Inject
    PullWindowLedger ledger;

    @Inject
    ReadinessService readiness;

    @Inject
    SkippedWindows skippedWindows;

    @Inject
    AuditLog auditLog;

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    @Inject
    Clock clock;

    @ConfigProperty(name = "finledger.extract.page-size", defaultValue = "500")
    int pageSize;

    int extract(Connection c, Source source, Dataset dataset, String actor) throws SQLException {
        String endpoint = source.endpoint().orElseThrow();
        int landed = 0;
        for (Planned window : ledger.plan(c, source.name(), endpoint, clock.instant(),
                from -> skippedWindows.skipped(source.name(), from))) {
            Optional<Integer> pulled = pull(c, source, dataset, window, actor);
            if (pulled.isEmpty()) {
                break;
            }
            landed += pulled.get();
        }
        // a hole in the tiling means partitions that should exist although nothing landed for them
        for (LocalDate date : ledger.datesWithGaps(c, source.name(), endpoint)) {
            readiness.expect(c, dataset.name(), date.toString());
        }
        return landed;
    }

    public record Backfill(String source, Instant from, Instant to, boolean succeeded, int objectsLanded) {
    }

    /**
     * Pulls a window an operator names: a hole in the tiling (exactly filling part of it) or an
     * existing window pulled again. Recorded in the ledger as a backfill and audited; the objects it
     * lands re-open their partitions.
     */
    public Backfill backfill(Connection c, Source source, Dataset dataset, Instant from, Instant to, String actor,
                             String reason) throws SQLException {
        String endpoint = source.endpoint().orElseThrow();
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("'to' must be after 'from'");
        }
        if (to.isAfter(clock.instant())) {
            throw new IllegalArgumentException("[" + from + ", " + to + ") is not over yet; only closed windows are pulled");
        }
        for (PullWindowLedger.Window w : ledger.windows(source.name(), endpoint)) {
            boolean same = w.from().equals(from) && w.to().equals(to);
            if (!same && w.from().isBefore(to) && w.to().isAfter(from)) {
                throw new IllegalArgumentException("[" + from + ", " + to + ") overlaps the recorded window ["
                        + w.from() + ", " + w.to() + "); backfill a hole exactly or re-pull a recorded window");
            }
        }
        Instant since = clock.instant();
        Optional<Integer> landed = pull(c, source, dataset, new Planned(from, to, PullWindowLedger.Kind.BACKFILL), actor);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("source", source.name());
        details.put("endpoint", endpoint);
        details.put("window_from", from.toString());
        details.put("window_to", to.toString());
        details.put("succeeded", landed.isPresent());
        details.put("objects_landed", landed.orElse(0));
        auditLog.append(c, actor, "pull_window.backfill", "pull_window", source.name() + "/" + from, reason, details);
        LandedObjects.partitionsRecordedSince(c, since).forEach((ds, dates) -> dates.keySet().forEach(date -> {
            try {
                readiness.dataArrived(c, ds, date.toString(), actor, "backfilled window [" + from + ", " + to + ")");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }));
        for (var ds : LandedObjects.windowsRecordedSince(c, since).entrySet()) {
            for (String window : ds.getValue()) {
                readiness.dataArrived(c, ds.getKey(), window, actor, "backfilled window [" + from + ", " + to + ")");
            }
        }
        return new Backfill(source.name(), from, to, landed.isPresent(), landed.orElse(0));
    }

    /** Pulls one window (scheduled, look-back or backfill); empty if the pull failed. */
    public Optional<Integer> pull(Connection c, Source source, Dataset dataset, Planned window, String actor)
            throws SQLException {
        String endpoint = source.endpoint().orElseThrow();
        Instant started = clock.instant();
        Map<LocalDate, ByteArrayOutputStream> byDate = new TreeMap<>();
        Map<LocalDate, RowTotals> totals = new TreeMap<>();
        MessageDigest digest = Sha256.digest();
        long rows = 0;
        try {
            Optional<String> token = Optional.empty();
            do {
                ProcessorApi.Page page = api.fetch(source.name(), window.from(), window.to(), token, pageSize);
                for (Map<String, Object> record : page.records()) {
                    Map<String, Object> landedRecord = new LinkedHashMap<>(record);
                    LandingFiles.tokenize(dataset, landedRecord, tokenizer);
                    byte[] line = json(landedRecord);
                    digest.update(line);
                    digest.update((byte) '\n');
                    LocalDate date = LocalDate.parse(String.valueOf(landedRecord.get(dataset.businessDate())));
                    ByteArrayOutputStream out = byDate.computeIfAbsent(date, d -> new ByteArrayOutputStream());
                    out.writeBytes(line);
                    out.write('\n');
                    Long seq = RawLoader.changeSequence(asText(landedRecord.get(dataset.changeSequence())));
                    totals.computeIfAbsent(date, d -> RowTotals.of(dataset)).add(dataset, landedRecord,
                            seq == null ? null : seq.toString());
                    rows++;
                }
                token = page.nextPageToken();
            } while (token.isPresent());
        } catch (RuntimeException e) {
            LOG.errorf("pull of %s %s [%s, %s) failed: %s", source.name(), endpoint, window.from(), window.to(),
                    e.getMessage());
            metrics.counter("finledger_pull_window_failures", "source", source.name()).increment();
            ledger.record(c, source.name(), endpoint, window, new PullWindowLedger.Pull("FAILED", 0, null, null, null,
                    e.getMessage(), started, clock.instant()), actor);
            return Optional.empty();
        }
        String checksum = Sha256.hex(digest);
        boolean changed = !checksum.equals(ledger.checksum(c, source.name(), endpoint, window.from()));
        int landed = 0;
        StoredObject last = null;
        if (changed) {
            for (var entry : byDate.entrySet()) {
                String key = String.format("landing/%s/%s/business_date=%s/window-%s-%s.ndjson", source.name(),
                        dataset.table(), entry.getKey(), window.from(), window.to()).replace(":", "");
                last = objectStore.put(key, entry.getValue().toByteArray(), clock.instant(),
                        Map.of("source", source.name(), "dataset", dataset.name(), "window_from",
                                window.from().toString(), "window_to", window.to().toString()));
                if (LandedObjects.record(c, dataset.name(), entry.getKey(), last, totals.get(entry.getKey()),
                        clock.instant())) {
                    landed++;
                }
            }
        }
        ledger.record(c, source.name(), endpoint, window, new PullWindowLedger.Pull("SUCCEEDED", rows, checksum,
                last == null ? null : last.key(), last == null ? null : last.versionId(), null, started,
                clock.instant()), actor);
        return Optional.of(landed);
    }

    private static byte[] json(Map<String, Object> record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String asText(Object value) {
        return value == null ? null : value.toString();
    }
}
