package com.finledger.integrity.pipeline;

import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.CuratedDataset;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.intake.PartnerFileIntake;
import com.finledger.integrity.platform.CrashPoints;
import com.finledger.integrity.readiness.EvaluationScheduler;
import com.finledger.integrity.readiness.ReadinessCache;
import com.finledger.integrity.readiness.ReadinessService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The whole local pipeline in one run: DMS and the API extractor land changes, partner drops are
 * recorded, RAW loads what is new, then the STAGING and CURATED models are applied. Each step is
 * idempotent, so a second run with no new source changes lands, loads and changes nothing. Runs
 * are serialized across instances with a PostgreSQL advisory lock.
 */
@ApplicationScoped
public class LocalPipelineRunner {

    private static final Logger LOG = Logger.getLogger(LocalPipelineRunner.class);
    private static final long LOCK_ID = 0x46_4c_50_49_50_45L; // "FLPIPE"

    @Inject
    DataSource dataSource;

    @Inject
    CatalogService catalogService;

    @Inject
    LocalDms dms;

    @Inject
    ApiExtractor extractor;

    @Inject
    PartnerFileIntake intake;

    @Inject
    com.finledger.integrity.warehouse.LoadHistoryCapture loadHistory;

    @Inject
    com.finledger.integrity.intake.ExpectedFiles expectedFiles;

    @Inject
    RawLoader rawLoader;

    @Inject
    DbtRunner dbt;

    @Inject
    DbtArtifacts dbtArtifacts;

    @Inject
    com.finledger.integrity.warehouse.Warehouse warehouse;

    @Inject
    AuditLog auditLog;

    @Inject
    ReadinessService readiness;

    @Inject
    EvaluationScheduler evaluations;

    @Inject
    ReadinessCache readinessCache;

    @Inject
    Clock clock;

    @Inject
    com.finledger.integrity.operations.LocalAwsEvents awsEvents;

    @Inject
    com.finledger.integrity.lineage.OwnLineage ownLineage;

    public record PipelineRun(long id, Instant startedAt, Instant finishedAt, String triggeredBy, int objectsLanded,
                              long rowsLoadedRaw, List<DbtRunner.NodeResult> models, String status) {

        /** Rows the models' MERGEs inserted, updated or deleted. */
        public long rowsChanged() {
            return models.stream().filter(DbtRunner.NodeResult::isModel)
                    .mapToLong(m -> m.rowsAffected() == null ? 0 : m.rowsAffected()).sum();
        }
    }

    public PipelineRun run(String actor) {
        PipelineRun run = load(actor);
        // evaluate after the load has committed and given its connection back
        evaluations.evaluateOpen(null, actor);
        loadHistory.capture();
        return run;
    }

