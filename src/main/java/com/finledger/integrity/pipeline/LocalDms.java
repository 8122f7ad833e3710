package com.finledger.integrity.pipeline;

import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.controls.RowTotals;
import com.finledger.integrity.demo.DemoScript;
import com.finledger.integrity.demo.DemoSources;
import com.finledger.integrity.intake.ObjectStore;
import com.finledger.integrity.intake.ObjectStore.StoredObject;
import com.finledger.integrity.pci.PanTokenizer;
import com.finledger.integrity.platform.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plays AWS DMS on this machine: reads each ledger's change log past its checkpoint and lands the
 * changes as DMS-style CSV files ({@code Op}, {@code commit_ts}, {@code change_seq}, then the row),
 * one file per business date and range of change sequence numbers. Keys derive from the range, so a
 * retried landing rewrites the same objects and records nothing new.
 */
@ApplicationScoped
public class LocalDms {

    static final int MAX_ROWS_PER_FILE = 100_000;
    static final List<String> DMS_COLUMNS = List.of("Op", "commit_ts", "change_seq");

    @Inject
    ObjectStore objectStore;

    @Inject
    PanTokenizer tokenizer;

    @Inject
    DemoScript script;

    @Inject
    DemoSources sources;

    @Inject
    Clock clock;

    /**
     * Lands new changes of one dataset; returns the number of objects newly recorded. The change log
     * is read from the ledger's own database; landings, checkpoint and DMS's counters and events are
     * recorded through {@code c}, the application's connection.
     */
    int land(Connection c, Source source, Dataset dataset) throws SQLException {
        if (!running(c, source)) {
            return 0;   // a stopped or failed task lands nothing until it is started again (recovery console)
        }
        if (sources.inApplicationDatabase(source)) {
            return land(c, c, source, dataset);
        }
        try (Connection ledger = sources.of(source).getConnection()) {
            // a transaction, so the fetch size streams through a cursor; DMS only ever reads the ledger
            ledger.setAutoCommit(false);
            ledger.setReadOnly(true);
            try {
                return land(c, ledger, source, dataset);
            } finally {
                ledger.rollback();
            }
        }
    }

