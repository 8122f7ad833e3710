package com.finledger.integrity.cdc;

import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.controls.ControlResult;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.platform.Sql;
import com.finledger.integrity.warehouse.Warehouse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.warehouse.PostgresDialect;
import javax.sql.DataSource;

/**
 * The controls only CDC data has. {@code dms_statistics}: what DMS says it delivered for the table
 * (inserts + updates + deletes, replays included) against the rows in landed change files and in
 * RAW. {@code change_sequence}: the ledgers number their changes per table without gaps, so every
 * hole in the change sequences RAW holds (up to its high-water mark) is a range of changes that
 * never arrived; holes holding changes of this business date block it, each named by its range.
 */
@ApplicationScoped
public class CdcControls {

    static final int MISSING_CHANGES_SHOWN = 10;

    @Inject
    ReplicationMonitor monitor;

    @Inject
    Warehouse warehouse;

    /** The ledgers' change logs (read replicas in production). */
    @Inject
    SourceDatabases sourceDatabases;

    /** The control plane's own database (the landing ledger). */
    @Inject
    DataSource dataSource;

    public record Gap(long from, long to) {

        public long size() {
            return to - from + 1;
        }

        @Override
        public String toString() {
            return from == to ? Long.toString(from) : from + "–" + to;
        }
    }

    /**
     * The CDC controls of a business date, and for a dataset cut into micro-batch windows the
     * {@code change_sequence} of each window (window key to result); RAW's high-water mark and the holes
     * are found once and serve both.
     */
    public record Reconciled(List<ControlResult> date, Map<String, ControlResult> windows) {
    }

    public Reconciled reconcile(Source source, Dataset dataset, LocalDate date) {
        ControlResult dms = dmsStatistics(source, dataset);
        if (!warehouse.tableExists("raw", dataset.name())) {
            return new Reconciled(List.of(dms, new ControlResult("change_sequence", "source", "raw", 0, 0, 0, 0, 0,
                    true, List.of(), List.of())), Map.of());
        }
        String raw = Sql.qualified("raw", dataset.name());
        long highWater = warehouse.query("select coalesce(max(change_seq), 0) from " + raw, List.of(),
                rs -> rs.getLong(1)).get(0);
        SourceDatabase sources = sourceDatabases.of(source);
        long[] span = sources.query("select coalesce(min(change_seq), 0), coalesce(max(change_seq), 0), count(*) from "
                + Sql.qualified(source.schema(), dataset.table() + "_changes") + " where "
                + Sql.ident(dataset.businessDate()) + " = ? and change_seq <= ?",
                List.of(date, highWater), rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).get(0);
        List<Gap> gaps = span[2] == 0 ? List.of() : gaps(raw, span[0], span[1]);
        return new Reconciled(List.of(dms, changeSequence(source, dataset, date, span, gaps)),
                dataset.partitioning().windowed() ? changeSequenceByWindow(source, dataset, date, highWater, gaps)
                        : Map.of());
    }

    /**
     * DMS's counters against what landed, like with like: its change counters cover the current task
     * run (since {@code ReplicationTaskStartDate}; a restart or a table reload starts them again) and
     * exclude the full load, so they are compared with the change files that arrived in that run; the
     * full-load rows with the full-load files ({@code LOAD*}) of the table's latest (re)load. All that
     * ever landed is then compared with all that RAW holds.
     */
    ControlResult dmsStatistics(Source source, Dataset dataset) {
        return dmsStatistics(source.dmsTask().orElseThrow(), source.schema(), dataset.table(), dataset.name());
    }