    /**
     * Lands in one transaction and loads RAW through the warehouse (which commits each batch; objects are
     * marked loaded in the landing transaction), then runs the dbt project (its own connections, so RAW
     * is committed first), then records the run and re-opens what it touched. A session-level
     * advisory lock serialises whole runs across instances.
     */
    private PipelineRun load(String actor) {
        Catalog catalog = catalogService.catalog();
        Instant started = clock.instant();
        try (Connection lock = dataSource.getConnection()) {
            advisoryLock(lock, "pg_advisory_lock");
            try {
                return loadLocked(catalog, started, actor);
            } finally {
                advisoryLock(lock, "pg_advisory_unlock");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("pipeline run failed: " + e.getMessage(), e);
        }
    }

    private PipelineRun loadLocked(Catalog catalog, Instant started, String actor) throws SQLException {
        int landed = 0;
        long rawRows;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (Source source : catalog.sources()) {
                for (Dataset dataset : source.datasets()) {
                    landed += switch (source.kind()) {
                        case POSTGRES_CDC -> dms.land(c, source, dataset);
                        case REST_API -> extractor.extract(c, source, dataset, actor);
                        case PARTNER_FILES -> partnerFiles(source, actor);
                    };
                }
            }
            expectedFiles.check(actor);
            rawRows = rawLoader.loadPending(c, catalog);
            for (Dataset dataset : catalog.datasets().toList()) {
                rawLoader.ensureTable(dataset);
            }
            c.commit();
        }
        DbtRunner.Invocation models = null;
        String failure = null;
        try {
            models = dbt.build(catalogService.root());
            checkModelColumns(catalog);
        } catch (RuntimeException e) {
            failure = e.getMessage();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            int touched = markArrivals(c, catalog, started, actor);
            Instant finished = clock.instant();
            String status = failure == null ? "SUCCEEDED" : "FAILED";
            long id = insertRun(c, started, finished, actor, landed, rawRows, status);
            PipelineRun run = new PipelineRun(id, started, finished, actor, landed, rawRows,
                    models == null ? List.of() : models.nodes(), status);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("objects_landed", landed);
            details.put("rows_loaded_raw", rawRows);
            details.put("rows_changed", run.rowsChanged());
            details.put("partitions_with_new_data", touched);
            if (models != null) {
                details.put("dbt_invocation_id", models.invocationId());
                dbtArtifacts.record(c, models, actor);
            }
            if (failure != null) {
                details.put("error", failure);
            }
            auditLog.append(c, actor, "pipeline.run", "pipeline_run", Long.toString(id), null, details);
            c.commit();
            readinessCache.invalidateAll();
            // lineage of what this run committed (never fails the run; the sweep re-records what it misses)
            ownLineage.recordSince(started);
            announce(catalog, id, started, finished, models, failure);
            if (failure != null) {
                throw new IllegalStateException("pipeline run " + id + " failed building the models: " + failure);
            }
            LOG.infof("pipeline run %d by %s: %d objects landed, %d rows into RAW, %d rows changed in models", id,
                    actor, landed, rawRows, run.rowsChanged());
            return run;
        }
    }

    /** The same AWS events production sees: DMS tasks running, AppFlow runs ended, the Glue (dbt) job ended. */
    private void announce(Catalog catalog, long runId, Instant started, Instant finished, DbtRunner.Invocation models,
                          String failure) {
        for (Source source : catalog.sources()) {
            switch (source.kind()) {
                case POSTGRES_CDC -> {
                    // a task the stand-in has stopped or failed landed nothing: announcing it as started would
                    // resolve its dms-task-failing alert while it is still down
                    if (dmsTaskRunning(source)) {
                        awsEvents.dmsTask(source.dmsTask().orElse(source.name()), "REPLICATION_TASK_STARTED", started);
                    }
                }
                case REST_API -> awsEvents.appFlowRun(source.name(), "pipeline-run-" + runId, true, 0, started, finished);
                default -> {
                }
            }
        }
        awsEvents.glueJob("finledger-transform", models == null ? "pipeline-run-" + runId : models.invocationId(),
                failure == null ? "SUCCEEDED" : "FAILED", failure == null ? "dbt build succeeded" : failure, finished);
    }

    private boolean dmsTaskRunning(Source source) {
        if (source.dmsTask().isEmpty()) {
            return true;
        }
        try (Connection c = dataSource.getConnection()) {
            return LocalDms.running(c, source);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the DMS stand-in's task state: " + e.getMessage(), e);
        }
    }

