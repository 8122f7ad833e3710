package com.finledger.integrity.breaks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.cdc.SourceDatabases;
import com.finledger.integrity.pci.PanTokenizer;
import com.finledger.integrity.platform.Sql;
import com.finledger.integrity.warehouse.Warehouse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * From a break to the records behind it on every side and layer: the source system (ledgers through
 * their read replicas), the landed object and line, RAW as landed, STAGING as typed. Card numbers are
 * masked on the way out, whatever layer they come from.
 */
@ApplicationScoped
public class BreakDrillDown {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ROWS = 20;

    @Inject
    CatalogService catalogService;

    @Inject
    Warehouse warehouse;

    @Inject
    SourceDatabases sourceDatabases;

    public record LayerRows(String layer, List<String> columns, List<List<String>> rows, String note) {
    }

    public record SideRows(String side, String dataset, String item, List<LayerRows> layers) {
    }

    public List<SideRows> of(BreakCase b) {
        List<SideRows> sides = new ArrayList<>();
        sides.add(side("left", b.leftDataset, b.leftItem));
        sides.add(side("right", b.rightDataset, b.rightItem));
        return sides;
    }

    private SideRows side(String side, String datasetName, String item) {
        Catalog catalog = catalogService.catalog();
        Dataset d = catalog.dataset(datasetName);
        if (item == null) {
            return new SideRows(side, datasetName, null, List.of(new LayerRows("all", List.of(), List.of(),
                    "no record on this side: that is the break")));
        }
        Set<String> pci = Set.copyOf(d.pciColumns().stream().map(Catalog.Column::name).toList());
        String pk = d.primaryKey().get(0);
        List<LayerRows> layers = new ArrayList<>();
        layers.add(source(catalog, d, pk, item, pci));
        LayerRows raw = read("raw", "select object_key, object_version, line_no, op, change_seq, commit_ts, "
                + warehouse.dialect().text("record") + " as record from raw." + Sql.ident(d.name()) + " where "
                + warehouse.dialect().jsonText("record", pk) + " = ? order by change_seq, object_key, line_no", item, pci);
        List<List<String>> landing = new ArrayList<>();
        for (List<String> row : raw.rows()) {
            landing.add(List.of(row.get(0), row.get(1), row.get(2)));
        }
        layers.add(new LayerRows("landing", List.of("object_key", "object_version", "line_no"), landing,
                landing.isEmpty() ? "not landed" : "the landed object and line each RAW row came from"));
        layers.add(raw);
        layers.add(read("staging", "select * from staging." + Sql.ident(d.name()) + " where " + Sql.ident(pk) + " = ?",
                item, pci));
        return new SideRows(side, datasetName, item, layers);
    }

    private LayerRows source(Catalog catalog, Dataset d, String pk, String item, Set<String> pci) {
        Catalog.Source source = catalog.sourceOf(d);
        if (source.kind() != SourceKind.POSTGRES_CDC) {
            return new LayerRows("source", List.of(), List.of(), source.kind() == SourceKind.PARTNER_FILES
                    ? "the partner's file is the source: see landing" : "read through the processor's API: see landing");
        }
        try {
            List<String> columns = new ArrayList<>();
            List<List<String>> rows = sourceDatabases.of(source).query("select * from "
                    + Sql.qualified(source.schema(), d.table()) + " where " + Sql.ident(pk) + " = ?", List.<Object>of(item),
                    rs -> row(rs, columns, pci));
            return new LayerRows("source", columns, rows, rows.isEmpty() ? "not in the source" : "");
        } catch (RuntimeException e) {
            return new LayerRows("source", List.of(), List.of(), "source unavailable: " + e.getMessage());
        }
    }

    private LayerRows read(String layer, String sql, String item, Set<String> pci) {
        try {
            List<String> columns = new ArrayList<>();
            List<List<String>> rows = warehouse.query(sql, List.<Object>of(item), rs -> row(rs, columns, pci));
            return new LayerRows(layer, columns, rows.subList(0, Math.min(MAX_ROWS, rows.size())),
                    rows.isEmpty() ? "not in " + layer : "");
        } catch (RuntimeException e) {
            return new LayerRows(layer, List.of(), List.of(), layer + " unavailable: " + e.getMessage());
        }
    }

    private static List<String> row(ResultSet rs, List<String> columns, Set<String> pci) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        if (columns.isEmpty()) {
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
            }
        }
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String name = columns.get(i - 1);
            String value = rs.getString(i);
            values.add(mask(name, value, pci));
        }
        return values;
    }

    /** PCI columns, card-number-shaped values and PCI fields inside a landed JSON record, masked. */
    static String mask(String column, String value, Set<String> pci) {
        if (value == null) {
            return "";
        }
        if (pci.contains(column) || PanTokenizer.looksLikePan(value) || PanTokenizer.isToken(value)) {
            return PanTokenizer.mask(value);
        }
        if (column.equals("record") && value.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(value);
                if (node instanceof ObjectNode object) {
                    Map<String, String> masked = new LinkedHashMap<>();
                    object.fields().forEachRemaining(f -> masked.put(f.getKey(), f.getValue().isNull() ? null
                            : mask(f.getKey().toLowerCase(java.util.Locale.ROOT), f.getValue().asText(), pci)));
                    return JSON.writeValueAsString(masked);
                }
            } catch (java.io.IOException e) {
                return "(unreadable record)";
            }
        }
        return value;
    }
}
