package com.finledger.integrity.controls;

import static com.finledger.integrity.controls.ControlTotalService.CURATED;
import static com.finledger.integrity.controls.ControlTotalService.LANDING;
import static com.finledger.integrity.controls.ControlTotalService.RAW;
import static com.finledger.integrity.controls.ControlTotalService.SOURCE;
import static com.finledger.integrity.controls.ControlTotalService.STAGING;

import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.platform.Sql;
import com.finledger.integrity.warehouse.Warehouse;
import com.finledger.integrity.warehouse.WarehouseDialect;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reconciles adjacent layers of a partition from their control totals. */
@ApplicationScoped
public class Controls {

    static final int DIFFERING_KEYS_SHOWN = 10;

    @Inject
    Warehouse warehouse;

    @Inject
    SourceVersusStaging sourceVersusStaging;

    /** Controls of a source dataset's partition: source → landing → raw → staging. */
    public List<ControlResult> reconcile(SourceKind kind, Dataset dataset, LocalDate date, Map<String, ControlTotal> t,
                                         long quarantined) {
        return reconcile(kind, dataset, date, null, t, quarantined);
    }

    /** The same controls for one micro-batch window of the business date ({@code window} null: the whole date). */
    public List<ControlResult> reconcile(SourceKind kind, Dataset dataset, LocalDate date, java.time.Instant window,
                                         Map<String, ControlTotal> t, long quarantined) {
        List<ControlResult> results = new ArrayList<>();
        ControlTotal landing = t.get(LANDING);
        ControlTotal raw = t.get(RAW);
        ControlTotal staging = t.get(STAGING);
        if (t.containsKey(SOURCE)) {
            ControlResult sourceToLanding = sourceToLanding(kind, t.get(SOURCE), landing, raw);
            if (!sourceToLanding.balanced() && window == null && kind == SourceKind.POSTGRES_CDC) {
                // the totals say something is missing or different: table-diff the ledger against staging to name it
                sourceToLanding = new ControlResult(sourceToLanding.name(), sourceToLanding.fromLayer(),
                        sourceToLanding.toLayer(), sourceToLanding.in(), sourceToLanding.redelivered(),
                        sourceToLanding.out(), sourceToLanding.quarantined(), sourceToLanding.deduplicated(), false,
                        sourceToLanding.reasons(), sourceVersusStaging.differingRows(dataset, date, DIFFERING_KEYS_SHOWN));
            }
            results.add(sourceToLanding);
        }
        results.add(balance("landing_to_raw", LANDING, RAW, landing.rowCount(), 0, raw.rowCount(), 0, 0,
                landing.rowFingerprint(), raw.rowFingerprint(), landing.rowAmounts(), raw.rowAmounts(), List.of()));
        long notCarried = raw.duplicateRows() + raw.supersededRows() + raw.deletedKeys();
        boolean stagingMatches = staging.rowCount() == raw.distinctKeys()
                && staging.keyFingerprint().equals(raw.keyFingerprint()) && staging.amounts().sameAs(raw.amounts());
        results.add(balance("raw_to_staging", RAW, STAGING, raw.rowCount(), 0, staging.rowCount() - quarantined,
                quarantined, notCarried, raw.keyFingerprint(), staging.keyFingerprint(), raw.amounts(),
                staging.amounts(), stagingMatches ? List.of() : rawVersusStaging(dataset, date, window)));
        return results;
    }

    /**
     * CDC sources are change logs: every distinct change must land, replays are the only extra rows.
     * API sources hold the current state: each record's latest version must land, older pulls of a
     * changed record are superseded.
     */
    private ControlResult sourceToLanding(SourceKind kind, ControlTotal source, ControlTotal landing, ControlTotal raw) {
        if (kind == SourceKind.POSTGRES_CDC) {
            return balance("source_to_landing", SOURCE, LANDING, source.rowCount(), raw.duplicateRows(),
                    landing.rowCount(), 0, 0, source.rowFingerprint() + raw.duplicateFingerprint(),
                    landing.rowFingerprint(), source.rowAmounts().plus(raw.duplicateAmounts()), landing.rowAmounts(),
                    List.of());
        }
        return balance("source_to_landing", SOURCE, LANDING, source.rowCount(),
                raw.duplicateRows() + raw.supersededRows(), landing.rowCount(), 0, 0, source.keyFingerprint(),
                raw.keyFingerprint(), source.amounts(), raw.amounts(), List.of());
    }

    /** Curated built row for row from staging inputs (transactions, refunds, settlements, processor_transactions). */
    public ControlResult stagingToCurated(String curated, List<String> rowsFrom, List<ControlTotal> inputs,
                                          ControlTotal out, String keyColumn, LocalDate date) {
        return stagingToCurated(curated, rowsFrom, inputs, out, keyColumn, date, null);
    }

    /**
     * The same control for one micro-batch window: {@code window} names the window's start and the
     * time column of each table (rows_from datasets first, the curated table last); null for the date.
     */
    public ControlResult stagingToCurated(String curated, List<String> rowsFrom, List<ControlTotal> inputs,
                                          ControlTotal out, String keyColumn, LocalDate date, Window window) {
        long in = inputs.stream().mapToLong(ControlTotal::rowCount).sum();
        Amounts inAmounts = inputs.stream().map(ControlTotal::amounts).reduce(new Amounts(), Amounts::plus);
        List<String> reasons = new ArrayList<>();
        describeCounts(reasons, in, out.rowCount());
        if (!inAmounts.sameAs(out.amounts())) {
            reasons.add("amount drift: staging " + inAmounts + " vs curated " + out.amounts());
        }
        List<String> keys = reasons.isEmpty() ? List.of() : stagingVersusCurated(curated, rowsFrom, keyColumn, date,
                window);
        return new ControlResult("staging_to_curated", STAGING, CURATED, in, 0, out.rowCount(), 0, 0, reasons.isEmpty(),
                reasons, keys);
    }

