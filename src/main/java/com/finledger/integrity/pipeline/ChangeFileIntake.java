package com.finledger.integrity.pipeline;

import com.finledger.integrity.platform.CrashPoints;
import com.finledger.integrity.platform.Sha256;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.controls.RowTotals;
import com.finledger.integrity.intake.ObjectStore;
import com.finledger.integrity.intake.ObjectStore.StoredObject;
import com.finledger.integrity.readiness.ReadinessCache;
import com.finledger.integrity.readiness.ReadinessService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Takes the change files DMS writes to S3 (announced by their events or found by a sweep) into the
 * landing ledger: a file under {@code landing/<cdc source>/…/<table>/} is read once, its lines
 * ({@code Op}, {@code commit_ts}, {@code change_seq}, then the row) are grouped by business date, and the
 * object is recorded once per date with that date's landing totals; those partitions then start
 * loading. The same DMS output format the local stand-in writes.
 */
@ApplicationScoped
public class ChangeFileIntake {

    private static final Logger LOG = Logger.getLogger(ChangeFileIntake.class);

    @Inject
    CatalogService catalogService;

    @Inject
    ObjectStore objectStore;

    @Inject
    DataSource dataSource;

    @Inject
    ReadinessService readiness;

    @Inject
    ReadinessCache readinessCache;

    @Inject
    Clock clock;

    @Inject
    com.finledger.integrity.lineage.OwnLineage ownLineage;

    /** The CDC dataset a change file belongs to, from its key. */
    public Optional<Dataset> datasetOf(String key) {
        for (Source source : catalogService.catalog().sources()) {
            if (source.kind() != SourceKind.POSTGRES_CDC || !key.startsWith("landing/" + source.name() + "/")) {
                continue;
            }
            for (Dataset d : source.datasets()) {
                if (key.contains("/" + d.table() + "/") && key.endsWith(".csv")) {
                    return Optional.of(d);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Records a change file in the landing ledger, once per business date it holds. Returns the
     * business dates newly recorded, or empty if the key is no CDC change file of ours.
     */
    public Optional<Map<LocalDate, Long>> take(StoredObject object, String actor) {
        Optional<Dataset> dataset = datasetOf(object.key());
        if (dataset.isEmpty()) {
            return Optional.empty();
        }
        Dataset d = dataset.get();
        java.time.Instant started = clock.instant();
        Map<LocalDate, RowTotals> byDate = new TreeMap<>();
        MessageDigest sha = Sha256.digest();
        long[] bytes = new long[1];
        try (DigestInputStream in = new DigestInputStream(objectStore.open(object), sha) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                bytes[0] += Math.max(n, 0);
                return n;
            }
        }; Reader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            LandedCsv.read(reader, ',', Optional.empty(), (lineNo, record) -> {
                for (String column : LocalDms.DMS_COLUMNS) {
                    if (!record.containsKey(column)) {
                        throw new IllegalArgumentException("not a DMS change file: no '" + column + "' column");
                    }
                }
                LocalDate date;
                try {
                    date = LocalDate.parse(String.valueOf(record.get(d.businessDate())));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("line " + (lineNo + 1) + ": no valid " + d.businessDate());
                }
                Map<String, String> row = new LinkedHashMap<>();
                d.columns().forEach(col -> row.put(col.name(), record.get(col.name())));
                byDate.computeIfAbsent(date, x -> RowTotals.of(d)).add(d, row, record.get("change_seq"));
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read change file " + object.key() + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        StoredObject landed = new StoredObject(object.key(), object.versionId(), bytes[0],
                Sha256.hex(sha), object.arrivedAt(), object.metadata());
        Map<LocalDate, Long> recorded = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (var entry : byDate.entrySet()) {
                if (LandedObjects.record(c, d.name(), entry.getKey(), landed, entry.getValue(), clock.instant())) {
                    recorded.put(entry.getKey(), entry.getValue().rows());
                    readiness.dataArrived(c, d.name(), entry.getKey().toString(), actor,
                            "change file " + object.key() + " landed");
                    for (String window : entry.getValue().windowsOf(entry.getKey()).keySet()) {
                        readiness.dataArrived(c, d.name(), window, actor, "change file " + object.key() + " landed");
                    }
                }
            }
            CrashPoints.reach(CrashPoints.CHANGE_FILE_RECORDED);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record change file " + object.key() + ": " + e.getMessage(), e);
        }
        ownLineage.recordSince(started, "dms");
        recorded.keySet().forEach(date -> readinessCache.invalidate(d.name(), date.toString()));
        byDate.values().forEach(t -> t.windows().keySet().forEach(w -> readinessCache.invalidate(d.name(), w)));
        LOG.infof("change file %s: %d business date(s) recorded %s", object.key(), recorded.size(), recorded);
        return Optional.of(recorded);
    }

    /** Takes every change file under the CDC sources' prefixes that the landing ledger has not seen. */
    public int sweep(String actor) {
        int taken = 0;
        for (Source source : catalogService.catalog().sources()) {
            if (source.kind() != SourceKind.POSTGRES_CDC) {
                continue;
            }
            for (StoredObject object : objectStore.list("landing/" + source.name() + "/")) {
                if (datasetOf(object.key()).isPresent() && !known(object)) {
                    take(object, actor);
                    taken++;
                }
            }
        }
        return taken;
    }

    private boolean known(StoredObject object) {
        return !com.finledger.integrity.platform.Jdbc.query(dataSource,
                "select 1 from landed_object where object_key = ? and version_id = ? limit 1",
                java.util.List.of(object.key(), object.versionId()), rs -> 1).isEmpty();
    }

}