    private int land(Connection c, Connection ledger, Source source, Dataset dataset) throws SQLException {
        long checkpoint = checkpoint(c, dataset.name());
        int landed = 0;
        List<Change> batch = new ArrayList<>();
        long last = checkpoint;
        String changes = Sql.qualified(source.schema(), dataset.table() + "_changes");
        var skipped = script.dmsSkippedRange(dataset.name());
        try (PreparedStatement ps = ledger.prepareStatement(
                "select * from " + changes + " where change_seq > ? order by change_seq")) {
            ps.setLong(1, checkpoint);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong("change_seq");
                    last = seq;
                    if (skipped.isPresent() && seq >= skipped.get()[0] && seq <= skipped.get()[1]) {
                        if (seq == skipped.get()[1]) {
                            event(c, source, rs.getTimestamp("commit_ts").toInstant(), "Replication task started with "
                                    + "a CDC start position later than its recovery checkpoint", "state change");
                        }
                        continue;
                    }
                    batch.add(read(rs, dataset));
                    if (batch.size() == MAX_ROWS_PER_FILE) {
                        landed += write(c, source, dataset, batch, "");
                        batch.clear();
                    }
                }
            }
        }
        landed += write(c, source, dataset, batch, "");
        if (last > checkpoint) {
            saveCheckpoint(c, dataset.name(), last);
        }
        long landedUpTo = last;
        var replay = script.dmsRestartReplay(dataset.name()).filter(range -> range[1] <= landedUpTo);
        if (replay.isPresent()) {
            List<Change> resent = range(ledger, changes, dataset, replay.get()[0], replay.get()[1]);
            int replayed = write(c, source, dataset, resent, "-restart");
            if (replayed > 0) {
                event(c, source, resent.get(resent.size() - 1).commitTs(), "Replication task restarted from its "
                        + "recovery checkpoint; changes " + replay.get()[0] + " to " + replay.get()[1] + " of "
                        + dataset.table() + " sent again", "failure");
            }
            landed += replayed;
        }
        return landed;
    }

    private record Change(long seq, String op, Instant commitTs, LocalDate businessDate, Map<String, Object> row) {
    }

    private Change read(ResultSet rs, Dataset dataset) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (var column : dataset.columns()) {
            Object value = rs.getObject(column.name());
            row.put(column.name(), value instanceof Timestamp ts ? ts.toInstant().toString()
                    : value == null ? null : value.toString());
        }
        LandingFiles.tokenize(dataset, row, tokenizer);
        return new Change(rs.getLong("change_seq"), rs.getString("op"), rs.getTimestamp("commit_ts").toInstant(),
                rs.getObject(dataset.businessDate(), LocalDate.class), row);
    }

    private List<Change> range(Connection ledger, String changes, Dataset dataset, long from, long to)
            throws SQLException {
        List<Change> replayed = new ArrayList<>();
        try (PreparedStatement ps = ledger.prepareStatement(
                "select * from " + changes + " where change_seq between ? and ? order by change_seq")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    replayed.add(read(rs, dataset));
                }
            }
        }
        return replayed;
    }

    private int write(Connection c, Source source, Dataset dataset, List<Change> changes, String suffix)
            throws SQLException {
        Map<LocalDate, List<Change>> byDate = new TreeMap<>();
        for (Change change : changes) {
            byDate.computeIfAbsent(change.businessDate(), d -> new ArrayList<>()).add(change);
        }
        int recorded = 0;
        for (var entry : byDate.entrySet()) {
            List<Change> part = entry.getValue();
            List<String> header = new ArrayList<>(DMS_COLUMNS);
            dataset.columns().forEach(col -> header.add(col.name()));
            List<List<String>> rows = new ArrayList<>(part.size());
            RowTotals totals = RowTotals.of(dataset);
            for (Change change : part) {
                totals.add(dataset, change.row(), Long.toString(change.seq()));
                List<String> row = new ArrayList<>(header.size());
                row.add(change.op());
                row.add(change.commitTs().toString());
                row.add(Long.toString(change.seq()));
                change.row().values().forEach(v -> row.add(v == null ? "" : v.toString()));
                rows.add(row);
            }
            String key = String.format("landing/%s/%s/business_date=%s/changes-%012d-%012d%s.csv", source.name(),
                    dataset.table(), entry.getKey(), part.get(0).seq(), part.get(part.size() - 1).seq(), suffix);
            Instant arrived = part.get(part.size() - 1).commitTs();
            StoredObject object = objectStore.put(key, LandingFiles.csv(header, rows), arrived,
                    Map.of("source", source.name(), "dataset", dataset.name()));
            if (LandedObjects.record(c, dataset.name(), entry.getKey(), object, totals, clock.instant())) {
                recorded++;
                count(c, source, dataset, part);
            }
        }
        return recorded;
    }

    /** DMS's own table statistics: every change it delivered, replays included, counted by kind. */
    private void count(Connection c, Source source, Dataset dataset, List<Change> changes) throws SQLException {
        long inserts = changes.stream().filter(ch -> ch.op().equals("I")).count();
        long deletes = changes.stream().filter(ch -> ch.op().equals("D")).count();
        long updates = changes.size() - inserts - deletes;
        try (PreparedStatement ps = c.prepareStatement("""
                insert into local_dms_table_stats (task_identifier, schema_name, table_name, inserts, updates, deletes,
                                                   last_update_time)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (task_identifier, schema_name, table_name) do update
                set inserts = local_dms_table_stats.inserts + excluded.inserts,
                    updates = local_dms_table_stats.updates + excluded.updates,
                    deletes = local_dms_table_stats.deletes + excluded.deletes,
                    last_update_time = excluded.last_update_time""")) {
            ps.setString(1, source.dmsTask().orElseThrow());
            ps.setString(2, source.schema());
            ps.setString(3, dataset.table());
            ps.setLong(4, inserts);
            ps.setLong(5, updates);
            ps.setLong(6, deletes);
            ps.setTimestamp(7, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        }
    }

    private static void event(Connection c, Source source, Instant at, String message, String category)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into local_dms_event (task_identifier, occurred_at, message, categories) values (?, ?, ?, ?)
                on conflict do nothing""")) {
            ps.setString(1, source.dmsTask().orElseThrow());
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, message);
            ps.setString(4, category);
            ps.executeUpdate();
        }
    }

    /** The stand-in's task state (recovery/): a task without a row in {@code local_dms_task} is running. */
    static boolean running(Connection c, Source source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select status from local_dms_task where task_identifier = ?")) {
            ps.setString(1, source.dmsTask().orElseThrow());
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next() || rs.getString(1).equals("running");
            }
        }
    }

    private static long checkpoint(Connection c, String dataset) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select last_change_seq from cdc_checkpoint where dataset = ? for update")) {
            ps.setString(1, dataset);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    private void saveCheckpoint(Connection c, String dataset, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into cdc_checkpoint (dataset, last_change_seq, updated_at) values (?, ?, ?)
                on conflict (dataset) do update set last_change_seq = excluded.last_change_seq,
                                                    updated_at = excluded.updated_at""")) {
            ps.setString(1, dataset);
            ps.setLong(2, seq);
            ps.setTimestamp(3, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        }
    }
}
