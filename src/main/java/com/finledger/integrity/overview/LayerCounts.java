package com.finledger.integrity.overview;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.CuratedDataset;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.platform.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Row counts per dataset, business date and layer, each counted where the data lives (a grouped
 * count pushed down to PostgreSQL per table, never rows pulled into the JVM).
 */
@ApplicationScoped
public class LayerCounts {

    public enum Layer { SOURCE, LANDING, RAW, STAGING, CURATED }

    /** Counts of one dataset partition; a layer the dataset does not pass through is absent. */
    public record PartitionCounts(String dataset, String kind, LocalDate businessDate, Map<Layer, Long> counts) {

        public Long count(Layer layer) {
            return counts.get(layer);
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    CatalogService catalogService;

    public List<PartitionCounts> all() {
        Catalog catalog = catalogService.catalog();
        List<PartitionCounts> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            Map<String, Map<LocalDate, Long>> landing = landing(c);
            for (Source source : catalog.sources()) {
                for (Dataset d : source.datasets()) {
                    Map<Layer, Map<LocalDate, Long>> byLayer = new EnumMap<>(Layer.class);
                    if (source.kind() != SourceKind.PARTNER_FILES) {
                        byLayer.put(Layer.SOURCE, grouped(c, source.schema(), d.table(), d.businessDate()));
                    }
                    byLayer.put(Layer.LANDING, landing.getOrDefault(d.name(), Map.of()));
                    byLayer.put(Layer.RAW, grouped(c, "raw", d.name(), "business_date"));
                    byLayer.put(Layer.STAGING, grouped(c, "staging", d.name(), d.businessDate()));
                    rows.addAll(pivot(d.name(), source.kind().name().toLowerCase(), byLayer));
                }
            }
            for (CuratedDataset d : catalog.curated()) {
                Map<Layer, Map<LocalDate, Long>> byLayer = new EnumMap<>(Layer.class);
                byLayer.put(Layer.CURATED, grouped(c, "curated", d.name(), d.businessDate()));
                rows.addAll(pivot(d.name(), "curated", byLayer));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count layers: " + e.getMessage(), e);
        }
        return rows;
    }

    private static List<PartitionCounts> pivot(String dataset, String kind, Map<Layer, Map<LocalDate, Long>> byLayer) {
        TreeMap<LocalDate, Map<Layer, Long>> byDate = new TreeMap<>();
        byLayer.forEach((layer, counts) -> counts.keySet().forEach(date -> byDate.computeIfAbsent(date,
                x -> new EnumMap<>(Layer.class))));
        List<PartitionCounts> rows = new ArrayList<>();
        byDate.forEach((date, counts) -> {
            // A layer the dataset passes through shows 0 for a date it has nothing for; others stay absent.
            byLayer.forEach((layer, perDate) -> counts.put(layer, perDate.getOrDefault(date, 0L)));
            rows.add(new PartitionCounts(dataset, kind, date, counts));
        });
        return rows;
    }

    private static Map<String, Map<LocalDate, Long>> landing(Connection c) throws SQLException {
        Map<String, Map<LocalDate, Long>> counts = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select dataset, business_date, sum(row_count) from landed_object group by 1, 2");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
                        .put(rs.getObject(2, LocalDate.class), rs.getLong(3));
            }
        }
        return counts;
    }

    private static Map<LocalDate, Long> grouped(Connection c, String schema, String table, String dateColumn)
            throws SQLException {
        Map<LocalDate, Long> counts = new TreeMap<>();
        if (!Sql.tableExists(c, schema, table)) {
            return counts;
        }
        String sql = "select " + Sql.ident(dateColumn) + ", count(*) from " + Sql.qualified(schema, table)
                + " group by 1";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getObject(1, LocalDate.class), rs.getLong(2));
            }
        }
        return counts;
    }
}