    /** Takes (or gives back) the landing lock that serialises pipeline runs, backfills and scheduled pulls. */
    private static void advisoryLock(Connection c, String function) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + function + "(?)")) {
            ps.setLong(1, LOCK_ID);
            ps.execute();
        }
    }

    /** The models must give every column the catalog declares (the controls and rules read them). */
    private void checkModelColumns(Catalog catalog) {
        for (Dataset dataset : catalog.datasets().toList()) {
            List<String> required = new ArrayList<>();
            dataset.columns().forEach(col -> required.add(col.name()));
            required.add("change_seq");
            requireColumns("staging", dataset.name(), "stg_" + dataset.name(), required);
        }
        for (CuratedDataset curated : catalog.curated()) {
            requireColumns("curated", curated.name(), curated.name(), curated.primaryKey());
        }
    }

    private void requireColumns(String schema, String table, String model, List<String> required) {
        List<String> columns = warehouse.query("select lower(column_name) from information_schema.columns "
                + "where lower(table_schema) = ? and lower(table_name) = ?", List.of(schema, table), rs -> rs.getString(1));
        List<String> missing = required.stream().filter(col -> !columns.contains(col)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("model " + model + " does not produce column(s) " + missing
                    + " that the catalog declares for " + schema + "." + table);
        }
    }

    /**
     * Every partition that received objects in this run starts loading (or re-opens if it was ready),
     * and so does each curated partition built from it, directly or through another curated dataset.
     */
    private int markArrivals(Connection c, Catalog catalog, Instant since, String actor) throws SQLException {
        Map<String, Set<String>> arrivedByPartition = new LinkedHashMap<>();
        for (var dataset : LandedObjects.partitionsRecordedSince(c, since).entrySet()) {
            for (var date : dataset.getValue().entrySet()) {
                String partition = date.getKey().toString();
                readiness.dataArrived(c, dataset.getKey(), partition, actor, date.getValue() + " new landed object(s)");
                arrivedByPartition.computeIfAbsent(partition, k -> new HashSet<>()).add(dataset.getKey());
            }
        }
        for (var dataset : LandedObjects.windowsRecordedSince(c, since).entrySet()) {
            Set<String> reached = new HashSet<>(Set.of(dataset.getKey()));
            for (String window : dataset.getValue()) {
                readiness.dataArrived(c, dataset.getKey(), window, actor, "new landed object(s)");
            }
            for (CuratedDataset curated : catalog.curated()) {
                if (curated.partitioning().windowed() && curated.builtFrom().stream().anyMatch(reached::contains)) {
                    reached.add(curated.name());
                    for (String window : dataset.getValue()) {
                        readiness.dataArrived(c, curated.name(), window, actor, "inputs changed");
                    }
                }
            }
        }
        for (var partition : arrivedByPartition.entrySet()) {
            // curated.yaml lists datasets in build order, so one pass reaches curated-on-curated too
            for (CuratedDataset curated : catalog.curated()) {
                if (curated.builtFrom().stream().anyMatch(partition.getValue()::contains)) {
                    partition.getValue().add(curated.name());
                    readiness.dataArrived(c, curated.name(), partition.getKey(), actor, "inputs changed");
                }
            }
        }
        return arrivedByPartition.values().stream().mapToInt(Set::size).sum();
    }

    /**
     * Backfills one window of a processor source (see {@link ApiExtractor#backfill}) under the
     * pipeline lock, then runs the pipeline so that what it landed is loaded and evaluated.
     */
    public ApiExtractor.Backfill backfill(String sourceName, Instant from, Instant to, String actor, String reason) {
        Source source = catalogService.catalog().sources().stream().filter(s -> s.name().equals(sourceName))
                .findFirst().orElseThrow(() -> new java.util.NoSuchElementException("no source named " + sourceName));
        if (source.kind() != Catalog.SourceKind.REST_API) {
            throw new IllegalArgumentException(sourceName + " is not a processor API source");
        }
        ApiExtractor.Backfill backfill;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            advisoryLock(c, "pg_advisory_xact_lock");
            backfill = extractor.backfill(c, source, source.datasets().get(0), from, to, actor, reason);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("backfill failed: " + e.getMessage(), e);
        }
        readinessCache.invalidateAll();
        run(actor);
        return backfill;
    }

    /**
     * One scheduled pull of a processor source outside the local pipeline (production: the extractor
     * runs on its own Quartz schedule): under the landing lock, the windows the ledger plans are pulled
     * and landed, and the partitions and windows they touched re-open. Loading RAW and building the
     * models is the warehouse's own pipeline's job there (Snowpipe/COPY, dbt under Airflow).
     */
    public int extractScheduled(Source source, String actor) {
        Instant started = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            advisoryLock(c, "pg_advisory_xact_lock");
            int landed = 0;
            for (Dataset dataset : source.datasets()) {
                landed += extractor.extract(c, source, dataset, actor);
            }
            markArrivals(c, catalogService.catalog(), started, actor);
            c.commit();
            readinessCache.invalidateAll();
            ownLineage.recordSince(started, "extract");
            return landed;
        } catch (SQLException e) {
            throw new IllegalStateException("scheduled extraction of " + source.name() + " failed: " + e.getMessage(), e);
        }
    }

    // ---- The pipeline's layers one at a time, for the recovery console's jobs (recovery/, issue 17) ----

    @Inject
    com.finledger.integrity.extract.PullWindowLedger pullWindows;

    /**
     * Lands what the sources hold for one business date, under the pipeline lock: DMS catches up past its
     * checkpoint (what it landed before is never landed again), each processor pull window overlapping the
     * date is pulled again (an unchanged content checksum lands nothing) and a hole in the date's tiling is
     * pulled as a backfill, partner drops are swept (a file already in the ledger is not taken twice). The
     * partitions that received objects start loading or re-open. Returns the objects newly landed.
     */
    public int landDate(LocalDate date, String actor) {
        Catalog catalog = catalogService.catalog();
        Instant started = clock.instant();
        return withLock(() -> {
            int landed = 0;
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                for (Source source : catalog.sources()) {
                    for (Dataset dataset : source.datasets()) {
                        landed += switch (source.kind()) {
                            case POSTGRES_CDC -> dms.land(c, source, dataset);
                            case REST_API -> repullDate(c, source, dataset, date, actor);
                            case PARTNER_FILES -> partnerFiles(source, actor);
                        };
                    }
                }
                markArrivals(c, catalog, started, actor);
                CrashPoints.reach(CrashPoints.BACKFILL_LANDED);
                c.commit();
            }
            readinessCache.invalidateAll();
            ownLineage.recordSince(started, "extract");
            return landed;
        });
    }

    private int repullDate(Connection c, Source source, Dataset dataset, LocalDate date, String actor) throws SQLException {
        Instant dayFrom = date.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        Instant dayTo = dayFrom.plus(java.time.Duration.ofDays(1));
        String endpoint = source.endpoint().orElseThrow();
        List<com.finledger.integrity.extract.PullWindowLedger.Window> windows = pullWindows.windows(source.name(), endpoint)
                .stream().filter(w -> w.from().isBefore(dayTo) && w.to().isAfter(dayFrom))
                .sorted(java.util.Comparator.comparing(com.finledger.integrity.extract.PullWindowLedger.Window::from)).toList();
        List<com.finledger.integrity.extract.PullWindowLedger.Planned> pulls = new ArrayList<>();
        Instant cursor = dayFrom;
        for (var w : windows) {
            if (w.from().isAfter(cursor)) {
                pulls.add(new com.finledger.integrity.extract.PullWindowLedger.Planned(cursor, w.from(),
                        com.finledger.integrity.extract.PullWindowLedger.Kind.BACKFILL));
            }
            pulls.add(new com.finledger.integrity.extract.PullWindowLedger.Planned(w.from(), w.to(),
                    com.finledger.integrity.extract.PullWindowLedger.Kind.BACKFILL));
            cursor = w.to().isAfter(cursor) ? w.to() : cursor;
        }
        if (cursor.isBefore(dayTo) && !dayTo.isAfter(clock.instant())) {
            pulls.add(new com.finledger.integrity.extract.PullWindowLedger.Planned(cursor, dayTo,
                    com.finledger.integrity.extract.PullWindowLedger.Kind.BACKFILL));
        }
        int landed = 0;
        for (var pull : pulls) {
            landed += extractor.pull(c, source, dataset, pull, actor).orElseThrow(() -> new IllegalStateException(
                    "pull of " + source.name() + " [" + pull.from() + ", " + pull.to() + ") failed; see its pull window"));
        }
        return landed;
    }

    /** Loads every landed object not yet in RAW (the warehouse skips lines it holds), under the pipeline lock. */
    public long loadRaw() {
        Catalog catalog = catalogService.catalog();
        return withLock(() -> {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                long rows = rawLoader.loadPending(c, catalog);
                for (Dataset dataset : catalog.datasets().toList()) {
                    rawLoader.ensureTable(dataset);
                }
                c.commit();
                return rows;
            }
        });
    }

    /**
     * Loads one partition's landed objects into RAW again, as the RAW load job would (the warehouse keeps one
     * row per object version and line, so lines it holds are skipped). Returns the lines read.
     */
    public long reloadRaw(String datasetName, LocalDate date) {
        Catalog catalog = catalogService.catalog();
        Dataset dataset = catalog.dataset(datasetName);
        Source source = catalog.sourceOf(dataset);
        return withLock(() -> {
            long rows = 0;
            rawLoader.ensureTable(dataset);
            for (LandedObjects.Landed landed : com.finledger.integrity.platform.Jdbc.query(dataSource, """
                    select id, dataset, business_date, object_key, version_id, arrived_at from landed_object
                    where dataset = ? and business_date = ? order by id""", List.of(datasetName, date),
                    rs -> new LandedObjects.Landed(rs.getLong(1), rs.getString(2), rs.getObject(3, LocalDate.class),
                            rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant()))) {
                rows += rawLoader.load(source, dataset, landed);
            }
            return rows;
        });
    }

    /** dbt build of the selected models (empty: all) and their tests, recorded like a pipeline run's. */
    public DbtRunner.Invocation buildModels(List<String> select, String actor) {
        Instant started = clock.instant();
        return withLock(() -> {
            DbtRunner.Invocation inv = select.isEmpty() ? dbt.build(catalogService.root())
                    : dbt.run(catalogService.root(), Path.of("target/dbt-recovery"), "build", Map.of(), select);
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                dbtArtifacts.record(c, inv, actor);
                c.commit();
            }
            readinessCache.invalidateAll();
            ownLineage.recordSince(started);
            return inv;
        });
    }

    @FunctionalInterface
    private interface Locked<T> {
        T call() throws SQLException;
    }

    private <T> T withLock(Locked<T> work) {
        try (Connection lock = dataSource.getConnection()) {
            advisoryLock(lock, "pg_advisory_lock");
            try {
                return work.call();
            } finally {
                advisoryLock(lock, "pg_advisory_unlock");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The inventory sweep of the partner's drop prefix; each new file is validated and decided by the intake. */
    private int partnerFiles(Source source, String actor) {
        return (int) intake.sweep(source, actor).stream().filter(f -> f.state().equals("ACCEPTED")).count();
    }

    /** The latest finished run, if any. */
    public Optional<PipelineRun> lastRun() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select id, started_at, finished_at, triggered_by, objects_landed, rows_loaded_raw, status
                from pipeline_run order by id desc limit 1""");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new PipelineRun(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                    rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getInt(5), rs.getLong(6), List.of(),
                    rs.getString(7)));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read pipeline runs: " + e.getMessage(), e);
        }
    }

    private static long insertRun(Connection c, Instant started, Instant finished, String actor, int landed,
                                  long rawRows, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into pipeline_run (started_at, finished_at, triggered_by, objects_landed, rows_loaded_raw, status)
                values (?, ?, ?, ?, ?, ?) returning id""")) {
            ps.setTimestamp(1, Timestamp.from(started));
            ps.setTimestamp(2, Timestamp.from(finished));
            ps.setString(3, actor);
            ps.setInt(4, landed);
            ps.setLong(5, rawRows);
            ps.setString(6, status);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
