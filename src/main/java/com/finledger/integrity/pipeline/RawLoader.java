package com.finledger.integrity.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.intake.ObjectStore;
import com.finledger.integrity.intake.PartnerFileParser;
import com.finledger.integrity.intake.ObjectStore.StoredObject;
import com.finledger.integrity.warehouse.Warehouse;
import com.finledger.integrity.warehouse.WarehouseDialect;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads landed objects into RAW exactly as landed: one row per landed line, the record as JSON, plus
 * the landing metadata (operation, change sequence, commit time). RAW is in the warehouse, through its
 * port; rows are keyed by object version and line, and the warehouse skips a line it already holds,
 * so a crash or a second run never loads a line twice.
 */
@ApplicationScoped
public class RawLoader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 5_000;  // rows per warehouse round trip (a JDBC batch)

    @Inject
    ObjectStore objectStore;

    @Inject
    Clock clock;

    @Inject
    Warehouse warehouse;

    RawLoader() {
    }

    /** Outside CDI (tests). */
    RawLoader(ObjectStore objectStore, Clock clock, Warehouse warehouse) {
        this.objectStore = objectStore;
        this.clock = clock;
        this.warehouse = warehouse;
    }

    /**
     * Loads every landed object not yet in RAW. The rows go to the warehouse, the bookkeeping to the
     * landing ledger on {@code c}: RAW is committed before the object is marked loaded, and a crash in
     * between only makes the next run insert the same lines again, which the warehouse skips.
     */
    long loadPending(Connection c, Catalog catalog) throws SQLException {
        long rows = 0;
        for (LandedObjects.Landed landed : LandedObjects.notYetInRaw(c)) {
            Dataset dataset = catalog.dataset(landed.dataset());
            Source source = catalog.sourceOf(dataset);
            ensureTable(dataset);
            rows += load(source, dataset, landed);
            LandedObjects.markLoaded(c, landed.id(), clock.instant());
        }
        return rows;
    }

    void ensureTable(Dataset dataset) {
        warehouse.ensureRawTable(dataset.name());
    }

    /** Reads one landed object and inserts its lines into RAW; returns the lines read. */
    long load(Source source, Dataset dataset, LandedObjects.Landed landed) {
        // Open the exact version that was recorded, even if a newer one has arrived since.
        StoredObject object = new StoredObject(landed.objectKey(), landed.versionId(), -1, "", landed.arrivedAt(),
                java.util.Map.of());
        Timestamp loadedAt = Timestamp.from(clock.instant());
        List<List<Object>> pending = new ArrayList<>(BATCH);
        try (Reader reader = open(source, object)) {
            RowSink sink = (lineNo, op, changeSeq, commitTs, record) -> {
                pending.add(Arrays.asList(landed.objectKey(), landed.versionId(), lineNo, op, changeSeq,
                        commitTs == null ? null : Timestamp.from(commitTs), landed.businessDate(), record, loadedAt));
                if (pending.size() == BATCH) {
                    insert(dataset, pending);
                    pending.clear();
                }
            };
            long rows = switch (source.kind()) {
                case POSTGRES_CDC -> readDmsCsv(reader, dataset, landed.businessDate(), sink);
                case REST_API -> readNdjson(reader, dataset, sink);
                case PARTNER_FILES -> readPartnerCsv(reader, landed, sink, source.partnerDrop().orElseThrow());
            };
            insert(dataset, pending);
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read landed object " + landed.objectKey(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read landed object " + landed.objectKey() + ": " + e.getMessage(), e);
        }
    }

    /** Full statements of the dialect's size share one batch; the rest goes in one shorter statement. */
    private void insert(Dataset dataset, List<List<Object>> rows) {
        int per = warehouse.dialect().rawRowsPerStatement();
        int full = rows.size() / per * per;
        if (full > 0) {
            warehouse.insertBatch(warehouse.dialect().insertRaw(dataset.name(), per), statements(rows.subList(0, full), per));
        }
        if (full < rows.size()) {
            int rest = rows.size() - full;
            warehouse.insertBatch(warehouse.dialect().insertRaw(dataset.name(), rest),
                    statements(rows.subList(full, rows.size()), rest));
        }
    }

    /** Groups rows into the parameter lists of statements of {@code per} rows each. */
    private static List<List<Object>> statements(List<List<Object>> rows, int per) {
        List<List<Object>> statements = new ArrayList<>(rows.size() / per);
        for (int from = 0; from < rows.size(); from += per) {
            List<Object> parameters = new ArrayList<>(per * WarehouseDialect.RAW_COLUMNS.size());
            rows.subList(from, from + per).forEach(parameters::addAll);
            statements.add(parameters);
        }
        return statements;
    }

    @FunctionalInterface
    private interface RowSink {
        void accept(int lineNo, String op, Long changeSeq, Instant commitTs, String record) throws SQLException;
    }

    private Reader open(Source source, StoredObject object) {
        Charset charset = source.partnerDrop().map(d -> Charset.forName(d.encoding())).orElse(StandardCharsets.UTF_8);
        return new BufferedReader(new InputStreamReader(objectStore.open(object), charset));
    }

    /** A DMS change file's lines of one business date (a file may hold several; each is recorded per date). */
    private static long readDmsCsv(Reader reader, Dataset dataset, java.time.LocalDate date, RowSink sink)
            throws SQLException, IOException {
        String day = date.toString();
        long[] rows = new long[1];
        LandedCsv.read(reader, ',', java.util.Optional.empty(), (lineNo, record) -> {
            if (!day.equals(record.get(dataset.businessDate()))) {
                return;
            }
            ObjectNode json = JSON.createObjectNode();
            record.forEach((field, value) -> {
                if (!LocalDms.DMS_COLUMNS.contains(field)) {
                    json.put(field, value == null || value.isEmpty() ? null : value); // DMS writes null as ""
                }
            });
            sink.accept(lineNo, record.get("Op"), Long.parseLong(record.get("change_seq")),
                    Instant.parse(record.get("commit_ts")), json.toString());
            rows[0]++;
        });
        return rows[0];
    }

    private static long readNdjson(Reader reader, Dataset dataset, RowSink sink) throws SQLException, IOException {
        BufferedReader lines = (BufferedReader) reader;
        int lineNo = 0;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            lineNo++;
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("line " + lineNo + " is not JSON: " + e.getOriginalMessage(), e);
            }
            sink.accept(lineNo, "U", changeSequence(node.path(dataset.changeSequence()).asText(null)), null, line);
        }
        return lineNo;
    }

    /** An API record's change timestamp as epoch microseconds; absent or unreadable stays null in RAW. */
    static Long changeSequence(String timestamp) {
        return com.finledger.integrity.controls.Timestamps.epochMicros(timestamp);
    }

    /** A partner file the intake accepted: its data lines, without the trailer record. */
    private static long readPartnerCsv(Reader reader, LandedObjects.Landed landed, RowSink sink,
                                       Catalog.PartnerDrop drop) throws SQLException, IOException {
        return LandedCsv.read(reader, drop.delimiter().charAt(0), drop.trailerMarker(), (lineNo, record) -> {
            ObjectNode json = JSON.createObjectNode();
            record.forEach(json::put);
            sink.accept(lineNo, "I", PartnerFileParser.changeSequence(landed.arrivedAt(), lineNo), null,
                    json.toString());
        });
    }
}
