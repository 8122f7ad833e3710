package com.finledger.integrity.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Northbank's contract against every way a bank file goes wrong: each bad file gets its reason with
 * line and column, and a good one its totals and the partner's declared totals, checked.
 */
class PartnerFileParserTest {

    private static final Catalog CATALOG = CatalogLoader.load(Path.of("ingestion-config"));
    private static final Catalog.Source NORTHBANK = CATALOG.source("northbank_partner");
    private static final Catalog.PartnerDrop DROP = NORTHBANK.partnerDrop().orElseThrow();
    private static final Catalog.Dataset LINES = NORTHBANK.datasets().get(0);
    static final String HEADER = "line_reference,settlement_reference,value_date,amount,currency,account\n";
    static final String LINE_1 = "NB-1,SET-1,2026-12-01,12.50,EUR,NB-EUR-001\n";
    static final String LINE_2 = "NB-2,SET-2,2026-12-01,7.25,GBP,NB-GBP-001\n";
    static final String GOOD = HEADER + LINE_1 + LINE_2 + "TRAILER,2,EUR=12.50;GBP=7.25\n";

    private static PartnerFileParser.Result parse(byte[] bytes) throws IOException {
        return PartnerFileParser.parse(new ByteArrayInputStream(bytes), DROP, LINES,
                Instant.parse("2026-12-02T06:30:00Z"), null);
    }

    private static PartnerFileParser.Result parse(String text) throws IOException {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String problems(PartnerFileParser.Result r) {
        return String.join(" | ", r.problems().stream().map(Object::toString).toList());
    }

    @Test
    void aGoodFileHasItsTotalsAndTheDeclaredOnesAgree() throws IOException {
        PartnerFileParser.Result r = parse(GOOD);

        assertTrue(r.valid(), problems(r));
        assertEquals(2, r.rows());
        assertEquals(Map.of("EUR", new BigDecimal("1250"), "GBP", new BigDecimal("725")), r.totals().amounts().asMap());
        assertEquals(new PartnerFileParser.Declared(2, Map.of("EUR", new BigDecimal("12.5"), "GBP",
                new BigDecimal("7.25"))), r.declared());
        assertEquals(64, r.sha256().length());
    }

    @Test
    void aTruncatedFileIsIncomplete() throws IOException {
        String truncated = GOOD.substring(0, GOOD.indexOf("NB-2") + 10);

        assertEquals("line 3: the last line has no line end: the file is truncated | line 2: no trailer record "
                + "('TRAILER,…'): the file is incomplete", problems(parse(truncated)));
    }

    @Test
    void aWrongDelimiterIsNamed() throws IOException {
        String semicolons = GOOD.replace(',', ';').replace("TRAILER;2;EUR=12.50;GBP=7.25", "TRAILER,2,EUR=12.50;GBP=7.25");

        assertTrue(problems(parse(semicolons)).startsWith("line 1: the header has one field; the file seems "
                + "delimited by ';', the contract says ','"), problems(parse(semicolons)));
    }

    @Test
    void badUtf8IsFoundWithItsPosition() throws IOException {
        byte[] bytes = GOOD.getBytes(StandardCharsets.UTF_8);
        int at = GOOD.indexOf("SET-2");
        bytes[at] = (byte) 0xC3;
        bytes[at + 1] = (byte) 0x28;

        assertTrue(problems(parse(bytes)).startsWith("line 3, column 6: not valid UTF-8 (byte 6 of the line)"),
                problems(parse(bytes)));
    }

    @Test
    void extraAndMissingColumnsAreNamed() throws IOException {
        assertEquals("line 1: header does not match the contract: missing [account] unexpected [iban]",
                problems(parse(GOOD.replace(",account\n", ",iban\n"))).split(" \\| ")[0]);
        assertTrue(problems(parse(HEADER + "NB-1,SET-1,2026-12-01,12.50,EUR\nTRAILER,1,EUR=12.50\n"))
                .startsWith("line 2: 5 fields, the header has 6"));
    }

    @Test
    void wrongTypesAreNamedByColumn() throws IOException {
        assertEquals("line 2, column 4: amount '12,50' is not a decimal number",
                problems(parse(GOOD.replace("2026-12-01,12.50,", "2026-12-01,\"12,50\","))).split(" \\| ")[0]);
        assertEquals("line 3, column 3: value_date '01/12/2026' is not a date (YYYY-MM-DD)",
                problems(parse(GOOD.replace("SET-2,2026-12-01", "SET-2,01/12/2026"))).split(" \\| ")[0]);
    }

    @Test
    void aTrailerThatDisagreesIsAMismatch() throws IOException {
        assertEquals("line 4, column 2: trailer declares 3 lines, the file has 2",
                problems(parse(GOOD.replace("TRAILER,2,", "TRAILER,3,"))));
        assertEquals("line 4, column 3: trailer declares totals {EUR=12.51, GBP=7.25}, the lines add up to "
                + "{EUR=12.5, GBP=7.25}", problems(parse(GOOD.replace("EUR=12.50", "EUR=12.51"))));
        assertEquals("line 5: data after the trailer record", problems(parse(GOOD + LINE_1)).split(" \\| ")[0]);
    }

    @Test
    void anEmptyFileIsRefused() throws IOException {
        assertEquals("line 0: the file is empty (0 bytes)", problems(parse(new byte[0])));
    }

    @Test
    void aHugeLineIsRefusedWithoutReadingItIntoMemory() throws IOException {
        String huge = HEADER + "NB-1,SET-1,2026-12-01,12.50,EUR," + "X".repeat(10_000_000) + "\n" + LINE_2
                + "TRAILER,2,EUR=12.50;GBP=7.25\n";

        PartnerFileParser.Result r = parse(huge);

        assertEquals("line 2: line is longer than 4096 bytes", r.problems().get(0).toString());
    }

    @Test
    void problemsAreCappedButCounted() throws IOException {
        StringBuilder many = new StringBuilder(HEADER);
        for (int i = 0; i < 150; i++) {
            many.append("NB-").append(i).append(",SET,2026-12-01,oops,EUR,A\n");
        }
        PartnerFileParser.Result r = parse(many + "TRAILER,150,\n");

        assertEquals(PartnerFileParser.MAX_PROBLEMS, r.problems().size());
        assertTrue(r.moreProblems() >= 50, "" + r.moreProblems());
        assertTrue(r.summary().startsWith("line 2, column 4: amount 'oops' is not a decimal number (and "), r.summary());
    }

    @Test
    void quotedFieldsAndWindowsLineEndsAreRead() throws IOException {
        String crlf = (HEADER + "NB-1,\"SET-1, part \"\"a\"\"\",2026-12-01,12.50,EUR,NB-EUR-001\n"
                + "TRAILER,1,EUR=12.50\n").replace("\n", "\r\n");
        List<Map<String, String>> lines = new java.util.ArrayList<>();

        PartnerFileParser.Result r = PartnerFileParser.parse(new ByteArrayInputStream(crlf.getBytes(
                StandardCharsets.UTF_8)), DROP, LINES, Instant.EPOCH, (n, record) -> lines.add(record));

        assertTrue(r.valid(), problems(r));
        assertEquals("SET-1, part \"a\"", lines.get(0).get("settlement_reference"));
    }
}
