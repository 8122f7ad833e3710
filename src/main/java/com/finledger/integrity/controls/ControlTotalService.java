package com.finledger.integrity.controls;

import com.finledger.integrity.catalog.Catalog.CuratedDataset;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.warehouse.PostgresDialect;
import com.finledger.integrity.warehouse.Warehouse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import com.finledger.integrity.catalog.Catalog.Partitioning;
import java.util.List;
import java.util.Map;

/**
 * Computes control totals per layer by pushing SQL down to where each layer lives (the source
 * ledger, the warehouse), reads landing totals recorded when objects landed, and stores every
 * computation as a new version.
 */
@ApplicationScoped
public class ControlTotalService {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    public static final String SOURCE = "source";
    public static final String LANDING = "landing";
    public static final String RAW = "raw";
    public static final String STAGING = "staging";
    public static final String CURATED = "curated";

    @Inject
    Warehouse warehouse;

    /** The ledgers' databases (read replicas in production). */
    @Inject
    com.finledger.integrity.cdc.SourceDatabases sourceDatabases;

    /** The processors, reachable only through their APIs. */
    @Inject
    com.finledger.integrity.extract.ProcessorReports processors;

    /** A source dataset's totals for its business date, by layer, and for each of its windows, by layer. */
    public record Computed(Map<String, ControlTotal> date, Map<String, Map<String, ControlTotal>> windows) {
    }

    /**
     * Control totals of a source dataset's business date in every layer it passes through, in layer
     * order; for a dataset cut into micro-batch windows also each window's (window key to layer to
     * total). A windowed dataset's layers are read with one grouped query each: the date's total is the
     * sum of its windows plus the rows that belong to no window (no usable time), so nothing is read
     * twice and nothing escapes the date.
     */
    public Computed compute(Source source, Dataset dataset, LocalDate date, Connection app) throws SQLException {
        boolean byWindow = dataset.partitioning().windowed();
        long seconds = byWindow ? dataset.partitioning().windowSeconds() : 0;
        String partition = date.toString();
        Map<String, ControlTotal> totals = new LinkedHashMap<>();
        Map<String, Map<String, ControlTotal>> windows = new TreeMap<>();
        BiConsumer<String, Grouped> put = (layer, grouped) -> {
            totals.put(layer, grouped.date());
            grouped.windows().forEach((key, total) -> windows.computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .put(layer, total));
        };
        if (source.kind() == SourceKind.POSTGRES_CDC) {
            put.accept(SOURCE, run(sourceDatabases.of(source), ControlTotalQueries.sourceChangeLog(
                    PostgresDialect.INSTANCE, source.schema(), dataset, byWindow), dataset.name(), partition, SOURCE,
                    date, seconds));
        } else if (source.kind() == SourceKind.REST_API) {
            put.accept(SOURCE, reportedByProcessor(source, dataset, date));
        }
        totals.put(LANDING, landing(app, dataset.name(), date));
        if (byWindow) {
            landingByWindow(app, dataset.name(), date).forEach((key, total) -> windows.computeIfAbsent(key,
                    k -> new LinkedHashMap<>()).put(LANDING, total));
        }
        put.accept(RAW, warehouse.tableExists("raw", dataset.name())
                ? run(warehouse, ControlTotalQueries.raw(warehouse.dialect(), dataset, byWindow), dataset.name(),
                partition, RAW, date, seconds)
                : new Grouped(empty(dataset.name(), partition, RAW), Map.of()));
        put.accept(STAGING, stagingGrouped(dataset, date, byWindow));
        for (var entry : windows.entrySet()) {
            Map<String, ControlTotal> ordered = emptyLayers(source, dataset, entry.getKey());
            ordered.putAll(entry.getValue());
            entry.setValue(ordered);
        }
        return new Computed(totals, windows);
    }

    /** A processor's records of the date as its API reports them now. */
    private Grouped reportedByProcessor(Source source, Dataset dataset, LocalDate date) {
        RowTotals totals = processors.read(source, dataset, date).totals();
        Map<String, ControlTotal> windows = new LinkedHashMap<>();
        totals.windowsOf(date).forEach((key, t) -> windows.put(key, ControlTotal.flat(dataset.name(), key, SOURCE,
                t.rows(), t.fingerprint(), t.amounts())));
        return new Grouped(ControlTotal.flat(dataset.name(), date.toString(), SOURCE, totals.rows(),
                totals.fingerprint(), totals.amounts()), windows);
    }

