package com.finledger.integrity.matching;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.finledger.integrity.FuzzFolder;
import com.finledger.integrity.FuzzProperty;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Any bytes as one file of the real match rules: the loader answers with rules or with problems, each
 * {@code matching/file:line: what}, and never throws; a set with problems has no rules.
 * The first input byte picks the file, the rest is its content.
 * Seeds: src/test/resources/com/finledger/integrity/matching/MatchRuleLoaderFuzzTestInputs/anyMatchRuleFile/.
 */
class MatchRuleLoaderFuzzTest {

    private static final Catalog CATALOG = CatalogLoader.load(Path.of("ingestion-config"));
    private static final FuzzFolder MATCHING = new FuzzFolder(Path.of("rules/matching"), "matching-fuzz");

    static {
        MatchRuleLoader.load(MATCHING.root(), CATALOG); // warm: the time bound is for parsing, not class loading
    }

    @FuzzTest(maxDuration = "60s")
    void anyMatchRuleFile(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        Path file = MATCHING.yamlFiles().get(Math.floorMod(input[0], MATCHING.yamlFiles().size()));
        MATCHING.with(file, Arrays.copyOfRange(input, 1, input.length), () -> FuzzProperty.parsesOrRefuses(() -> {
            MatchRuleLoader.Result result = MatchRuleLoader.load(MATCHING.root(), CATALOG);
            assertTrue(result.errors().isEmpty() || result.rules().isEmpty(), "a set with problems is rejected whole");
            for (String error : result.errors()) {
                assertTrue(error.matches("(?s)matching/[^:]+\\.yaml:\\d+: .+"), "not file:line: what: " + error);
            }
        }));
    }
}
