package com.finledger.integrity.controls;

import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.platform.Sql;
import com.finledger.integrity.warehouse.WarehouseDialect;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL that computes control totals where the data lives. Every query takes the partition's
 * business date as its only parameter and returns one row per currency with the columns
 * {@code currency, row_count, row_fp, row_amount, eff_count, eff_fp, eff_amount, dup_rows, dup_fp,
 * dup_amount, superseded_rows, deleted_keys}; the caller adds the currency rows up.
 */
public final class ControlTotalQueries {

    private ControlTotalQueries() {
    }

    /**
     * RAW: landed records as JSON with their change sequence and operation. Versions are distinct
     * (key, change sequence); copies beyond the first are replays; the latest version of each key is
     * its effective record unless it is a delete.
     */
    public static String raw(WarehouseDialect d, Dataset dataset) {
        return raw(d, dataset, false);
    }

    /**
     * The measures of RAW, STAGING or a source per micro-batch window of the business date: the same
     * queries with a leading {@code part} column (the window number) and one row per window and currency.
     */
    public static String raw(WarehouseDialect d, Dataset dataset, boolean byWindow) {
        List<String> keys = new ArrayList<>();
        for (String k : dataset.primaryKey()) {
            keys.add(d.jsonText("record", k));
        }
        String amount = d.toNumber(d.jsonText("record", dataset.amount().column()))
                + (dataset.amount().decimal() ? " * 100" : "");
        return versioned(d, keys, "change_seq", "op", amount, d.jsonText("record", dataset.amount().currencyColumn()),
                Sql.qualified("raw", dataset.name()), "business_date = ?",
                byWindow ? window(d, dataset, d.jsonText("record", timeColumn(dataset)), true) : null);
    }

    private static String timeColumn(Dataset dataset) {
        return dataset.partitioning().timeColumn().orElseThrow(() -> new IllegalArgumentException(
                dataset.name() + " is not partitioned by micro-batch windows"));
    }

    private static String window(WarehouseDialect d, Dataset dataset, String time, boolean isText) {
        return d.windowBucket(time, isText, dataset.partitioning().windowSeconds());
    }

    /** A CDC source ledger's change log: the same versioned measures, computed on the source. */
    public static String sourceChangeLog(WarehouseDialect d, String schema, Dataset dataset) {
        return sourceChangeLog(d, schema, dataset, false);
    }

    public static String sourceChangeLog(WarehouseDialect d, String schema, Dataset dataset, boolean byWindow) {
        List<String> keys = dataset.primaryKey().stream().map(d::text).toList();
        return versioned(d, keys, "change_seq", "op", "cast(" + dataset.amount().column() + " as numeric)",
                dataset.amount().currencyColumn(), Sql.qualified(schema, dataset.table() + "_changes"),
                Sql.ident(dataset.businessDate()) + " = ?",
                byWindow ? window(d, dataset, Sql.ident(timeColumn(dataset)), false) : null);
    }

    /** STAGING: typed, one row per key, with the change sequence it was built from. */
    public static String staging(WarehouseDialect d, Dataset dataset) {
        return staging(d, dataset, false);
    }

    public static String staging(WarehouseDialect d, Dataset dataset, boolean byWindow) {
        return staging(d, dataset, byWindow, "staging");
    }

    /** STAGING as held by another schema with the same tables (a month-end rerun's scratch schema). */
    public static String staging(WarehouseDialect d, Dataset dataset, boolean byWindow, String schema) {
        // a scale of its own for decimals: a bare NUMERIC is NUMBER(38, 0) on Snowflake and would round them
        String amount = dataset.amount().decimal() ? "cast(" + dataset.amount().column() + " as numeric(38, 2)) * 100"
                : "cast(" + dataset.amount().column() + " as numeric)";
        return flat(d, dataset.primaryKey().stream().map(d::text).toList(), d.text("change_seq"), amount,
                dataset.amount().currencyColumn(), Sql.qualified(schema, dataset.name()),
                Sql.ident(dataset.businessDate()) + " = ?",
                byWindow ? window(d, dataset, Sql.ident(timeColumn(dataset)), false) : null);
    }

    /** CURATED: one row per curated key; no change sequence, so the fingerprint covers keys only. */
    public static String curated(WarehouseDialect d, String table, List<String> primaryKey, String amountColumn,
                                 String currencyColumn, String businessDateColumn) {
        return curated(d, table, primaryKey, amountColumn, currencyColumn, businessDateColumn, null, 0);
    }

