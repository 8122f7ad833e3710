package com.finledger.integrity.controls;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.cdc.SourceDatabases;
import com.finledger.integrity.diff.TableDiff;
import com.finledger.integrity.platform.Sql;
import com.finledger.integrity.warehouse.PostgresDialect;
import com.finledger.integrity.warehouse.Warehouse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * When a ledger's partition does not balance against what landed, names the rows: a table-diff of the
 * ledger's table (through its read replica) against STAGING for the business date, on the key and the
 * contract's text, whole-number and date columns (card numbers excluded: tokenised on the way in).
 * Informational: a diff that cannot run is logged and leaves the control as it is.
 */
@ApplicationScoped
public class SourceVersusStaging {

    private static final Logger LOG = Logger.getLogger(SourceVersusStaging.class);
    private static final Set<String> PORTABLE_TYPES = Set.of("string", "bigint", "integer", "date");

    @Inject
    CatalogService catalogService;

    @Inject
    SourceDatabases sourceDatabases;

    @Inject
    Warehouse warehouse;

    public List<String> differingRows(Dataset dataset, LocalDate date, int limit) {
        try {
            Catalog.Source source = catalogService.catalog().sourceOf(dataset);
            if (source.kind() != Catalog.SourceKind.POSTGRES_CDC || dataset.primaryKey().size() != 1
                    || !warehouse.tableExists("staging", dataset.name())) {
                return List.of();
            }
            List<String> columns = dataset.columns().stream()
                    .filter(c -> !c.pci() && PORTABLE_TYPES.contains(c.type()) && !dataset.primaryKey().contains(c.name()))
                    .map(Catalog.Column::name).toList();
            String filter = Sql.ident(dataset.businessDate()) + " = cast(? as date)";
            TableDiff.Side ledger = new TableDiff.Side(source.name(), sourceDatabases.of(source), PostgresDialect.INSTANCE,
                    Sql.qualified(source.schema(), dataset.table()), dataset.primaryKey().get(0), columns, filter,
                    List.of(date.toString()));
            TableDiff.Side staged = new TableDiff.Side("staging", warehouse, warehouse.dialect(),
                    Sql.qualified("staging", dataset.name()), dataset.primaryKey().get(0), columns, filter,
                    List.of(date.toString()));
            TableDiff.Result result = new TableDiff().diff(ledger, staged, new TableDiff.Options(256, 16, 2_000, 4));
            List<String> rows = new ArrayList<>();
            result.onlyLeft().forEach(k -> rows.add(k + ": in the source, not in staging"));
            result.onlyRight().forEach(k -> rows.add(k + ": in staging, not in the source"));
            result.changed().forEach(c -> rows.add(c.key() + ": differs in " + String.join(", ", c.columns())));
            return rows.subList(0, Math.min(limit, rows.size()));
        } catch (RuntimeException e) {
            LOG.warnf("table-diff of %s %s against its source could not run: %s", dataset.name(), date, e.getMessage());
            return List.of();
        }
    }
}
