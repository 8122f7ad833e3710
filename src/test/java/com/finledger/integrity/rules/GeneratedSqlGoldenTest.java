package com.finledger.integrity.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogLoader;
import com.finledger.integrity.controls.ControlTotalQueries;
import com.finledger.integrity.warehouse.PostgresDialect;
import com.finledger.integrity.warehouse.SnowflakeDialect;
import com.finledger.integrity.warehouse.WarehouseDialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The warehouse SQL we generate, per dialect, against reviewed files in src/test/resources/golden/.
 * Snowflake is not reachable here, so these files are how its SQL is checked; regenerate them with
 * {@code ./mvnw test -Dtest=GeneratedSqlGoldenTest -Dgolden.update=true} and review the diff.
 */
class GeneratedSqlGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final Catalog CATALOG = CatalogLoader.load(Path.of("ingestion-config"));
    private static final List<Rule> RULES = RuleSetLoader.load(Path.of("rules"), CATALOG).rules();

    static Stream<Arguments> statements() {
        List<Arguments> all = new java.util.ArrayList<>();
        for (WarehouseDialect d : List.of(PostgresDialect.INSTANCE, SnowflakeDialect.INSTANCE)) {
            statements(d).forEach((name, sql) -> all.add(Arguments.of(d.name(), name, sql)));
        }
        return all.stream();
    }

    /** Every statement with a reviewed file, by name (also executed on the emulator by SnowflakeOnEmulatorTest). */
    static Map<String, String> statements(WarehouseDialect d) {
        Map<String, String> sql = new LinkedHashMap<>();
        Catalog.Dataset payments = CATALOG.dataset("payments");
        RuleTable staging = RuleTable.forSource(payments, Rule.Layer.STAGING);
        List<RuleSql.Flag> stagingFlags = RuleSql.flags(d, staging, rules("payments", Rule.Layer.STAGING));
        sql.put("payments_staging_fused_rules", RuleSql.fusedQuery(d, staging, stagingFlags));
        sql.put("payments_staging_quarantine_insert", RuleSql.quarantineInsert(d, staging, stagingFlags,
                stagingFlags.get(0)));
        RuleTable raw = RuleTable.forSource(payments, Rule.Layer.RAW);
        sql.put("payments_raw_fused_rules", RuleSql.fusedQuery(d, raw, RuleSql.flags(d, raw,
                rules("payments", Rule.Layer.RAW))));
        Rule custom = RULES.stream().filter(r -> r.name().equals("alpha_amount_matches_ledger")).findFirst().orElseThrow();
        sql.put("alpha_custom_quarantine_insert", RuleSql.customQuarantineInsert(d, custom.sql().orElseThrow()));
        sql.put("payments_raw_control_total", ControlTotalQueries.raw(d, payments));
        sql.put("payments_staging_control_total", ControlTotalQueries.staging(d, payments));
        sql.put("payments_raw_control_total_by_window", ControlTotalQueries.raw(d, payments, true));
        sql.put("payments_staging_control_total_by_window", ControlTotalQueries.staging(d, payments, true));
        Catalog.CuratedDataset transactions = CATALOG.curated().get(0);
        sql.put("transactions_curated_control_total", ControlTotalQueries.curated(d, transactions.name(),
                transactions.primaryKey(), transactions.amount().column(), transactions.amount().currencyColumn(),
                transactions.businessDate()));
        sql.put("payments_raw_load_history", d.loadHistory("raw", "payments"));
        sql.put("payments_raw_create", String.join(";\n", d.createRawTable("payments")));
        sql.put("payments_raw_insert", d.insertRaw("payments", 2));
        sql.put("transactions_period_clone", d.cloneTable("curated", "transactions", "closed", "transactions_202611"));
        return sql;
    }

    private static List<Rule> rules(String dataset, Rule.Layer layer) {
        return RULES.stream().filter(r -> r.dataset().equals(dataset) && r.layer() == layer && r.fusable()).toList();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("statements")
    void generatedSqlMatchesTheReviewedFile(String dialect, String name, String sql) throws IOException {
        Path file = GOLDEN.resolve(dialect).resolve(name + ".sql");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sql + "\n");
        }
        assertEquals(Files.readString(file).strip(), sql.strip(), "generated " + dialect + " SQL for " + name
                + " differs from " + file + "; if intended, regenerate with -Dgolden.update=true and review");
    }
}
