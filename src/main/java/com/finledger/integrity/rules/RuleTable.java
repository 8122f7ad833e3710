package com.finledger.integrity.rules;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.Column;
import com.finledger.integrity.platform.Sql;
import com.finledger.integrity.rules.Rule.Layer;
import com.finledger.integrity.warehouse.WarehouseDialect;
import java.util.List;

/**
 * The table a group of rules scans, and how a rule's column names become SQL on it: typed columns
 * in STAGING and CURATED, fields of the landed JSON record in RAW.
 */
record RuleTable(Layer layer, String dataset, String table, String partitionColumn, List<String> rowKey,
                 List<Column> contract) {

    static RuleTable forSource(Catalog.Dataset d, Layer layer) {
        return switch (layer) {
            case RAW -> new RuleTable(layer, d.name(), Sql.qualified("raw", d.name()), "business_date",
                    List.of("object_key", "object_version", "line_no"), d.columns());
            case STAGING -> new RuleTable(layer, d.name(), Sql.qualified("staging", d.name()), d.businessDate(),
                    d.primaryKey(), d.columns());
            case CURATED -> throw new IllegalArgumentException(d.name() + " is not curated");
        };
    }

    static RuleTable forCurated(Catalog.CuratedDataset c) {
        return new RuleTable(Layer.CURATED, c.name(), Sql.qualified("curated", c.name()), c.businessDate(),
                c.primaryKey(), List.of());
    }

    /** A rule column as an expression on alias {@code t}. */
    String column(WarehouseDialect d, String name) {
        if (layer == Layer.RAW) {
            return name.equals(Catalog.LANDING_CHANGE_SEQUENCE) ? "t.change_seq" : d.jsonText("t.record", name);
        }
        return "t." + Sql.ident(name);
    }

    /** Identity of a row, stable across evaluations: its key in typed layers, its landed position in RAW. */
    String rowKey(WarehouseDialect d) {
        StringBuilder key = new StringBuilder();
        for (String part : rowKey) {
            key.append(key.isEmpty() ? "" : " || '|' || ").append("coalesce(").append(d.text("t." + part))
                    .append(", '')");
        }
        return key.toString();
    }
}
