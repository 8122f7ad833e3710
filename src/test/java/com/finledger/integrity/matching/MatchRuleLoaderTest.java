package com.finledger.integrity.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped match rules load; a wrong one is refused with file:line and nothing of the set is taken. */
class MatchRuleLoaderTest {

    @TempDir
    Path dir;

    @Test
    void theShippedRulesLoad() {
        MatchRuleLoader.Result result = MatchRuleLoader.load(Path.of("rules/matching"), MatchSqlGoldenTest.CATALOG);
        assertEquals(List.of(), result.errors());
        assertEquals(List.of("payments_vs_alpha", "payments_vs_beta", "payments_vs_settlements", "refunds_vs_alpha",
                        "refunds_vs_beta", "settlements_vs_bank"), result.rules().stream().map(MatchRule::name).toList());
        MatchRule refunds = MatchSqlGoldenTest.rule("refunds_vs_beta");
        assertEquals(new MatchRule.BelongsTo("staging", "payments", "payment_id", "payment_id", Map.of("processor", "beta")),
                refunds.left().belongsTo().orElseThrow(), "only refunds of payments Beta captured");
        assertEquals(Map.of("status", "REFUNDED"), refunds.right().where());
        MatchRule bank = MatchSqlGoldenTest.rule("settlements_vs_bank");
        assertTrue(bank.right().amountDecimal(), "the bank's decimal amounts are read in minor units");
        assertTrue(bank.left().referenceIsUnique() && !bank.right().referenceIsUnique());
    }

    @Test
    void problemsAreReportedWithFileAndLineAndTheSetIsRefused() throws IOException {
        Files.copy(Path.of("rules/matching/payments_vs_settlements.yaml"), dir.resolve("payments_vs_settlements.yaml"));
        String broken = Files.readString(Path.of("rules/matching/settlements_vs_bank.yaml"))
                .replace("reference: settlement_reference", "reference: settlement_ref")
                .replace("window: P1D", "window: one day")
                .replace("    USD/EUR: 0.9200", "    USD-EUR: 0.9200")
                .replace("many: left ", "many: both ");
        Files.writeString(dir.resolve("settlements_vs_bank.yaml"), broken);

        MatchRuleLoader.Result result = MatchRuleLoader.load(dir, MatchSqlGoldenTest.CATALOG);

        assertEquals(List.of(), result.rules(), "a set with any problem is refused whole");
        List<String> lines = List.copyOf(Files.readAllLines(dir.resolve("settlements_vs_bank.yaml")));
        assertEquals(List.of(
                "matching/settlements_vs_bank.yaml:" + line(lines, "settlement_ref") + ": column 'settlement_ref' is not "
                        + "in the contract of 'bank_settlement_lines'",
                "matching/settlements_vs_bank.yaml:" + line(lines, "window: one day") + ": 'window' must be an ISO-8601 "
                        + "duration such as PT10M or P1D, not 'one day'",
                "matching/settlements_vs_bank.yaml:" + line(lines, "USD-EUR") + ": an fx rate is keyed FROM/TO in ISO "
                        + "currency codes (USD/EUR), not 'USD-EUR'",
                "matching/settlements_vs_bank.yaml:" + line(lines, "many: both") + ": 'many' is left or right, not 'both'"),
                result.errors());
    }

    @Test
    void aBelongsToNamingUnknownColumnsIsRefusedWithFileAndLine() throws IOException {
        String broken = Files.readString(Path.of("rules/matching/refunds_vs_alpha.yaml"))
                .replace("to: payment_id, where: { processor: alpha }", "to: payment_ref, where: { processor: alpha }")
                .replace("dataset: ledger_refunds", "dataset: ledger_refunds\n  # the next line names a column of payments only")
                .replace("belongs_to: { dataset: payments, column: payment_id", "belongs_to: { dataset: payments, column: merchant_id");
        Files.writeString(dir.resolve("refunds_vs_alpha.yaml"), broken);

        MatchRuleLoader.Result result = MatchRuleLoader.load(dir, MatchSqlGoldenTest.CATALOG);

        assertEquals(List.of(), result.rules());
        int line = line(List.copyOf(Files.readAllLines(dir.resolve("refunds_vs_alpha.yaml"))), "belongs_to:");
        assertEquals(List.of(
                "matching/refunds_vs_alpha.yaml:" + line + ": column 'merchant_id' is not in the contract of 'ledger_refunds'",
                "matching/refunds_vs_alpha.yaml:" + line + ": column 'payment_ref' is not in the contract of 'payments'"),
                result.errors());
    }

    private static int line(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in the file");
    }
}
