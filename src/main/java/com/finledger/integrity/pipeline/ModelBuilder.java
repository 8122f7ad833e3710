package com.finledger.integrity.pipeline;

import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.platform.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds STAGING and CURATED tables from the SQL models in {@code ingestion-config/models/}. A model
 * is a plain {@code select} giving the table's full desired content; the builder creates the table
 * from the model's shape once, then applies it with one {@code MERGE} keyed on the primary key:
 * changed rows are updated, new rows inserted, vanished rows deleted, identical rows untouched. So
 * building twice changes nothing.
 */
final class ModelBuilder {

    /** What one MERGE did. */
    record ModelResult(String table, long inserted, long updated, long deleted) {
    }

    private ModelBuilder() {
    }

    static ModelResult build(Connection c, Path modelsRoot, String layer, String table, List<String> primaryKey,
                             List<String> requiredColumns) throws SQLException {
        Path file = modelsRoot.resolve(layer).resolve(modelFileName(layer, table));
        String model = readModel(file);
        String target = Sql.qualified(layer, table);
        try (Statement s = c.createStatement()) {
            s.execute("create schema if not exists " + Sql.ident(layer));
            if (!Sql.tableExists(c, layer, table)) {
                s.execute("create table " + target + " as select * from (" + model + "\n) m with no data");
                s.execute("alter table " + target + " add primary key (" + primaryKey.stream().map(Sql::ident)
                        .collect(Collectors.joining(", ")) + ")");
            }
        }
        List<String> columns = columns(c, layer, table);
        List<String> missing = requiredColumns.stream().filter(col -> !columns.contains(col)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("model " + layer + "/" + file.getFileName() + " does not produce "
                    + "column(s) " + missing + " that the catalog declares");
        }
        List<String> values = columns.stream().filter(col -> !primaryKey.contains(col)).toList();
        String on = primaryKey.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" and "));
        StringBuilder merge = new StringBuilder("with applied as (merge into ").append(target).append(" t using (")
                .append(model).append("\n) s on ").append(on);
        if (!values.isEmpty()) {
            merge.append(" when matched and (").append(prefixed("t.", values)).append(") is distinct from (")
                    .append(prefixed("s.", values)).append(") then update set ")
                    .append(values.stream().map(v -> v + " = s." + v).collect(Collectors.joining(", ")));
        }
        merge.append(" when not matched by target then insert (").append(String.join(", ", columns))
                .append(") values (").append(prefixed("s.", columns)).append(")")
                .append(" when not matched by source then delete")
                .append(" returning merge_action() as action) select action, count(*) from applied group by action");
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(merge.toString())) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new SQLException("model " + layer + "/" + file.getFileName() + " failed: " + e.getMessage(),
                    e.getSQLState(), e);
        }
        return new ModelResult(target, counts.getOrDefault("INSERT", 0L), counts.getOrDefault("UPDATE", 0L),
                counts.getOrDefault("DELETE", 0L));
    }

    static String modelFileName(String layer, String table) {
        return (layer.equals("staging") ? "stg_" : "") + table + ".sql";
    }

    static List<String> stagingColumns(Dataset dataset) {
        List<String> required = new ArrayList<>();
        dataset.columns().forEach(col -> required.add(col.name()));
        required.add("change_seq");
        return required;
    }

    private static String readModel(Path file) {
        try {
            String sql = Files.readString(file, StandardCharsets.UTF_8).strip();
            while (sql.endsWith(";")) {
                sql = sql.substring(0, sql.length() - 1).strip();
            }
            return sql;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file, e);
        }
    }

    private static String prefixed(String prefix, List<String> columns) {
        return columns.stream().map(col -> prefix + col).collect(Collectors.joining(", "));
    }

    private static List<String> columns(Connection c, String schema, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select column_name from information_schema.columns
                where table_schema = ? and table_name = ? order by ordinal_position""")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }
}
