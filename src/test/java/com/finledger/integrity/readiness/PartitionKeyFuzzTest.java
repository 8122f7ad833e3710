package com.finledger.integrity.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.finledger.integrity.FuzzProperty;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogLoader;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Any dataset name and partition key, as they arrive in a readiness, override, quarantine or task-run URL:
 * the parser answers with the business date, or refuses with an IllegalArgumentException (a 400) or a
 * NoSuchElementException (a 404), each saying why. What it accepts is a date or a window start of that
 * dataset, and the date it answers is the key's own.
 * Seeds: src/test/resources/com/finledger/integrity/readiness/PartitionKeyFuzzTestInputs/anyKey/.
 */
class PartitionKeyFuzzTest {

    private static final Catalog CATALOG = CatalogLoader.load(Path.of("ingestion-config"));
    private static final List<String> DATASETS = new ArrayList<>();

    static {
        CATALOG.datasets().forEach(d -> DATASETS.add(d.name()));
        CATALOG.curated().forEach(c -> DATASETS.add(c.name()));
    }

    @FuzzTest(maxDuration = "60s")
    void anyKey(FuzzedDataProvider data) {
        int pick = data.consumeInt(0, DATASETS.size());
        String dataset = pick < DATASETS.size() ? DATASETS.get(pick) : data.consumeString(40);
        String partition = data.consumeRemainingAsString();
        FuzzProperty.parsesOrRefuses(() -> {
            LocalDate date = ReadinessResource.requireKnown(CATALOG, dataset, partition);
            assertTrue(DATASETS.contains(dataset), "only a dataset of the catalog has partitions");
            assertTrue(partition.equals(date.toString()) || partition.startsWith(date + "T"),
                    "the business date of '" + partition + "' is its own, not " + date);
            if (partition.contains("T")) {
                assertEquals(16 + 1, partition.length(), "a window key is yyyy-MM-ddTHH:mmZ: " + partition);
            }
        }, IllegalArgumentException.class, NoSuchElementException.class);
    }
}
