package com.finledger.integrity.pipeline;

import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.pci.PanTokenizer;
import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Writing landing files: CSV with a header, and PCI columns tokenized before anything is stored. */
final class LandingFiles {

    private LandingFiles() {
    }

    static byte[] csv(List<String> header, List<List<String>> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CsvWriter writer = CsvWriter.builder().build(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            writer.writeRecord(header);
            for (List<String> row : rows) {
                writer.writeRecord(row);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Replaces every PCI column's value with its token, in place. */
    static void tokenize(Dataset dataset, Map<String, Object> record, PanTokenizer tokenizer) {
        for (var column : dataset.pciColumns()) {
            Object value = record.get(column.name());
            if (value != null) {
                record.put(column.name(), tokenizer.tokenize(value.toString()));
            }
        }
    }
}
