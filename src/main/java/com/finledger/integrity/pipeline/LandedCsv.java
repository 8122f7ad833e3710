package com.finledger.integrity.pipeline;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.Reader;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading a landed CSV file (DMS change file or partner report): a header line, then one record per data line, fields by header name. */
final class LandedCsv {

    @FunctionalInterface
    interface LineHandler {
        void accept(int lineNo, Map<String, String> record) throws SQLException;
    }

    private LandedCsv() {
    }

    /** Later files supersede earlier ones for the same line reference: arrival order, then line. */
    static long changeSequence(Instant arrivedAt, int lineNo) {
        return arrivedAt.toEpochMilli() * 1_000_000L + lineNo;
    }

    static int read(Reader reader, char delimiter, LineHandler handler) throws IOException, SQLException {
        try (CsvReader<CsvRecord> csv = CsvReader.builder().fieldSeparator(delimiter).ofCsvRecord(reader)) {
            List<String> header = null;
            int lineNo = 0;
            for (CsvRecord line : csv) {
                if (header == null) {
                    header = line.getFields();
                    continue;
                }
                lineNo++;
                Map<String, String> record = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    record.put(header.get(i), i < line.getFieldCount() ? line.getField(i) : null);
                }
                handler.accept(lineNo, record);
            }
            return lineNo;
        }
    }
}
