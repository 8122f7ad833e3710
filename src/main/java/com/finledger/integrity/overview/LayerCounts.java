package com.finledger.integrity.overview;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.CuratedDataset;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.cdc.SourceDatabases;
import com.finledger.integrity.controls.ControlTotalService;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.platform.Sql;
import com.finledger.integrity.platform.SqlReader;
import com.finledger.integrity.warehouse.Warehouse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Row counts per dataset, business date and layer, each counted where the data lives: a ledger in its
 * own database, landing in the application's ledger of landed objects, RAW, STAGING and CURATED in the
 * warehouse (a grouped count pushed down per table, never rows pulled into the JVM).
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

    @Inject
    SourceDatabases sourceDatabases;

    @Inject
    Warehouse warehouse;

    public List<PartitionCounts> all() {
        Catalog catalog = catalogService.catalog();
        List<PartitionCounts> rows = new ArrayList<>();
        Map<String, Map<LocalDate, Long>> landing = landing();
        for (Source source : catalog.sources()) {
            for (Dataset d : source.datasets()) {
                Map<Layer, Map<LocalDate, Long>> byLayer = new EnumMap<>(Layer.class);
                switch (source.kind()) {
                    case POSTGRES_CDC -> byLayer.put(Layer.SOURCE, grouped(sourceDatabases.of(source), source.schema(),
                            d.table(), d.businessDate()));
                    case REST_API -> byLayer.put(Layer.SOURCE, lastReported(d.name()));
                    case PARTNER_FILES -> {
                        // the partner's own system is not reachable: its files are the first layer
                    }
                }
                byLayer.put(Layer.LANDING, landing.getOrDefault(d.name(), Map.of()));
                byLayer.put(Layer.RAW, grouped(warehouse, "raw", d.name(), "business_date"));
                byLayer.put(Layer.STAGING, grouped(warehouse, "staging", d.name(), d.businessDate()));
                rows.addAll(pivot(d.name(), source.kind().name().toLowerCase(), byLayer));
            }
        }
        for (CuratedDataset d : catalog.curated()) {
            Map<Layer, Map<LocalDate, Long>> byLayer = new EnumMap<>(Layer.class);
            byLayer.put(Layer.CURATED, grouped(warehouse, "curated", d.name(), d.businessDate()));
            rows.addAll(pivot(d.name(), "curated", byLayer));
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

    private Map<String, Map<LocalDate, Long>> landing() {
        Map<String, Map<LocalDate, Long>> counts = new TreeMap<>();
        Jdbc.query(dataSource, "select dataset, business_date, sum(row_count) from landed_object group by 1, 2",
                List.of(), rs -> counts.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
                        .put(rs.getObject(2, LocalDate.class), rs.getLong(3)));
        return counts;
    }

    /**
     * A processor's records are reachable only through its API, and reading a whole day's pages for a
     * count would be a pull of its own: the source count is what the API reported at the latest
     * evaluation of each date (its recorded source control total).
     */
    private Map<LocalDate, Long> lastReported(String dataset) {
        Map<LocalDate, Long> counts = new TreeMap<>();
        Jdbc.query(dataSource, """
                select distinct on (partition_key) partition_key, row_count from control_total
                where dataset = ? and layer = ? and partition_key ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
                order by partition_key, id desc""", List.of(dataset, ControlTotalService.SOURCE),
                rs -> counts.put(LocalDate.parse(rs.getString(1)), rs.getLong(2)));
        return counts;
    }

    /** A grouped count pushed down to where the table lives; a table not built yet counts nothing. */
    private static Map<LocalDate, Long> grouped(SqlReader reader, String schema, String table, String dateColumn) {
        Map<LocalDate, Long> counts = new TreeMap<>();
        boolean exists = !reader.query("select 1 from information_schema.tables where lower(table_schema) = ? "
                + "and lower(table_name) = ?", List.of(schema, table), rs -> 1).isEmpty();
        if (!exists) {
            return counts;
        }
        String sql = "select " + Sql.ident(dateColumn) + ", count(*) from " + Sql.qualified(schema, table)
                + " group by 1";
        reader.query(sql, List.of(), rs -> counts.put(rs.getObject(1, LocalDate.class), rs.getLong(2)));
        return counts;
    }
}
