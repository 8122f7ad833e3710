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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes control totals per layer by pushing SQL down to where each layer lives (the source
 * ledger, the warehouse), reads landing totals recorded when objects landed, and stores every
 * computation as a new version.
 */
@ApplicationScoped
public class ControlTotalService {

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
        List<ControlTotal> perCurrency = where.query(sql, List.of(date), rs -> {
            String currency = rs.getString("currency");
            Amounts row = new Amounts().add(currency, decimal(rs, "row_amount"));
            Amounts eff = new Amounts().add(currency, decimal(rs, "eff_amount"));
            Amounts dup = new Amounts().add(currency, decimal(rs, "dup_amount"));
            return new ControlTotal(dataset, partition, layer, 0, null, rs.getLong("row_count"),
                    wrap(rs.getBigDecimal("row_fp")), row, rs.getLong("eff_count"), wrap(rs.getBigDecimal("eff_fp")),
                    eff, rs.getLong("dup_rows"), wrap(rs.getBigDecimal("dup_fp")), dup, rs.getLong("superseded_rows"),
                    rs.getLong("deleted_keys"));
        });
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
