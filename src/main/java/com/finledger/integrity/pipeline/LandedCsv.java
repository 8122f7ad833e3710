package com.finledger.integrity.pipeline;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.Reader;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading a landed CSV file (DMS change file or partner report): a header line, then one record per data line, fields by header name. */
final class LandedCsv {

    @FunctionalInterface
    interface LineHandler {
        void accept(int lineNo, Map<String, String> record) throws SQLException;
    }

    private LandedCsv() {
    }

    /** Reads the data lines; a line whose first field is the trailer marker (a partner's totals) is not data. */
    static int read(Reader reader, char delimiter, Optional<String> trailerMarker, LineHandler handler)
            throws IOException, SQLException {
        try (CsvReader<CsvRecord> csv = CsvReader.builder().fieldSeparator(delimiter).allowMissingFields(trailerMarker.isPresent())
                .ofCsvRecord(reader)) {
            List<String> header = null;
            int lineNo = 0;
            for (CsvRecord line : csv) {
                if (header == null) {
                    header = line.getFields();
                    continue;
                }
                if (trailerMarker.isPresent() && line.getFieldCount() > 0
                        && line.getField(0).equals(trailerMarker.get())) {
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
