package com.finledger.integrity.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogLoader;
import com.finledger.integrity.warehouse.PostgresDialect;
import com.finledger.integrity.warehouse.SnowflakeDialect;
import com.finledger.integrity.warehouse.WarehouseDialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The matching SQL per dialect against reviewed files in src/test/resources/golden/{dialect}/matching_*.sql;
 * regenerate with {@code -Dgolden.update=true} and review the diff. The same statements run on PostgreSQL
 * and on the Snowflake emulator in MatchingOnBothWarehousesTest.
 */
class MatchSqlGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final Catalog CATALOG = CatalogLoader.load(Path.of("ingestion-config"));
    static final List<MatchRule> RULES = MatchRuleLoader.load(Path.of("rules/matching"), CATALOG).rules();

    static MatchRule rule(String name) {
        return RULES.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    static Stream<Arguments> statements() {
        List<Arguments> all = new ArrayList<>();
        for (WarehouseDialect d : List.of(PostgresDialect.INSTANCE, SnowflakeDialect.INSTANCE)) {
            statements(d).forEach((name, sql) -> all.add(Arguments.of(d.name(), name, sql)));
        }
        return all.stream();
    }

    static Map<String, String> statements(WarehouseDialect d) {
        MatchSql sql = new MatchSql(d);
        Map<String, String> out = new LinkedHashMap<>();
        MatchRule bank = rule("settlements_vs_bank");
        MatchScope date = MatchScope.businessDate(LocalDate.of(2026, 11, 2));
        out.put("matching_work_table", String.join(";\n", sql.createWorkTable()));
        out.put("matching_settlements_vs_bank_exact_reference", sql.exactReference(bank, date, 42).sql());
        out.put("matching_settlements_vs_bank_own_count", sql.ownCount(bank.right(), date).sql());
        for (MatchRule.Strategy s : bank.strategies()) {
            if (s.type() != MatchRule.StrategyType.EXACT_REFERENCE) {
                out.put("matching_settlements_vs_bank_" + s.slug(), sql.strategy(bank, s, 42).sql());
            }
        }
        out.put("matching_settlements_vs_bank_residue", sql.residue(bank, 42));
        MatchRule alpha = rule("payments_vs_alpha");
        out.put("matching_payments_vs_alpha_window_exact_reference", sql.exactReference(alpha,
                MatchScope.window(Instant.parse("2026-11-02T10:15:00Z")), 43).sql());
        MatchRule refunds = rule("refunds_vs_alpha");
        out.put("matching_refunds_vs_alpha_window_exact_reference", sql.exactReference(refunds,
                MatchScope.window(Instant.parse("2026-11-02T10:15:00Z")), 44).sql());
        out.put("matching_refunds_vs_alpha_own_count", sql.ownCount(refunds.left(),
                MatchScope.window(Instant.parse("2026-11-02T10:15:00Z"))).sql());
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("statements")
    void generatedSqlMatchesTheReviewedFile(String dialect, String name, String sql) throws IOException {
        Path file = GOLDEN.resolve(dialect).resolve(name + ".sql");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sql + "\n");
        }
        assertTrue(Files.exists(file), "no reviewed file " + file + "; run with -Dgolden.update=true and review it");
        assertEquals(Files.readString(file), sql + "\n", dialect + " " + name);
    }
}