    ControlResult dmsStatistics(String task, String schema, String tableName, String datasetName) {
        String table = schema + "." + tableName;
        List<String> reasons = new ArrayList<>();
        Optional<ReplicationMonitor.ReplicationTask> running = monitor.tasks().stream()
                .filter(t -> t.identifier().equals(task)).findFirst();
        running.ifPresentOrElse(t -> {
            if (t.failed()) {
                reasons.add("DMS task " + task + " is " + t.status() + ": "
                        + Optional.ofNullable(t.lastFailureMessage()).orElse(Optional.ofNullable(t.stopReason())
                        .orElse("no reason given")));
            }
        }, () -> reasons.add("DMS has no replication task " + task));
        Optional<ReplicationMonitor.TableStatistics> stats = monitor.tableStatistics(task, schema, tableName);
        Instant runStarted = running.map(ReplicationMonitor.ReplicationTask::startedAt).orElse(null);
        Instant reloaded = stats.map(ReplicationMonitor.TableStatistics::fullLoadStarted).orElse(null);
        // a table reload restarts its counters too, so the later of the two starts bounds what they count
        Instant since = runStarted == null ? reloaded : reloaded == null || reloaded.isBefore(runStarted)
                ? runStarted : reloaded;
        long deliveredChanges = stats.map(ReplicationMonitor.TableStatistics::changes).orElse(0L);
        long deliveredFullLoad = stats.map(ReplicationMonitor.TableStatistics::fullLoadRows).orElse(0L);
        long[] landed = Jdbc.query(dataSource, """
                select coalesce(sum(row_count) filter (where not full_load and counted), 0),
                       coalesce(sum(row_count) filter (where full_load and counted), 0),
                       coalesce(sum(row_count), 0)
                from (select row_count, object_key ~ '(^|/)LOAD[0-9]+[^/]*$' as full_load,
                             (cast(? as timestamptz) is null or arrived_at >= ?) as counted
                      from landed_object where dataset = ?) o""",
                java.util.Arrays.asList(since == null ? null : Timestamp.from(since),
                        since == null ? null : Timestamp.from(since), datasetName),
                rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).get(0);
        String run = since == null ? "" : since.equals(reloaded) ? " since the table was reloaded at " + since
                : " since the task run started at " + since;
        if (deliveredChanges != landed[0]) {
            reasons.add((deliveredChanges > landed[0] ? "missing rows" : "extra rows") + ": DMS reports "
                    + deliveredChanges + " changes of " + table + " delivered" + run + ", the change files that "
                    + "landed" + run + " hold " + landed[0]);
        }
        if (deliveredFullLoad != landed[1]) {
            reasons.add((deliveredFullLoad > landed[1] ? "missing rows" : "extra rows") + ": DMS reports "
                    + deliveredFullLoad + " full-load rows of " + table + ", its full-load files" + run + " hold "
                    + landed[1]);
        }
        long raw = warehouse.tableExists("raw", datasetName) ? warehouse.query("select count(*) from "
                + Sql.qualified("raw", datasetName), List.of(), rs -> rs.getLong(1)).get(0) : 0L;
        if (landed[2] != raw) {
            reasons.add((landed[2] > raw ? "missing rows" : "extra rows") + ": landed files of " + table
                    + " hold " + landed[2] + " rows, RAW holds " + raw);
        }
        return new ControlResult("dms_statistics", "dms", "landing", deliveredChanges + deliveredFullLoad, 0,
                landed[0] + landed[1], 0, 0, reasons.isEmpty(), reasons, List.of());
    }

    /** The date's {@code change_sequence}: {@code span} is its changes' min, max and count up to the high-water mark. */
    private ControlResult changeSequence(Source source, Dataset dataset, LocalDate date, long[] span, List<Gap> gaps) {
        String table = source.schema() + "." + dataset.table();
        String changes = Sql.qualified(source.schema(), dataset.table() + "_changes");
        String raw = Sql.qualified("raw", dataset.name());
        if (span[2] == 0) {
            return new ControlResult("change_sequence", "source", "raw", 0, 0, 0, 0, 0, true, List.of(), List.of());
        }
        long landed = warehouse.query("select count(distinct change_seq) from " + raw
                + " where business_date = ? and change_seq between ? and ?", List.of(date, span[0], span[1]),
                rs -> rs.getLong(1)).get(0);
        List<String> reasons = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        String key = dataset.primaryKey().get(0);
        SourceDatabase sources = sourceDatabases.of(source);
        String inGap = " from " + changes + " where change_seq between ? and ? and " + Sql.ident(dataset.businessDate())
                + " = ?";
        for (Gap gap : gaps) {
        List<Object> params = List.of(gap.from(), gap.to(), date);
        long ofThisDate = sources.query("select count(*)" + inGap, params, rs -> rs.getLong(1)).get(0);
        if (ofThisDate > 0) {
            reasons.add("change sequence gap: changes " + gap + " of " + table + " never landed ("
                    + ofThisDate + " of them on this business date)");
            missing.addAll(sources.query("select change_seq, op, " + Sql.ident(key) + inGap
                    + " order by change_seq limit " + Math.max(0, MISSING_CHANGES_SHOWN - missing.size()), params,
                    rs -> "change " + rs.getLong(1) + " (" + rs.getString(2) + " " + rs.getString(3) + ")"));
        }
        }
        return new ControlResult("change_sequence", "source", "raw", span[2], 0, landed, 0, 0, reasons.isEmpty(),
                reasons, missing);
    }