    private Grouped stagingGrouped(Dataset dataset, LocalDate date, boolean byWindow) {
        return warehouse.tableExists("staging", dataset.name())
                ? run(warehouse, ControlTotalQueries.staging(warehouse.dialect(), dataset, byWindow), dataset.name(),
                date.toString(), STAGING, date, byWindow ? dataset.partitioning().windowSeconds() : 0)
                : new Grouped(empty(dataset.name(), date.toString(), STAGING), Map.of());
    }

    public static ControlTotal emptyTotal(String dataset, String partition, String layer) {
        return empty(dataset, partition, layer);
    }

    /** Every layer of a partition that holds nothing. */
    public Map<String, ControlTotal> emptyLayers(Source source, Dataset dataset, String partition) {
        Map<String, ControlTotal> layers = new LinkedHashMap<>();
        for (String layer : source.kind() == SourceKind.PARTNER_FILES ? List.of(LANDING, RAW, STAGING)
                : List.of(SOURCE, LANDING, RAW, STAGING)) {
            layers.put(layer, empty(dataset.name(), partition, layer));
        }
        return layers;
    }

    /** A layer's total for the date and, when the query was grouped by window, for each window of it. */
    private record Grouped(ControlTotal date, Map<String, ControlTotal> windows) {
    }

    /**
     * Runs a control-total query; with {@code windowSeconds > 0} the query carries a leading
     * {@code part} column (the window number, null for rows that belong to no window).
     */
    private static Grouped run(com.finledger.integrity.platform.SqlReader where, String sql, String dataset, String partition, String layer,
                               LocalDate date, long windowSeconds) {
        List<ControlTotal> all = new ArrayList<>();
        Map<String, List<ControlTotal>> parts = new LinkedHashMap<>();
        where.query(sql, List.of(date), rs -> {
            ControlTotal row = currencyRow(rs, dataset, partition, layer);
            all.add(row);
            if (windowSeconds > 0) {
                long bucket = rs.getLong("part");
                if (!rs.wasNull()) {
                    String key = Partitioning.windowKeyOfBucket(bucket, windowSeconds);
                    parts.computeIfAbsent(key, k -> new ArrayList<>()).add(currencyRow(rs, dataset, key, layer));
                }
            }
            return row;
        });
        Map<String, ControlTotal> windows = new LinkedHashMap<>();
        parts.forEach((key, rows) -> windows.put(key, add(rows, dataset, key, layer)));
        return new Grouped(add(all, dataset, partition, layer), windows);
    }

