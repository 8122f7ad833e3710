package com.finledger.integrity.controls;

import com.finledger.integrity.catalog.Catalog.CuratedDataset;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.warehouse.PostgresDialect;
import com.finledger.integrity.warehouse.PostgresWarehouse;
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

    /** The FinLedger ledgers and processor systems are PostgreSQL (simulated in the same database locally). */
    @Inject
    PostgresWarehouse sources;

    /** Control totals of a source dataset's partition in every layer it passes through, in layer order. */
    public Map<String, ControlTotal> compute(Source source, Dataset dataset, LocalDate date, Connection app)
            throws SQLException {
        String partition = date.toString();
        Map<String, ControlTotal> totals = new LinkedHashMap<>();
        if (source.kind() == SourceKind.POSTGRES_CDC) {
            totals.put(SOURCE, run(sources, ControlTotalQueries.sourceChangeLog(PostgresDialect.INSTANCE,
                    source.schema(), dataset), dataset.name(), partition, SOURCE, date));
        } else if (source.kind() == SourceKind.REST_API) {
            totals.put(SOURCE, run(sources, ControlTotalQueries.sourceTable(PostgresDialect.INSTANCE, source.schema(),
                    dataset), dataset.name(), partition, SOURCE, date));
        }
        totals.put(LANDING, landing(app, dataset.name(), date));
        totals.put(RAW, warehouse.tableExists("raw", dataset.name())
                ? run(warehouse, ControlTotalQueries.raw(warehouse.dialect(), dataset), dataset.name(), partition, RAW, date)
                : empty(dataset.name(), partition, RAW));
        totals.put(STAGING, warehouse.tableExists("staging", dataset.name())
                ? run(warehouse, ControlTotalQueries.staging(warehouse.dialect(), dataset), dataset.name(), partition,
                STAGING, date)
                : empty(dataset.name(), partition, STAGING));
        return totals;
    }

    /**
     * Control totals of every micro-batch window of a windowed dataset's business date, in every layer:
     * one grouped query per layer, window key to layer to total. Rows whose time is missing or not a
     * timestamp belong to no window (the business-date partition still counts them).
     */
    public Map<String, Map<String, ControlTotal>> computeWindows(Source source, Dataset dataset, LocalDate date,
                                                                 Connection app) throws SQLException {
        long seconds = dataset.partitioning().windowSeconds();
        Map<String, Map<String, ControlTotal>> windows = new TreeMap<>();
        BiConsumer<String, Map<String, ControlTotal>> put = (layer, byWindow) -> byWindow.forEach(
                (key, total) -> windows.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(layer, total));
        if (source.kind() == SourceKind.POSTGRES_CDC) {
            put.accept(SOURCE, runByWindow(sources, ControlTotalQueries.sourceChangeLog(PostgresDialect.INSTANCE,
                    source.schema(), dataset, true), dataset.name(), SOURCE, date, seconds));
        } else if (source.kind() == SourceKind.REST_API) {
            put.accept(SOURCE, runByWindow(sources, ControlTotalQueries.sourceTable(PostgresDialect.INSTANCE,
                    source.schema(), dataset, true), dataset.name(), SOURCE, date, seconds));
        }
        put.accept(LANDING, landingByWindow(app, dataset.name(), date));
        if (warehouse.tableExists("raw", dataset.name())) {
            put.accept(RAW, runByWindow(warehouse, ControlTotalQueries.raw(warehouse.dialect(), dataset, true),
                    dataset.name(), RAW, date, seconds));
        }
        if (warehouse.tableExists("staging", dataset.name())) {
            put.accept(STAGING, runByWindow(warehouse, ControlTotalQueries.staging(warehouse.dialect(), dataset, true),
                    dataset.name(), STAGING, date, seconds));
        }
        for (var entry : windows.entrySet()) {
            Map<String, ControlTotal> ordered = emptyLayers(source, dataset, entry.getKey());
            ordered.putAll(entry.getValue());
            entry.setValue(ordered);
        }
        return windows;
    }

    /** STAGING totals of a windowed source dataset per window of the business date. */
    public Map<String, ControlTotal> stagingByWindow(Dataset dataset, LocalDate date) {
        if (!warehouse.tableExists("staging", dataset.name())) {
            return Map.of();
        }
        return runByWindow(warehouse, ControlTotalQueries.staging(warehouse.dialect(), dataset, true), dataset.name(),
                STAGING, date, dataset.partitioning().windowSeconds());
    }

    /** CURATED totals of a windowed curated dataset per window of the business date. */
    public Map<String, ControlTotal> curatedByWindow(CuratedDataset curated, LocalDate date) {
        if (!warehouse.tableExists("curated", curated.name())) {
            return Map.of();
        }
        long seconds = curated.partitioning().windowSeconds();
        return runByWindow(warehouse, ControlTotalQueries.curated(warehouse.dialect(), curated.name(),
                curated.primaryKey(), curated.amount().column(), curated.amount().currencyColumn(),
                curated.businessDate(), curated.partitioning().timeColumn().orElseThrow(), seconds), curated.name(),
                CURATED, date, seconds);
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

    private static Map<String, ControlTotal> runByWindow(Warehouse where, String sql, String dataset, String layer,
                                                         LocalDate date, long windowSeconds) {
        Map<String, List<ControlTotal>> parts = new LinkedHashMap<>();
        where.query(sql, List.of(date), rs -> {
            long bucket = rs.getLong("part");
            if (!rs.wasNull()) {
                String key = Partitioning.windowKeyOfBucket(bucket, windowSeconds);
                parts.computeIfAbsent(key, k -> new ArrayList<>()).add(currencyRow(rs, dataset, key, layer));
            }
            return bucket;
        });
        Map<String, ControlTotal> totals = new LinkedHashMap<>();
        parts.forEach((key, rows) -> totals.put(key, add(rows, dataset, key, layer)));
        return totals;
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

    public ControlTotal computeCurated(CuratedDataset curated, LocalDate date) {
        String partition = date.toString();
        if (!warehouse.tableExists("curated", curated.name())) {
            return empty(curated.name(), partition, CURATED);
        }
        return run(warehouse, ControlTotalQueries.curated(warehouse.dialect(), curated.name(), curated.primaryKey(),
                curated.amount().column(), curated.amount().currencyColumn(), curated.businessDate()), curated.name(),
                partition, CURATED, date);
    }

    private static ControlTotal run(Warehouse where, String sql, String dataset, String partition, String layer,
                                    LocalDate date) {
        return add(where.query(sql, List.of(date), rs -> currencyRow(rs, dataset, partition, layer)), dataset, partition,
                layer);
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