    private static ControlResult balance(String name, String from, String to, long in, long redelivered, long out,
                                         long quarantined, long deduplicated, long expectedFingerprint,
                                         long actualFingerprint, Amounts expectedAmounts, Amounts actualAmounts,
                                         List<String> differingKeys) {
        List<String> reasons = new ArrayList<>();
        describeCounts(reasons, in + redelivered, out + quarantined + deduplicated);
        if (reasons.isEmpty() && expectedFingerprint != actualFingerprint) {
            reasons.add("fingerprint mismatch: the same number of rows, but different keys or change sequences");
        }
        if (!expectedAmounts.sameAs(actualAmounts)) {
            reasons.add("amount drift: " + from + " " + expectedAmounts + " vs " + to + " " + actualAmounts);
        }
        return new ControlResult(name, from, to, in, redelivered, out, quarantined, deduplicated, reasons.isEmpty(),
                reasons,
                reasons.isEmpty() ? List.of() : differingKeys);
    }

    private static void describeCounts(List<String> reasons, long in, long accountedFor) {
        if (in > accountedFor) {
            reasons.add("missing rows: " + (in - accountedFor) + " rows came in but are not accounted for");
        } else if (in < accountedFor) {
            reasons.add("extra rows: " + (accountedFor - in) + " more rows than came in");
        }
    }

    /** Effective keys in RAW that STAGING lacks or holds at another change sequence, and the reverse. */
    private List<String> rawVersusStaging(Dataset dataset, LocalDate date, java.time.Instant window) {
        if (!warehouse.tableExists("staging", dataset.name())) {
            return List.of();
        }
        WarehouseDialect d = warehouse.dialect();
        String rawWindow = "";
        String stagedWindow = "";
        List<Object> params = new ArrayList<>(List.of(date));
        if (window != null) {
            long seconds = dataset.partitioning().windowSeconds();
            String time = dataset.partitioning().timeColumn().orElseThrow();
            rawWindow = " and " + d.windowBucket(d.jsonText("record", time), true, seconds) + " = ?";
            stagedWindow = " and " + d.windowBucket(Sql.ident(time), false, seconds) + " = ?";
            params.add(window.getEpochSecond() / seconds);
        }
        params.add(date);
        if (window != null) {
            params.add(window.getEpochSecond() / dataset.partitioning().windowSeconds());
        }
        String key = dataset.primaryKey().get(0);
        String sql = """
                with latest as (
                    select %s as k, change_seq, op,
                           row_number() over (partition by %s order by change_seq desc) as recency
                    from %s where business_date = ?%s
                ),
                raw_keys as (select k, change_seq from latest where recency = 1 and op <> 'D'),
                staged as (select %s as k, change_seq from %s where %s = ?%s)
                select coalesce(r.k, s.k) as k,
                       case when s.k is null then 'in raw, missing in staging'
                            when r.k is null then 'in staging, not in raw'
                            else 'change sequence differs' end as why
                from raw_keys r full outer join staged s on r.k = s.k
                where r.k is null or s.k is null or r.change_seq <> s.change_seq
                order by 1
                limit %d""".formatted(d.jsonText("record", key), d.jsonText("record", key),
                Sql.qualified("raw", dataset.name()), rawWindow, d.text(key), Sql.qualified("staging", dataset.name()),
                Sql.ident(dataset.businessDate()), stagedWindow, DIFFERING_KEYS_SHOWN);
        return warehouse.query(sql, params, rs -> rs.getString(1) + ": " + rs.getString(2));
    }

    /** A micro-batch window: its start, its length, and the time column of each table it cuts. */
    public record Window(java.time.Instant start, long seconds, List<String> inputTimeColumns, String timeColumn) {

        String filter(WarehouseDialect d, String column) {
            return " and " + d.windowBucket(Sql.ident(column), false, seconds) + " = " + start.getEpochSecond() / seconds;
        }
    }

    private List<String> stagingVersusCurated(String curated, List<String> rowsFrom, String key, LocalDate date,
                                              Window window) {
        WarehouseDialect d = warehouse.dialect();
        List<String> selects = new ArrayList<>();
        for (int i = 0; i < rowsFrom.size(); i++) {
            selects.add("select " + Sql.ident(key) + " as k from " + Sql.qualified("staging", rowsFrom.get(i))
                    + " where business_date = ?" + (window == null ? "" : window.filter(d, window.inputTimeColumns().get(i))));
        }
        String staged = String.join(" union all ", selects);
        String sql = """
                with staged as (%s),
                     built as (select %s as k from %s where business_date = ?%s)
                select coalesce(s.k, b.k), case when b.k is null then 'in staging, missing in curated'
                                                else 'in curated, not in staging' end
                from staged s full outer join built b on s.k = b.k
                where s.k is null or b.k is null
                order by 1
                limit %d""".formatted(staged, Sql.ident(key), Sql.qualified("curated", curated),
                window == null ? "" : window.filter(d, window.timeColumn()), DIFFERING_KEYS_SHOWN);
        List<Object> params = new ArrayList<>();
        rowsFrom.forEach(x -> params.add(date));
        params.add(date);
        return warehouse.query(sql, params, rs -> rs.getString(1) + ": " + rs.getString(2));
    }
}
