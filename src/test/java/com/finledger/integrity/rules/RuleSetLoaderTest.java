package com.finledger.integrity.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSetLoaderTest {

    private static final Catalog CATALOG = CatalogLoader.load(Path.of("ingestion-config"));

    @TempDir
    Path dir;

    @Test
    void theShippedRulesLoadAndCoverEveryRuleType() {
        RuleSetLoader.Result result = RuleSetLoader.load(Path.of("rules"), CATALOG);

        assertEquals(List.of(), result.errors());
        for (Rule.Type type : Rule.Type.values()) {
            assertTrue(result.rules().stream().anyMatch(r -> r.type() == type), "a rule of type " + type);
        }
        Rule unique = result.rules().stream().filter(r -> r.name().equals("payments_payment_id_unique")).findFirst()
                .orElseThrow();
        assertEquals(List.of("payment_id"), unique.columns());
        assertEquals("payments-platform", unique.owner());
    }

    @Test
    void everyMistakeIsReportedWithFileAndLine() throws IOException {
        Files.writeString(dir.resolve("payments.yaml"), """
                dataset: payments
                owner: payments-platform
                rules:
                  - name: amount_ok
                    type: range
                    column: amount
                    severity: block
                    description: wrong column and no bounds
                  - name: currency_ok
                    type: accepted_values
                    column: currency
                    severity: fatal
                    description: unknown severity
                  - name: refs
                    type: relationships
                    column: merchant_id
                    to: merchants.merchant_id
                    severity: warn
                    description: unknown parent
                  - name: custom
                    type: custom_sql
                    severity: block
                    description: no partition filter
                    sql: select payment_id as row_key from staging.payments
                """);
        Files.writeString(dir.resolve("nobody.yaml"), "dataset: nobody\nowner: x\nrules: []\n");

        RuleSetLoader.Result result = RuleSetLoader.load(dir, CATALOG);

        assertEquals(List.of(
                "nobody.yaml:1: dataset 'nobody' is not in the catalog",
                "payments.yaml:6: column 'amount' is not in the contract of 'payments'",
                "payments.yaml:4: range rule 'amount_ok' needs 'min' or 'max'",
                "payments.yaml:12: 'severity' must be one of block, warn, not 'fatal'",
                "payments.yaml:17: 'to' must name a source dataset and column as <dataset>.<column>, not "
                        + "'merchants.merchant_id'",
                "payments.yaml:24: custom_sql must filter on :business_date (the partition)"), result.errors());
        assertEquals(List.of(), result.rules(), "a set with problems is rejected whole");
    }
}