    /** Landing totals per window were recorded with each object that holds rows of the window. */
    private static Map<String, ControlTotal> landingByWindow(Connection app, String dataset, LocalDate date)
            throws SQLException {
        Map<String, ControlTotal> totals = new LinkedHashMap<>();
        try (PreparedStatement ps = app.prepareStatement("""
                select w.window_key, sum(w.row_count), sum(w.row_fingerprint), jsonb_agg(w.row_amounts)::text
                from landed_window w join landed_object o on o.id = w.landed_object_id
                where o.dataset = ? and o.business_date = ? group by w.window_key order by w.window_key""")) {
            ps.setString(1, dataset);
            ps.setObject(2, date);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    Amounts amounts = new Amounts();
                    for (var part : JSON.readTree(rs.getString(4))) {
                        amounts = amounts.plus(Amounts.fromJson(part.toString()));
                    }
                    totals.put(key, new ControlTotal(dataset, key, LANDING, 0, null, rs.getLong(2),
                            wrap(rs.getBigDecimal(3)), amounts, null, null, null, 0, 0, new Amounts(), 0, 0));
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return totals;
    }

    /**
     * A curated dataset's business date: its CURATED total and the STAGING totals of the datasets its
     * rows come from, in {@code rowsFrom} order; for a windowed curated dataset also per window (one
     * grouped query per table serves both).
     */
    public record CuratedTotals(ControlTotal out, Map<String, ControlTotal> outWindows, List<ControlTotal> inputs,
                                List<Map<String, ControlTotal>> inputWindows) {
    }

    public CuratedTotals computeCurated(CuratedDataset curated, List<Dataset> rowsFrom, LocalDate date) {
        String partition = date.toString();
        boolean byWindow = curated.partitioning().windowed();
        long seconds = byWindow ? curated.partitioning().windowSeconds() : 0;
        Grouped out = !warehouse.tableExists("curated", curated.name())
                ? new Grouped(empty(curated.name(), partition, CURATED), Map.of())
                : run(warehouse, ControlTotalQueries.curated(warehouse.dialect(), curated.name(), curated.primaryKey(),
                curated.amount().column(), curated.amount().currencyColumn(), curated.businessDate(),
                byWindow ? curated.partitioning().timeColumn().orElseThrow() : null, seconds), curated.name(),
                partition, CURATED, date, seconds);
        List<ControlTotal> inputs = new ArrayList<>();
        List<Map<String, ControlTotal>> inputWindows = new ArrayList<>();
        for (Dataset input : rowsFrom) {
            Grouped staged = stagingGrouped(input, date, byWindow);
            inputs.add(staged.date());
            inputWindows.add(staged.windows());
        }
        return new CuratedTotals(out.date(), out.windows(), inputs, inputWindows);
    }

    /** A date's STAGING total of a dataset as another schema holds it (a month-end rerun's scratch copy). */
    public ControlTotal stagingIn(String schema, Dataset dataset, LocalDate date) {
        return warehouse.tableExists(schema, dataset.name())
                ? run(warehouse, ControlTotalQueries.staging(warehouse.dialect(), dataset, false, schema), dataset.name(),
                date.toString(), STAGING, date, 0).date()
                : empty(dataset.name(), date.toString(), STAGING);
    }

    /** A date's CURATED total of a curated dataset as another schema holds it (a month-end rerun's scratch copy). */
    public ControlTotal curatedIn(String schema, CuratedDataset curated, LocalDate date) {
        return warehouse.tableExists(schema, curated.name())
                ? run(warehouse, ControlTotalQueries.curated(warehouse.dialect(), curated.name(), curated.primaryKey(),
                curated.amount().column(), curated.amount().currencyColumn(), curated.businessDate(), null, 0, schema),
                curated.name(), date.toString(), CURATED, date, 0).date()
                : empty(curated.name(), date.toString(), CURATED);
    }

    private static ControlTotal currencyRow(ResultSet rs, String dataset, String partition, String layer)
            throws SQLException {
        String currency = rs.getString("currency");
        Amounts row = new Amounts().add(currency, decimal(rs, "row_amount"));
        Amounts eff = new Amounts().add(currency, decimal(rs, "eff_amount"));
        Amounts dup = new Amounts().add(currency, decimal(rs, "dup_amount"));
        return new ControlTotal(dataset, partition, layer, 0, null, rs.getLong("row_count"),
                wrap(rs.getBigDecimal("row_fp")), row, rs.getLong("eff_count"), wrap(rs.getBigDecimal("eff_fp")),
                eff, rs.getLong("dup_rows"), wrap(rs.getBigDecimal("dup_fp")), dup, rs.getLong("superseded_rows"),
                rs.getLong("deleted_keys"));
    }

    private static ControlTotal add(List<ControlTotal> perCurrency, String dataset, String partition, String layer) {
        ControlTotal sum = empty(dataset, partition, layer);
        for (ControlTotal t : perCurrency) {
            sum = new ControlTotal(dataset, partition, layer, 0, null, sum.rowCount() + t.rowCount(),
                    sum.rowFingerprint() + t.rowFingerprint(), sum.rowAmounts().plus(t.rowAmounts()),
                    sum.distinctKeys() + t.distinctKeys(), sum.keyFingerprint() + t.keyFingerprint(),
                    sum.amounts().plus(t.amounts()), sum.duplicateRows() + t.duplicateRows(),
                    sum.duplicateFingerprint() + t.duplicateFingerprint(),
                    sum.duplicateAmounts().plus(t.duplicateAmounts()), sum.supersededRows() + t.supersededRows(),
                    sum.deletedKeys() + t.deletedKeys());
        }
        return sum;
    }

    /** Landing totals were recorded per object while it was written or parsed; objects add up. */
    private static ControlTotal landing(Connection app, String dataset, LocalDate date) throws SQLException {
        long rows = 0;
        long fingerprint = 0;
        Amounts amounts = new Amounts();
        try (PreparedStatement ps = app.prepareStatement(
                "select row_count, row_fingerprint, row_amounts::text from landed_object where dataset = ? and business_date = ?")) {
            ps.setString(1, dataset);
            ps.setObject(2, date);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows += rs.getLong(1);
                    fingerprint += rs.getLong(2);
                    amounts = amounts.plus(Amounts.fromJson(rs.getString(3)));
                }
            }
        }
        return new ControlTotal(dataset, date.toString(), LANDING, 0, null, rows, fingerprint, amounts, null, null,
                null, 0, 0, new Amounts(), 0, 0);
    }

    private static ControlTotal empty(String dataset, String partition, String layer) {
        return ControlTotal.flat(dataset, partition, layer, 0, 0, new Amounts());
    }

    private static BigDecimal decimal(ResultSet rs, String column) throws SQLException {
        return rs.getBigDecimal(column);
    }

    /** A sum of 64-bit hashes, reduced mod 2^64 into a signed long. */
    private static long wrap(BigDecimal sum) {
        return sum == null ? 0 : sum.toBigInteger().longValue();
    }

    /** Stores a computation as the next version for its partition and layer. */
    public ControlTotal store(Connection c, long evaluationId, ControlTotal t, Instant now) throws SQLException {
        int version;
        try (PreparedStatement ps = c.prepareStatement("""
                select coalesce(max(version), 0) + 1 from control_total
                where dataset = ? and partition_key = ? and layer = ?""")) {
            ps.setString(1, t.dataset());
            ps.setString(2, t.partitionKey());
            ps.setString(3, t.layer());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                version = rs.getInt(1);
            }
        }
        ControlTotal stored = t.withVersion(version, now);
        try (PreparedStatement ps = c.prepareStatement("""
                insert into control_total (dataset, partition_key, layer, version, evaluation_id, computed_at, row_count,
                    row_fingerprint, row_amounts, distinct_keys, key_fingerprint, amounts, duplicate_rows,
                    duplicate_fingerprint, duplicate_amounts, superseded_rows, deleted_keys)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, ?)""")) {
            ps.setString(1, t.dataset());
            ps.setString(2, t.partitionKey());
            ps.setString(3, t.layer());
            ps.setInt(4, version);
            ps.setLong(5, evaluationId);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setLong(7, t.rowCount());
            ps.setLong(8, t.rowFingerprint());
            ps.setString(9, t.rowAmounts().toJson());
            ps.setObject(10, t.distinctKeys());
            ps.setObject(11, t.keyFingerprint());
            ps.setString(12, t.amounts() == null ? null : t.amounts().toJson());
            ps.setLong(13, t.duplicateRows());
            ps.setLong(14, t.duplicateFingerprint());
            ps.setString(15, t.duplicateAmounts().toJson());
            ps.setLong(16, t.supersededRows());
            ps.setLong(17, t.deletedKeys());
            ps.executeUpdate();
        }
        return stored;
    }

    /** The stored versions of one partition, newest first. */
    public List<ControlTotal> history(Connection c, String dataset, String partition) throws SQLException {
        List<ControlTotal> rows = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select dataset, partition_key, layer, version, computed_at, row_count, row_fingerprint, row_amounts::text,
                       distinct_keys, key_fingerprint, amounts::text, duplicate_rows, duplicate_fingerprint,
                       duplicate_amounts::text, superseded_rows, deleted_keys
                from control_total where dataset = ? and partition_key = ? order by version desc, id""")) {
            ps.setString(1, dataset);
            ps.setString(2, partition);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new ControlTotal(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getTimestamp(5).toInstant(), rs.getLong(6), rs.getLong(7), Amounts.fromJson(rs.getString(8)),
                            (Long) rs.getObject(9), (Long) rs.getObject(10), Amounts.fromJson(rs.getString(11)),
                            rs.getLong(12), rs.getLong(13), Amounts.fromJson(rs.getString(14)), rs.getLong(15),
                            rs.getLong(16)));
                }
            }
        }
        return rows;
    }
}
