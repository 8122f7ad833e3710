package com.finledger.integrity.catalog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.finledger.integrity.FuzzFolder;
import com.finledger.integrity.FuzzProperty;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Any bytes as one file of the real catalog (layers.yaml, curated.yaml or a source): the loader gives a
 * catalog or a {@link CatalogException} whose every problem says {@code file:line: what}, never another
 * exception. The first input byte picks the file, the rest is its content.
 * Seeds: src/test/resources/com/finledger/integrity/catalog/CatalogLoaderFuzzTestInputs/anyCatalogFile/.
 */
class CatalogLoaderFuzzTest {

    private static final FuzzFolder CATALOG = new FuzzFolder(Path.of("ingestion-config"), "catalog-fuzz");

    static {
        CatalogLoader.load(CATALOG.root()); // warm: the time bound is for parsing, not class loading
    }

    @FuzzTest(maxDuration = "60s")
    void anyCatalogFile(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        Path file = CATALOG.yamlFiles().get(Math.floorMod(input[0], CATALOG.yamlFiles().size()));
        CATALOG.with(file, Arrays.copyOfRange(input, 1, input.length), () -> FuzzProperty.parsesOrRefuses(() -> {
            try {
                CatalogLoader.load(CATALOG.root());
            } catch (CatalogException e) {
                for (String error : e.errors()) {
                    assertTrue(error.matches("(?s)[^:]+\\.yaml:\\d+: .+|sources/:\\d+: .+"), "not file:line: what: " + error);
                }
                throw e;
            }
        }, CatalogException.class));
    }
}
