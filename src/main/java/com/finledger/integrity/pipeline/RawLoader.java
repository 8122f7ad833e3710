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
import com.finledger.integrity.platform.Sql;
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
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Loads landed objects into RAW exactly as landed: one row per landed line, the record as JSON, plus
 * the landing metadata (operation, change sequence, commit time). Rows are keyed by object version
 * and line, and an object is marked loaded in the same transaction, so a crash or a second run never
 * loads a line twice.
 */
@ApplicationScoped
public class RawLoader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 5_000;

    @Inject
    ObjectStore objectStore;

    @Inject
    Clock clock;

    long loadPending(Connection c, Catalog catalog) throws SQLException {
        long rows = 0;
        for (LandedObjects.Landed landed : LandedObjects.notYetInRaw(c)) {
            Dataset dataset = catalog.dataset(landed.dataset());
            Source source = catalog.sourceOf(dataset);
            ensureTable(c, dataset);
            // Open the exact version that was recorded, even if a newer one has arrived since.
            StoredObject object = new StoredObject(landed.objectKey(), landed.versionId(), -1, "",
                    landed.arrivedAt(), java.util.Map.of());
            rows += load(c, source, dataset, landed, object);
            LandedObjects.markLoaded(c, landed.id(), clock.instant());
        }
        return rows;
    }

    void ensureTable(Connection c, Dataset dataset) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create schema if not exists raw");
            s.execute("create table if not exists " + Sql.qualified("raw", dataset.name()) + """
                     (
                        object_key     text        not null,
                        object_version text        not null,
                        line_no        integer     not null,
                        op             char(1)     not null,
                        change_seq     bigint,
                        commit_ts      timestamptz,
                        business_date  date        not null,
                        record         jsonb       not null,
                        loaded_at      timestamptz not null,
                        primary key (object_key, object_version, line_no)
                    )""");
        }
    }

    private long load(Connection c, Source source, Dataset dataset, LandedObjects.Landed landed, StoredObject object)
            throws SQLException {
        Instant loadedAt = clock.instant();
        try (PreparedStatement ps = c.prepareStatement("insert into " + Sql.qualified("raw", dataset.name())
                + " (object_key, object_version, line_no, op, change_seq, commit_ts, business_date, record, loaded_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) on conflict do nothing");
             Reader reader = open(source, object)) {
            RowSink sink = (lineNo, op, changeSeq, commitTs, record) -> {
                ps.setString(1, landed.objectKey());
                ps.setString(2, landed.versionId());
                ps.setInt(3, lineNo);
                ps.setString(4, op);
                if (changeSeq == null) {
                    ps.setNull(5, Types.BIGINT);
                } else {
                    ps.setLong(5, changeSeq);
                }
                ps.setTimestamp(6, commitTs == null ? null : Timestamp.from(commitTs));
                ps.setObject(7, landed.businessDate());
                ps.setString(8, record);
                ps.setTimestamp(9, Timestamp.from(loadedAt));
                ps.addBatch();
                if (lineNo % BATCH == 0) {
                    ps.executeBatch();
                }
            };
            long rows = switch (source.kind()) {
                case POSTGRES_CDC -> readDmsCsv(reader, dataset, landed.businessDate(), sink);
                case REST_API -> readNdjson(reader, dataset, sink);
                case PARTNER_FILES -> readPartnerCsv(reader, landed, sink, source.partnerDrop().orElseThrow());
            };
            ps.executeBatch();
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read landed object " + landed.objectKey(), e);
        }
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