    /** CURATED per micro-batch window of {@code timeColumn} (null: the whole business date). */
    public static String curated(WarehouseDialect d, String table, List<String> primaryKey, String amountColumn,
                                 String currencyColumn, String businessDateColumn, String timeColumn,
                                 long windowSeconds) {
        return curated(d, table, primaryKey, amountColumn, currencyColumn, businessDateColumn, timeColumn, windowSeconds,
                "curated");
    }

    /** CURATED as held by another schema with the same tables (a month-end rerun's scratch schema). */
    public static String curated(WarehouseDialect d, String table, List<String> primaryKey, String amountColumn,
                                 String currencyColumn, String businessDateColumn, String timeColumn,
                                 long windowSeconds, String schema) {
        return flat(d, primaryKey.stream().map(d::text).toList(), "''", "cast(" + amountColumn + " as numeric)",
                currencyColumn, Sql.qualified(schema, table), Sql.ident(businessDateColumn) + " = ?",
                timeColumn == null ? null : d.windowBucket(Sql.ident(timeColumn), false, windowSeconds));
    }

    private static String versioned(WarehouseDialect d, List<String> keys, String seq, String op, String amount,
                                     String currency, String table, String filter, String part) {
        String partSelect = part == null ? "" : part + " as part, ";
        String partCarry = part == null ? "" : "max(part) as part, ";
        String partOut = part == null ? "" : "part, ";
        List<String> keyAliases = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            keyAliases.add("k" + i);
        }
        List<String> hashParts = new ArrayList<>(keyAliases);
        hashParts.add(d.text("change_seq"));
        String keyList = String.join(", ", keyAliases);
        String selectKeys = "";
        for (int i = 0; i < keys.size(); i++) {
            selectKeys += keys.get(i) + " as k" + i + ", ";
        }
        return """
                with landed as (
                    select %s%s%s as change_seq, %s as op, %s as amount, %s as currency
                    from %s
                    where %s
                ),
                versions as (
                    select %s, change_seq, %smax(op) as op, max(amount) as amount, max(currency) as currency,
                           count(*) as copies
                    from landed
                    group by %s, change_seq
                ),
                ranked as (
                    select v.*, %s as h,
                           row_number() over (partition by %s order by change_seq desc) as recency
                    from versions v
                )
                select %scurrency,
                       sum(copies) as row_count,
                       %s as row_fp,
                       sum(copies * amount) as row_amount,
                       %s as eff_count,
                       %s as eff_fp,
                       sum(case when recency = 1 and op <> 'D' then amount else 0 end) as eff_amount,
                       sum(copies - 1) as dup_rows,
                       %s as dup_fp,
                       sum((copies - 1) * amount) as dup_amount,
                       %s as superseded_rows,
                       %s as deleted_keys
                from ranked
                group by %scurrency""".formatted(partSelect, selectKeys, seq, op, amount, currency, table, filter,
                keyList, partCarry, keyList, d.hash64(hashParts), keyList, partOut,
                d.sumHashes("cast(copies as numeric) * h"), d.countIf("recency = 1 and op <> 'D'"),
                d.sumHashes("case when recency = 1 and op <> 'D' then h else 0 end"),
                d.sumHashes("cast(copies - 1 as numeric) * h"), d.countIf("recency > 1"),
                d.countIf("recency = 1 and op = 'D'"), partOut);
    }

    private static String flat(WarehouseDialect d, List<String> keys, String seqText, String amount, String currency,
                               String table, String filter, String part) {
        List<String> hashParts = new ArrayList<>(keys);
        hashParts.add(seqText);
        return """
                select %s%s as currency,
                       count(*) as row_count,
                       %s as row_fp,
                       sum(%s) as row_amount,
                       count(*) as eff_count,
                       %s as eff_fp,
                       sum(%s) as eff_amount,
                       0 as dup_rows, 0 as dup_fp, 0 as dup_amount, 0 as superseded_rows, 0 as deleted_keys
                from %s
                where %s
                group by %s%s""".formatted(part == null ? "" : part + " as part, ", currency, d.sumHashes(d.hash64(hashParts)), amount,
                d.sumHashes(d.hash64(hashParts)), amount, table, filter, part == null ? "" : part + ", ", currency);
    }
}