    /**
     * {@code change_sequence} for each micro-batch window of a windowed dataset's business date: the
     * window's changes in the source (up to RAW's high-water mark) against those RAW holds, and every
     * hole of the date attributed to the windows its missing changes belong to.
     */
    private Map<String, ControlResult> changeSequenceByWindow(Source source, Dataset dataset, LocalDate date,
                                                              long highWater, List<Gap> gaps) {
        Map<String, ControlResult> results = new TreeMap<>();
        String table = source.schema() + "." + dataset.table();
        String changes = Sql.qualified(source.schema(), dataset.table() + "_changes");
        String raw = Sql.qualified("raw", dataset.name());
        long seconds = dataset.partitioning().windowSeconds();
        String time = dataset.partitioning().timeColumn().orElseThrow();
        String sourceBucket = PostgresDialect.INSTANCE.windowBucket(Sql.ident(time), false, seconds);
        String rawBucket = warehouse.dialect().windowBucket(warehouse.dialect().jsonText("record", time), true, seconds);
        Map<String, long[]> counts = new TreeMap<>();
        SourceDatabase sources = sourceDatabases.of(source);
        sources.query("select " + sourceBucket + ", count(*) from " + changes
                + " where " + Sql.ident(dataset.businessDate()) + " = ? and change_seq <= ? group by 1",
                List.of(date, highWater), rs -> rs.getObject(1) == null ? null : counts.put(key(rs.getObject(1), seconds),
                        new long[] {rs.getLong(2), 0}));
        warehouse.query("select " + rawBucket + ", count(distinct change_seq) from " + raw
                + " where business_date = ? group by 1", List.of(date), rs -> rs.getObject(1) == null ? 0L
                : (counts.computeIfAbsent(key(rs.getObject(1), seconds), k -> new long[2])[1] = rs.getLong(2)));
        Map<String, List<String>> reasons = new TreeMap<>();
        Map<String, List<String>> missing = new TreeMap<>();
        String key = dataset.primaryKey().get(0);
        for (Gap gap : gaps) {
                Map<String, Long> perWindow = new TreeMap<>();
                sources.query("select " + sourceBucket + ", change_seq, op, " + Sql.ident(key) + " from " + changes
                        + " where change_seq between ? and ? and " + Sql.ident(dataset.businessDate())
                        + " = ? order by change_seq", List.of(gap.from(), gap.to(), date), rs -> {
                            String window = key(rs.getObject(1), seconds);
                            if (window == null) {
                                return null;
                            }
                            perWindow.merge(window, 1L, Long::sum);
                            List<String> shown = missing.computeIfAbsent(window, k -> new ArrayList<>());
                            if (shown.size() < MISSING_CHANGES_SHOWN) {
                                shown.add("change " + rs.getLong(2) + " (" + rs.getString(3) + " " + rs.getString(4) + ")");
                            }
                            return window;
                        });
                perWindow.forEach((window, n) -> reasons.computeIfAbsent(window, k -> new ArrayList<>())
                        .add("change sequence gap: changes " + gap + " of " + table + " never landed (" + n
                                + " of them in this window)"));
        }
        counts.forEach((window, c) -> {
            List<String> why = reasons.getOrDefault(window, List.of());
            results.put(window, new ControlResult("change_sequence", "source", "raw", c[0], 0, c[1], 0, 0,
                    why.isEmpty(), why, missing.getOrDefault(window, List.of())));
        });
        return results;
    }

    private static String key(Object bucket, long seconds) {
        return bucket == null ? null : Catalog.Partitioning.windowKeyOfBucket(((Number) bucket).longValue(), seconds);
    }

    /** Holes in the distinct change sequences RAW holds within {@code [from, to]} (gaps-and-islands in SQL). */
    List<Gap> gaps(String raw, long from, long to) {
        String sql = """
                with seqs as (
                    select distinct change_seq as seq from %s where change_seq between ? and ?
                    union select ? - 1 union select ? + 1
                ),
                ordered as (select seq, lag(seq) over (order by seq) as prev from seqs)
                select prev + 1, seq - 1 from ordered where seq > prev + 1 order by 1""".formatted(raw);
        return warehouse.query(sql, List.of(from, to, from, to), rs -> new Gap(rs.getLong(1), rs.getLong(2)));
    }
}
