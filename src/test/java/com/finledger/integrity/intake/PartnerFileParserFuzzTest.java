package com.finledger.integrity.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.finledger.integrity.FuzzProperty;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Any bytes as a partner file, under the real contract and a few variants of it (another delimiter, a
 * single-byte encoding, no trailer, short lines): the parser answers with a result, never an exception;
 * a file with problems has at least one problem naming a line, and a valid file's row count is what the
 * trailer declared. The first input byte picks the contract variant, the rest is the file.
 * Seeds: src/test/resources/com/finledger/integrity/intake/PartnerFileParserFuzzTestInputs/anyFile/.
 */
class PartnerFileParserFuzzTest {

    private static final Catalog.Source NORTHBANK = CatalogLoader.load(Path.of("ingestion-config"))
            .source("northbank_partner");
    private static final Catalog.PartnerDrop DROP = NORTHBANK.partnerDrop().orElseThrow();
    private static final Catalog.Dataset LINES = NORTHBANK.datasets().get(0);
    private static final List<Catalog.PartnerDrop> VARIANTS = List.of(
            DROP,
            variant(";", DROP.encoding(), DROP.trailerMarker(), DROP.maxLineBytes()),
            variant(DROP.delimiter(), "ISO-8859-1", DROP.trailerMarker(), DROP.maxLineBytes()),
            variant(DROP.delimiter(), DROP.encoding(), Optional.empty(), DROP.maxLineBytes()),
            variant("\t", "UTF-16", DROP.trailerMarker(), 300),
            variant(DROP.delimiter(), DROP.encoding(), DROP.trailerMarker(), 64));

    private static Catalog.PartnerDrop variant(String delimiter, String encoding, Optional<String> trailer, int maxLine) {
        return new Catalog.PartnerDrop(DROP.dropPrefix(), DROP.filePattern(), delimiter, encoding, DROP.cutoff(),
                DROP.timeZone(), trailer, maxLine, DROP.businessDays(), DROP.holidays());
    }

    @FuzzTest(maxDuration = "60s")
    void anyFile(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Catalog.PartnerDrop drop = VARIANTS.get(Math.floorMod(input[0], VARIANTS.size()));
        byte[] file = Arrays.copyOfRange(input, 1, input.length);
        FuzzProperty.parsesOrRefuses(() -> {
            PartnerFileParser.Result result = parse(file, drop);
            assertEquals(file.length, result.bytes(), "every byte is read and hashed");
            if (!result.valid()) {
                assertTrue(result.summary().startsWith("line "), result.summary());
            } else if (drop.trailerMarker().isPresent()) {
                assertEquals(result.declared().rows(), result.rows(), "a valid file has the rows its trailer declares");
            }
            assertTrue(result.problems().size() <= PartnerFileParser.MAX_PROBLEMS);
        });
    }

    private static PartnerFileParser.Result parse(byte[] file, Catalog.PartnerDrop drop) throws IOException {
        return PartnerFileParser.parse(new ByteArrayInputStream(file), drop, LINES,
                Instant.parse("2026-12-02T06:30:00Z"), (line, record) -> {
                    if (record.size() != LINES.columns().size()) {
                        throw new AssertionError("line " + line + " loaded with " + record.size() + " fields");
                    }
                });
    }
}
