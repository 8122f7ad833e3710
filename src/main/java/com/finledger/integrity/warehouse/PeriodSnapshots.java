package com.finledger.integrity.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.catalog.Catalog.CuratedDataset;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.platform.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Freezes every curated table at period close: a clone per table (zero-copy on Snowflake) in the
 * {@code closed} schema, named {@code <table>_<yyyymm>}, whose control total over the period must
 * equal the live table's at that moment, recorded and audited. Snapshotting a period twice returns
 * what the first time froze.
 */
@ApplicationScoped
public class PeriodSnapshots {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SCHEMA = "closed";

    @Inject
    Warehouse warehouse;

    @Inject
    CatalogService catalogService;

    @Inject
    AuditLog auditLog;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    public record Snapshot(String period, String dataset, String cloneTable, long rowCount, long fingerprint,
                           Map<String, String> amounts, String createdBy) {
    }

    record Totals(long rows, long fingerprint, Map<String, String> amounts) {
    }

    public List<Snapshot> snapshot(YearMonth period, String actor, String reason) {
        List<Snapshot> snapshots = new ArrayList<>();
        for (CuratedDataset curated : catalogService.catalog().curated()) {
            List<Snapshot> existing = find(period, curated.name());
            if (!existing.isEmpty()) {
                snapshots.addAll(existing);
                continue;
            }
            if (!warehouse.tableExists("curated", curated.name())) {
                continue;
            }
            String clone = curated.name() + "_" + period.toString().replace("-", "");
            Totals live = totals("curated", curated.name(), curated, period);
            if (warehouse.tableExists(SCHEMA, clone)) {
                // left by a snapshot that failed before it was recorded
                warehouse.update("drop table " + Sql.qualified(SCHEMA, clone), List.of());
            }
            warehouse.cloneTable("curated", curated.name(), SCHEMA, clone);
            Totals frozen = totals(SCHEMA, clone, curated, period);
            if (!frozen.equals(live)) {
                throw new IllegalStateException("the clone " + SCHEMA + "." + clone + " does not reproduce curated."
                        + curated.name() + " for " + period + ": " + frozen + " vs " + live);
            }
            Snapshot s = new Snapshot(period.toString(), curated.name(), SCHEMA + "." + clone, frozen.rows(),
                    frozen.fingerprint(), frozen.amounts(), actor);
            record(s, reason);
            snapshots.add(s);
        }
        return snapshots;
    }

    public List<Snapshot> find(YearMonth period, String dataset) {
        return Jdbc.query(dataSource, """
                select period, dataset, clone_table, row_count, fingerprint, amounts::text, created_by
                from period_snapshot where period = ? and (? = '' or dataset = ?) order by dataset""",
                List.of(period.toString(), dataset, dataset), rs -> new Snapshot(rs.getString(1), rs.getString(2),
                        rs.getString(3), rs.getLong(4), rs.getLong(5), amounts(rs.getString(6)), rs.getString(7)));
    }

    /** Rows, key fingerprint (sum of 64-bit key hashes, mod 2^64) and per-currency sums of the period's rows. */
    Totals totals(String schema, String table, CuratedDataset curated, YearMonth period) {
        WarehouseDialect d = warehouse.dialect();
        String sql = "select " + Sql.ident(curated.amount().currencyColumn()) + " as currency, count(*) as n, "
                + "sum(" + Sql.ident(curated.amount().column()) + ") as amount, sum("
                + d.hash64(curated.primaryKey().stream().map(k -> d.text(Sql.ident(k))).toList()) + ") as fp from "
                + Sql.qualified(schema, table) + " where " + Sql.ident(curated.businessDate()) + " between ? and ? "
                + "group by 1 order by 1";
        long[] rowsAndFingerprint = new long[2];
        Map<String, String> amounts = new TreeMap<>();
        warehouse.query(sql, List.of(period.atDay(1), period.atEndOfMonth()), rs -> {
            rowsAndFingerprint[0] += rs.getLong("n");
            BigDecimal fp = rs.getBigDecimal("fp");
            rowsAndFingerprint[1] += fp == null ? 0 : fp.toBigInteger().longValue();
            BigDecimal amount = rs.getBigDecimal("amount");
            amounts.put(String.valueOf(rs.getString("currency")), amount == null ? "0" : amount.toPlainString());
            return null;
        });
        return new Totals(rowsAndFingerprint[0], rowsAndFingerprint[1], amounts);
    }

    private void record(Snapshot s, String reason) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into period_snapshot (period, dataset, clone_table, row_count, fingerprint, amounts,
                                                 created_at, created_by)
                    values (?, ?, ?, ?, ?, ?::jsonb, ?, ?)""")) {
                ps.setString(1, s.period());
                ps.setString(2, s.dataset());
                ps.setString(3, s.cloneTable());
                ps.setLong(4, s.rowCount());
                ps.setLong(5, s.fingerprint());
                ps.setString(6, JSON.writeValueAsString(s.amounts()));
                ps.setTimestamp(7, Timestamp.from(clock.instant()));
                ps.setString(8, s.createdBy());
                ps.executeUpdate();
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("clone_table", s.cloneTable());
            details.put("row_count", s.rowCount());
            details.put("fingerprint", Long.toUnsignedString(s.fingerprint(), 16));
            details.put("amounts", s.amounts());
            auditLog.append(c, s.createdBy(), "period.snapshot", "curated_table", s.period() + "/" + s.dataset(),
                    reason, details);
            c.commit();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot record the snapshot of " + s.dataset() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> amounts(String json) {
        try {
            Map<String, String> amounts = new TreeMap<>();
            JSON.readTree(json).fields().forEachRemaining(f -> amounts.put(f.getKey(), f.getValue().asText()));
            return amounts;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
