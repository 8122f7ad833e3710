package com.finledger.integrity.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.finledger.integrity.FuzzFolder;
import com.finledger.integrity.FuzzProperty;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Any bytes as one file of the real rule set: the loader answers with rules or with problems, each
 * {@code file:line: what}, and never throws; a set with problems has no rules (rejected whole).
 * The first input byte picks the file, the rest is its content.
 * Seeds: src/test/resources/com/finledger/integrity/rules/RuleSetLoaderFuzzTestInputs/anyRuleFile/.
 */
class RuleSetLoaderFuzzTest {

    private static final Catalog CATALOG = CatalogLoader.load(Path.of("ingestion-config"));
    private static final FuzzFolder RULES = new FuzzFolder(Path.of("rules"), "rules-fuzz");

    static {
        RuleSetLoader.load(RULES.root(), CATALOG); // warm: the time bound is for parsing, not class loading
    }

    @FuzzTest(maxDuration = "60s")
    void anyRuleFile(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        var files = RULES.yamlFiles().stream().filter(p -> p.getParent().equals(RULES.root())).toList();
        Path file = files.get(Math.floorMod(input[0], files.size()));
        RULES.with(file, Arrays.copyOfRange(input, 1, input.length), () -> FuzzProperty.parsesOrRefuses(() -> {
            RuleSetLoader.Result result = RuleSetLoader.load(RULES.root(), CATALOG);
            assertTrue(result.errors().isEmpty() || result.rules().isEmpty(), "a set with problems is rejected whole");
            for (String error : result.errors()) {
                assertTrue(error.matches("(?s)[^:]+\\.yaml:\\d+: .+"), "not file:line: what: " + error);
            }
        }));
    }
}
