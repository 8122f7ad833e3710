package com.finledger.integrity.close;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.controls.Amounts;
import com.finledger.integrity.controls.ControlTotal;
import com.finledger.integrity.controls.ControlTotalService;
import com.finledger.integrity.diff.TableDiff;
import com.finledger.integrity.intake.ObjectStore;
import com.finledger.integrity.pipeline.DbtRunner;
import com.finledger.integrity.platform.Sha256;
import com.finledger.integrity.platform.Sql;
import com.finledger.integrity.warehouse.Warehouse;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reproducible reruns of a signed month. A rerun rebuilds STAGING and CURATED from exactly the raw objects
 * pinned at sign-off — each verified by version and SHA-256 in the object store, their RAW rows copied
 * into a scratch schema, the dbt project run into scratch schemas beside it — and compares every finance
 * partition's control totals and key fingerprint with the signed ones: equal is reproduced; a difference is
 * listed row by row by {@link TableDiff} against the warehouse as it stands. The job is a persisted row
 * whose steps are each idempotent; the row records the steps done, so a restart resumes at the next one.
 * (In production the scratch schema maps to a Snowflake zero-copy clone and the objects to S3 versions.)
 */
@ApplicationScoped
public class CloseReruns {

    private static final Logger LOG = Logger.getLogger(CloseReruns.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final List<String> STEPS = List.of(
            "verify the pinned raw objects (version, SHA-256)",
            "copy the pinned objects' RAW rows into the scratch schema",
            "rebuild STAGING and CURATED with dbt into the scratch schemas",
            "compare control totals and key fingerprints with the signed ones",
            "list differing rows with the table diff",
            "drop the scratch schemas");

    @Inject
    DataSource dataSource;

    @Inject
    Warehouse warehouse;

    @Inject
    ObjectStore objects;

    @Inject
    DbtRunner dbt;

    @Inject
    CatalogService catalog;

    @Inject
    CloseChecklist checklist;

    @Inject
    ControlTotalService controlTotals;

    @Inject
    AuditLog auditLog;

    @Inject
    Clock clock;

    @ConfigProperty(name = "finledger.close.rerun.resume-on-start", defaultValue = "true")
    boolean resumeOnStart;

    @ConfigProperty(name = "finledger.close.rerun.work-dir", defaultValue = "target/dbt-rerun")
    Path workDir;

    /** Tests stop a rerun after some steps, as a crash would, to prove that a restart resumes it. */
    private volatile int stopAfterSteps = Integer.MAX_VALUE;

    void stopAfterStepsForTests(int steps) {
        stopAfterSteps = steps;
    }

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "close-rerun");
        t.setDaemon(true);
        return t;
    });

    void onStart(@Observes StartupEvent e) {
        if (resumeOnStart) {
            resumeInterrupted();
        }
    }

    void onStop(@Observes ShutdownEvent e) {
        executor.shutdownNow();
    }

    /** Reruns a restart interrupted, each from its next step. Returns their ids. */
    public List<Long> resumeInterrupted() {
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> CloseRerun.unfinished().stream().map(r -> r.id).toList());
        ids.forEach(id -> {
            LOG.infof("resuming close rerun %d", id);
            executor.submit(() -> runSafely(id));
        });
        return ids;
    }

    public Optional<CloseRerun> latest(long periodId) {
        return CloseRerun.latestOf(periodId);
    }

    public CloseRerun find(long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            CloseRerun r = CloseRerun.findById(id);
            if (r == null) {
                throw new java.util.NoSuchElementException("no close rerun " + id);
            }
            return r;
        });
    }

    /** Queues a rerun of the month's signed round (or returns the one already waiting or running) and starts it. */
    public CloseRerun start(YearMonth month, String actor) {
        CloseRerun rerun = QuarkusTransaction.requiringNew().call(() -> {
            ClosePeriod p = ClosePeriod.byPeriod(month.toString())
                    .orElseThrow(() -> new java.util.NoSuchElementException("no close period " + month + " yet"));
            if (p.signoffRound == 0) {
                throw new IllegalStateException(month + " was never signed off: there is nothing pinned to rerun");
            }
            Optional<CloseRerun> active = CloseRerun.<CloseRerun>list("periodId = ?1 and state in ?2", p.id,
                    List.of(CloseRerun.State.QUEUED, CloseRerun.State.RUNNING)).stream().findFirst();
            if (active.isPresent()) {
                return active.get();
            }
            CloseRerun r = new CloseRerun();
            r.periodId = p.id;
            r.signoffRound = p.signoffRound;
            r.requestedBy = actor;
            r.requestedAt = clock.instant();
            r.state = CloseRerun.State.QUEUED;
            r.stepsTotal = STEPS.size();
            r.stepLabel = STEPS.get(0);
            r.scratchSchema = "pending";
            r.result = "{}";
            r.persist();
            // the scratch schemas are named by the rerun: rerun_7_raw, rerun_7_staging, rerun_7_curated
            r.scratchSchema = "rerun_" + r.id + "_";
            audit(actor, "close.rerun_requested", p.period, null, Map.of("rerun_id", r.id, "round", p.signoffRound));
            return r;
        });
        executor.submit(() -> runSafely(rerun.id));
        return rerun;
    }

    private void runSafely(long id) {
        try {
            run(id);
        } catch (RuntimeException e) {
            LOG.errorf(e, "close rerun %d failed", id);
            QuarkusTransaction.requiringNew().run(() -> {
                CloseRerun r = CloseRerun.findById(id);
                r.state = CloseRerun.State.FAILED;
                r.error = e.getMessage() == null ? e.toString() : e.getMessage();
                r.finishedAt = clock.instant();
                audit("system:close-rerun", "close.rerun_failed", period(r), r.error, Map.of("rerun_id", id,
                        "steps_done", r.stepsDone));
            });
        }
    }

    private record Job(long id, long periodId, int round, String prefix, int stepsDone, ObjectNode result, String period) {
    }

    private synchronized void run(long id) {
        Job job = QuarkusTransaction.requiringNew().call(() -> {
            CloseRerun r = CloseRerun.findById(id);
            if (r == null || r.state.finished()) {
                return null;
            }
            r.state = CloseRerun.State.RUNNING;
            r.attempts++;
            if (r.startedAt == null) {
                r.startedAt = clock.instant();
            }
            r.heartbeatAt = clock.instant();
            return new Job(r.id, r.periodId, r.signoffRound, r.scratchSchema, r.stepsDone, (ObjectNode) read(r.result),
                    period(r));
        });
        if (job == null) {
            return;
        }
        ObjectNode result = job.result();
        for (int step = job.stepsDone(); step < STEPS.size(); step++) {
            if (step >= stopAfterSteps) {
                LOG.warnf("close rerun %d stopped after %d steps (test)", id, step);
                return;
            }
            long started = System.nanoTime();
            switch (step) {
                case 0 -> result.set("objects", verifyObjects(job));
                case 1 -> result.set("raw", copyRaw(job));
                case 2 -> result.set("dbt", rebuild(job));
                case 3 -> result.set("comparison", compare(job));
                case 4 -> result.set("row_diffs", diff(job, result.path("comparison")));
                case 5 -> dropScratch(job.prefix());
                default -> throw new IllegalStateException("no step " + step);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            ObjectNode stepMillis = result.has("step_millis") ? (ObjectNode) result.get("step_millis")
                    : result.putObject("step_millis");
            stepMillis.put(Integer.toString(step), millis);
            int done = step + 1;
            QuarkusTransaction.requiringNew().run(() -> {
                CloseRerun r = CloseRerun.findById(id);
                r.stepsDone = done;
                r.stepLabel = done < STEPS.size() ? STEPS.get(done) : "done";
                r.heartbeatAt = clock.instant();
                r.result = result.toString();
                if (done == STEPS.size()) {
                    boolean same = result.path("comparison").path("reproduced").asBoolean(false)
                            && result.path("objects").path("problems").isEmpty();
                    r.state = same ? CloseRerun.State.REPRODUCED : CloseRerun.State.DIFFERENT;
                    r.finishedAt = clock.instant();
                    long total = 0;
                    for (JsonNode m : result.path("step_millis")) {
                        total += m.asLong();
                    }
                    r.rerunMillis = total;
                    audit(r.requestedBy, "close.rerun_" + r.state.name().toLowerCase(), job.period(), null,
                            Map.of("rerun_id", id, "round", r.signoffRound, "partitions_compared",
                                    result.path("comparison").path("partitions").size(),
                                    "partitions_different", result.path("comparison").path("different").asInt()));
                }
            });
        }
    }

    /** Every pinned object is still in the store at its version with the SHA-256 it had at sign-off. */
    private ObjectNode verifyObjects(Job job) {
        List<ClosePinnedObject> pinned = QuarkusTransaction.requiringNew().call(() -> ClosePinnedObject.of(job.periodId(), job.round()));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode problems = out.putArray("problems");
        Map<String, Boolean> seen = new LinkedHashMap<>();
        long bytes = 0;
        for (ClosePinnedObject o : pinned) {
            if (seen.put(o.objectKey + "@" + o.versionId, true) != null) {
                continue;   // a change file holding several dates is pinned once per date
            }
            MessageDigest digest = Sha256.digest();
            try (InputStream in = objects.open(new ObjectStore.StoredObject(o.objectKey, o.versionId, o.sizeBytes, o.sha256,
                    null, Map.of()))) {
                byte[] buffer = new byte[1 << 16];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                    bytes += n;
                }
            } catch (IOException | UncheckedIOException e) {
                problems.add(o.objectKey + " version " + o.versionId + ": cannot be read (" + e.getMessage() + ")");
                continue;
            }
            String sha = Sha256.hex(digest);
            if (!sha.equals(o.sha256)) {
                problems.add(o.objectKey + " version " + o.versionId + ": SHA-256 " + sha + ", pinned " + o.sha256);
            }
        }
        out.put("objects", seen.size());
        out.put("bytes", bytes);
        return out;
    }

    /** The scratch RAW: for each source dataset the month is built from, the RAW rows of the pinned objects only. */
    private ObjectNode copyRaw(Job job) {
        String prefix = job.prefix();
        dropScratch(prefix);
        String raw = prefix + "raw";
        warehouse.update("create schema " + Sql.ident(raw), List.of());
        warehouse.update("create table " + Sql.qualified(raw, "_pinned") + " (object_key varchar, object_version varchar)",
                List.of());
        List<ClosePinnedObject> pinned = QuarkusTransaction.requiringNew().call(() -> ClosePinnedObject.of(job.periodId(), job.round()));
        List<List<Object>> rows = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (ClosePinnedObject o : pinned) {
            if (seen.put(o.objectKey + "@" + o.versionId, true) == null) {
                rows.add(List.of(o.objectKey, o.versionId));
            }
        }
        if (!rows.isEmpty()) {
            warehouse.insertBatch("insert into " + Sql.qualified(raw, "_pinned") + " (object_key, object_version) values (?, ?)",
                    rows);
        }
        ObjectNode out = JSON.createObjectNode();
        Catalog c = catalog.catalog();
        for (Catalog.Dataset d : c.datasets().toList()) {
            String source = Sql.qualified("raw", d.name());
            if (!warehouse.tableExists("raw", d.name())) {
                continue;
            }
            // every RAW table exists in the scratch schema (dbt's sources need them); only the month's hold rows
            boolean pinnedDataset = checklist.rawDatasets().contains(d.name());
            warehouse.update("create table " + Sql.qualified(raw, d.name()) + " as select r.* from " + source + " r "
                    + (pinnedDataset ? "join " + Sql.qualified(raw, "_pinned") + " p on p.object_key = r.object_key "
                    + "and p.object_version = r.object_version" : "where 1 = 0"), List.of());
            long copied = warehouse.query("select count(*) from " + Sql.qualified(raw, d.name()), List.of(),
                    rs -> rs.getLong(1)).get(0);
            out.put(d.name(), copied);
        }
        return out;
    }

    /** dbt run of the finance models and their parents, reading the scratch RAW, writing the scratch schemas. */
    private ObjectNode rebuild(Job job) {
        Catalog c = catalog.catalog();
        List<String> select = new ArrayList<>();
        for (String name : checklist.financeDatasets()) {
            boolean curated = c.curated().stream().anyMatch(d -> d.name().equals(name));
            select.add(curated ? "+" + name : "stg_" + name);
        }
        long started = System.nanoTime();
        DbtRunner.Invocation inv = dbt.run(catalog.root(), workDir.resolve(Long.toString(job.id())), "run",
                Map.of("raw_schema", job.prefix() + "raw", "schema_prefix", job.prefix()), select);
        ObjectNode out = JSON.createObjectNode();
        out.put("invocation_id", inv.invocationId());
        out.put("models", inv.nodes().stream().filter(DbtRunner.NodeResult::isModel).count());
        out.put("rows_changed", inv.rowsChanged());
        out.put("millis", (System.nanoTime() - started) / 1_000_000);
        return out;
    }

    /** Each finance partition's signed total against the same total over the scratch schema. */
    private ObjectNode compare(Job job) {
        List<CloseSignedTotal> signed = QuarkusTransaction.requiringNew().call(() -> CloseSignedTotal.of(job.periodId(), job.round()));
        Catalog c = catalog.catalog();
        ObjectNode out = JSON.createObjectNode();
        ArrayNode partitions = out.putArray("partitions");
        int different = 0;
        for (CloseSignedTotal s : signed) {
            Optional<Catalog.CuratedDataset> curated = c.curated().stream().filter(d -> d.name().equals(s.dataset)).findFirst();
            String layer = curated.isPresent() ? ControlTotalService.CURATED : ControlTotalService.STAGING;
            if (!s.layer.equals(layer) || s.partitionKey.contains("T")) {
                continue;
            }
            java.time.LocalDate date = java.time.LocalDate.parse(s.partitionKey);
            ControlTotal now = curated.isPresent()
                    ? controlTotals.curatedIn(job.prefix() + "curated", curated.get(), date)
                    : controlTotals.stagingIn(job.prefix() + "staging", c.dataset(s.dataset), date);
            Amounts amounts = now.amounts() == null ? now.rowAmounts() : now.amounts();
            boolean same = s.rowCount == now.rowCount() && Objects.equals(s.distinctKeys, now.distinctKeys())
                    && Objects.equals(s.keyFingerprint, now.keyFingerprint()) && Amounts.fromJson(s.amounts).sameAs(amounts);
            ObjectNode p = partitions.addObject();
            p.put("dataset", s.dataset);
            p.put("partition", s.partitionKey);
            p.put("layer", layer);
            p.put("same", same);
            ObjectNode sg = p.putObject("signed");
            sg.put("rows", s.rowCount);
            sg.put("distinct_keys", s.distinctKeys);
            sg.put("key_fingerprint", s.keyFingerprint);
            sg.set("amounts", read(s.amounts));
            ObjectNode rr = p.putObject("rerun");
            rr.put("rows", now.rowCount());
            rr.put("distinct_keys", now.distinctKeys());
            rr.put("key_fingerprint", now.keyFingerprint());
            rr.set("amounts", read(amounts.toJson()));
            if (!same) {
                different++;
            }
        }
        out.put("different", different);
        out.put("reproduced", different == 0 && !partitions.isEmpty());
        return out;
    }

    /** For every partition that differs: its rows that differ between the rebuilt layer and the warehouse's. */
    private ArrayNode diff(Job job, JsonNode comparison) {
        ArrayNode out = JSON.createArrayNode();
        Catalog c = catalog.catalog();
        for (JsonNode p : comparison.path("partitions")) {
            if (p.path("same").asBoolean()) {
                continue;
            }
            String dataset = p.path("dataset").asText();
            String layer = p.path("layer").asText();
            Optional<Catalog.CuratedDataset> curated = c.curated().stream().filter(d -> d.name().equals(dataset)).findFirst();
            List<String> keys = curated.map(Catalog.CuratedDataset::primaryKey).orElseGet(() -> c.dataset(dataset).primaryKey());
            String dateColumn = curated.map(Catalog.CuratedDataset::businessDate).orElseGet(() -> c.dataset(dataset).businessDate());
            String scratch = job.prefix() + layer;
            List<String> columns = warehouse.query("""
                    select column_name from information_schema.columns where table_schema = ? and table_name = ?
                    order by ordinal_position""", List.of(layer, dataset), rs -> rs.getString(1)).stream()
                    .filter(col -> !keys.contains(col)).map(Sql::ident).toList();
            String key = keys.size() == 1 ? Sql.ident(keys.get(0))
                    : "concat_ws('|', " + String.join(", ", keys.stream().map(Sql::ident).toList()) + ")";
            String filter = Sql.ident(dateColumn) + " = ?";
            List<Object> params = List.of(java.time.LocalDate.parse(p.path("partition").asText()));
            TableDiff.Result r = new TableDiff().diff(
                    new TableDiff.Side("warehouse " + layer, warehouse, warehouse.dialect(), Sql.qualified(layer, dataset), key,
                            columns, filter, params),
                    new TableDiff.Side("rerun", warehouse, warehouse.dialect(), Sql.qualified(scratch, dataset), key, columns,
                            filter, params),
                    TableDiff.Options.defaults());
            ObjectNode d = out.addObject();
            d.put("dataset", dataset);
            d.put("partition", p.path("partition").asText());
            d.put("layer", layer);
            d.put("differences", r.differences());
            ArrayNode onlyWarehouse = d.putArray("only_in_warehouse");
            r.onlyLeft().stream().limit(100).forEach(onlyWarehouse::add);
            ArrayNode onlyRerun = d.putArray("only_in_rerun");
            r.onlyRight().stream().limit(100).forEach(onlyRerun::add);
            ArrayNode changed = d.putArray("changed");
            r.changed().stream().limit(100).forEach(ch -> {
                ObjectNode row = changed.addObject();
                row.put("key", ch.key());
                ArrayNode cols = row.putArray("columns");
                ch.columns().forEach(cols::add);
            });
        }
        return out;
    }

    private void dropScratch(String prefix) {
        for (String layer : List.of("raw", "staging", "curated")) {
            warehouse.update("drop schema if exists " + Sql.ident(prefix + layer) + " cascade", List.of());
        }
    }

    private void audit(String actor, String action, String period, String reason, Map<String, ?> details) {
        try (Connection c = dataSource.getConnection()) {
            auditLog.append(c, actor, action, CloseService.SUBJECT, period, reason, details);
        } catch (SQLException e) {
            throw new IllegalStateException("audit append failed: " + e.getMessage(), e);
        }
    }

    private static String period(CloseRerun r) {
        ClosePeriod p = ClosePeriod.findById(r.periodId);
        return p.period;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json == null ? "{}" : json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
