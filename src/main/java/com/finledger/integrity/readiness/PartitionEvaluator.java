package com.finledger.integrity.readiness;

import com.finledger.integrity.platform.CrashPoints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.CuratedDataset;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.cdc.CdcControls;
import com.finledger.integrity.extract.PullWindowLedger;
import com.finledger.integrity.intake.ExpectedFiles;
import com.finledger.integrity.controls.ControlResult;
import com.finledger.integrity.controls.ControlTotal;
import com.finledger.integrity.controls.ControlTotalService;
import com.finledger.integrity.controls.Controls;
import com.finledger.integrity.rules.Rule;
import com.finledger.integrity.rules.RuleEvaluator;
import com.finledger.integrity.rules.RuleOutcome;
import com.finledger.integrity.rules.RuleService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Evaluates one partition: control totals at every layer, the controls between them, the dataset's
 * rules; then moves the partition to READY or BLOCKED. Evaluations of one partition are serialized
 * across instances by a PostgreSQL advisory lock; an evaluation that finds what the last one found
 * changes neither state nor version.
 */
@ApplicationScoped
public class PartitionEvaluator {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    @Inject
    com.finledger.integrity.rules.QuarantineService quarantine;

    @Inject
    com.finledger.integrity.extract.ProcessorReports processorReports;

    @Inject
    CatalogService catalogService;

    @Inject
    ControlTotalService controlTotals;

    @Inject
    Controls controls;

    @Inject
    RuleService ruleService;

    @Inject
    CdcControls cdcControls;

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    @Inject
    PullWindowLedger pullWindows;

    @Inject
    ExpectedFiles expectedFiles;

    @Inject
    RuleEvaluator ruleEvaluator;

    @Inject
    ReadinessService readiness;

    @Inject
    ReadinessCache cache;

    @Inject
    WindowPartitions windowPartitions;

    @Inject
    Clock clock;

    @Inject
    jakarta.enterprise.event.Event<PartitionTotalsComputed> totalsComputed;

    public record Evaluation(long id, PartitionReadiness readiness, List<ControlTotal> totals,
                             List<ControlResult> controls, List<RuleOutcome> rules, List<String> blocking) {
    }

    public Evaluation evaluate(String datasetName, LocalDate date, String actor) {
        return processorReports.readingOnce(() -> evaluateReadingEachReportOnce(datasetName, date, actor));
    }

    private Evaluation evaluateReadingEachReportOnce(String datasetName, LocalDate date, String actor) {
        Catalog catalog = catalogService.catalog();
        Optional<Dataset> dataset = catalog.datasets().filter(d -> d.name().equals(datasetName)).findFirst();
        Optional<CuratedDataset> curated = catalog.curated().stream().filter(c -> c.name().equals(datasetName))
                .findFirst();
        if (dataset.isEmpty() && curated.isEmpty()) {
            throw new java.util.NoSuchElementException("no dataset named " + datasetName + " in the catalog");
        }
        String partition = date.toString();
        try (Connection c = dataSource.getConnection()) {
            lock(c, datasetName, partition, true);
            long started = -1;
            try {
                long evaluationId = startEvaluation(c, datasetName, partition, actor);
                started = evaluationId;
                List<RuleOutcome> outcomes = ruleEvaluator.evaluate(datasetName, date, ruleService.rulesFor(datasetName),
                        evaluationId);
                List<ControlTotal> totals = new ArrayList<>();
                List<ControlResult> results = new ArrayList<>();
                List<String> blocking = new ArrayList<>();
                List<WindowPartitions.Window> windows = List.of();
                if (dataset.isPresent()) {
                    Source source = catalog.sourceOf(dataset.get());
                    ControlTotalService.Computed computed = controlTotals.compute(source, dataset.get(), date, c);
                    Map<String, ControlTotal> byLayer = computed.date();
                    totals.addAll(byLayer.values());
                    results.addAll(controls.reconcile(source.kind(), dataset.get(), date, byLayer,
                            quarantinedStagingRows(datasetName, partition, evaluationId, outcomes)));
                    Map<String, ControlResult> sequenceByWindow = Map.of();
                    if (source.kind() == Catalog.SourceKind.POSTGRES_CDC) {
                        CdcControls.Reconciled cdc = cdcControls.reconcile(source, dataset.get(), date);
                        results.addAll(cdc.date());
                        sequenceByWindow = cdc.windows();
                    } else if (source.kind() == Catalog.SourceKind.REST_API) {
                        results.add(pullWindows.control(source, dataset.get(), date));
                    } else {
                        results.add(expectedFiles.control(source, dataset.get(), date));
                    }
                    if (dataset.get().partitioning().windowed()) {
                        windows = windowPartitions.derive(c, source, dataset.get(), date, computed.windows(),
                                sequenceByWindow, results, outcomes);
                    }
                } else {
                    ControlTotalService.CuratedTotals computed = controlTotals.computeCurated(curated.get(),
                            curated.get().rowsFrom().stream().map(catalog::dataset).toList(), date);
                    evaluateCurated(catalog, curated.get(), date, computed, totals, results, blocking);
                    if (curated.get().partitioning().windowed()) {
                        windows = windowPartitions.deriveCurated(c, catalog, curated.get(), date, computed, outcomes,
                                readiness);
                    }
                }
                blocking.addAll(blockingReasons(results, outcomes));
                String summary = summary(results, outcomes, blocking);
                c.setAutoCommit(false);
                try {
                    for (ControlTotal t : totals) {
                        controlTotals.store(c, evaluationId, t, clock.instant());
                    }
                    totalsComputed.fire(new PartitionTotalsComputed(c, datasetName, partition, List.copyOf(totals), actor));
                    storeResults(c, evaluationId, datasetName, partition, results, outcomes);
                    ReadinessState verdict = blocking.isEmpty() ? ReadinessState.READY : ReadinessState.BLOCKED;
                    PartitionReadiness after = apply(c, datasetName, partition, verdict, summary, evaluationId, actor,
                            blocking);
                    finishEvaluation(c, evaluationId, verdict);
                    for (WindowPartitions.Window w : windows) {
                        storeWindow(c, datasetName, w, actor);
                    }
                    CrashPoints.reach(CrashPoints.EVALUATION_STORED);
                    c.commit();
                    cache.invalidate(datasetName, partition);
                    windows.forEach(w -> cache.invalidate(datasetName, w.key()));
                    return new Evaluation(evaluationId, after, totals, results, outcomes, blocking);
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (RuntimeException e) {
                // the partition keeps its state (never READY on an error); the evaluation says why it stopped
                if (started > 0) {
                    failEvaluation(c, started, e);
                }
                metrics.counter("finledger_evaluations_failed", "dataset", datasetName).increment();
                throw new IllegalStateException("evaluation of " + datasetName + " " + partition
                        + " could not finish: " + e.getMessage(), e);
            } finally {
                lock(c, datasetName, partition, false);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("evaluation of " + datasetName + " " + partition + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Why a partition cannot be READY: each control that does not balance and each blocking rule that fails. */
    static List<String> blockingReasons(List<ControlResult> results, List<RuleOutcome> outcomes) {
        List<String> blocking = new ArrayList<>();
        for (ControlResult r : results) {
            if (!r.balanced()) {
                blocking.add("control " + r.name() + ": " + String.join("; ", r.reasons()));
            }
        }
        for (RuleOutcome o : outcomes) {
            if (o.blocks()) {
                blocking.add("rule " + o.rule().name() + ": " + o.message());
            }
        }
        return blocking;
    }

    /** A window partition's evaluation: recorded, stored and applied like the date's, in the same transaction. */
    private void storeWindow(Connection c, String dataset, WindowPartitions.Window w, String actor) throws SQLException {
        long id = startEvaluation(c, dataset, w.key(), actor);
        for (ControlTotal t : w.totals()) {
            controlTotals.store(c, id, t, clock.instant());
        }
        storeResults(c, id, dataset, w.key(), w.controls(), w.rules());
        ReadinessState verdict = w.blocking().isEmpty() ? ReadinessState.READY : ReadinessState.BLOCKED;
        apply(c, dataset, w.key(), verdict, summary(w.controls(), w.rules(), w.blocking()), id, actor, w.blocking());
        finishEvaluation(c, id, verdict);
    }

    private void evaluateCurated(Catalog catalog, CuratedDataset curated, LocalDate date,
                                 ControlTotalService.CuratedTotals computed, List<ControlTotal> totals,
                                 List<ControlResult> results, List<String> blocking) {
        totals.add(computed.out());
        if (!curated.rowsFrom().isEmpty()) {
            results.add(controls.stagingToCurated(curated.name(), curated.rowsFrom(), computed.inputs(), computed.out(),
                    catalog.dataset(curated.rowsFrom().get(0)).primaryKey().get(0), date));
        }
        for (String upstream : curated.builtFrom()) {
            Optional<PartitionReadiness> r = readiness.find(upstream, date.toString());
            if (r.isEmpty() || !r.get().state().usable()) {
                blocking.add("upstream " + upstream + " " + date + " is " + r.map(x -> x.state().label()).orElse("not evaluated"));
            }
        }
    }

    private PartitionReadiness apply(Connection c, String dataset, String partition, ReadinessState verdict,
                                     String summary, long evaluationId, String actor, List<String> blocking)
            throws SQLException {
        PartitionReadiness current = readiness.lockOrCreate(c, dataset, partition);
        // jsonb does not keep the text as written, so compare documents, not strings
        boolean unchanged = ReadinessResource.parse(summary).equals(ReadinessResource.parse(current.checksSummary()));
        if (unchanged && (current.state().usable() || (current.state() == ReadinessState.BLOCKED
                && verdict == ReadinessState.BLOCKED))) {
            readiness.touch(c, current, evaluationId);
            return current;
        }
        String why = blocking.isEmpty() ? "all controls balance and no blocking rule fails"
                : String.join(" | ", blocking.subList(0, Math.min(3, blocking.size())))
                + (blocking.size() > 3 ? " | and " + (blocking.size() - 3) + " more" : "");
        if (current.state().usable()) {
            current = readiness.transition(c, current, ReadinessState.REOPENED, actor,
                    "checks changed since the partition was marked " + current.state().label(), null, null);
        }
        if (current.state() == ReadinessState.PENDING) {
            current = readiness.transition(c, current, ReadinessState.LOADING, actor, "data found", null, null);
        }
        if (current.state() != ReadinessState.VALIDATING) {
            current = readiness.transition(c, current, ReadinessState.VALIDATING, actor, "evaluation " + evaluationId,
                    evaluationId, null);
        }
        return readiness.transition(c, current, verdict, actor, why, evaluationId, summary);
    }

    private static String summary(List<ControlResult> results, List<RuleOutcome> outcomes, List<String> blocking) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("controls_balanced", results.stream().filter(ControlResult::balanced).count());
        summary.put("controls", results.size());
        summary.put("rules_passed", outcomes.stream().filter(RuleOutcome::passed).count());
        summary.put("rules", outcomes.size());
        summary.put("warnings", outcomes.stream().filter(o -> !o.passed() && o.rule().severity() == Rule.Severity.WARN)
                .map(o -> o.rule().name() + ": " + o.message()).toList());
        summary.put("blocking", blocking);
        try {
            return JSON.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A row-level blocking rule on STAGING: the rows failing it are held back from the layers after it. */
    static boolean holdsRowsBack(Rule r) {
        return r.layer() == Rule.Layer.STAGING && r.severity() == Rule.Severity.BLOCK && r.fusable()
                && r.type() != Rule.Type.UNIQUE;
    }

    /** Rows of this staging table held back by row-level blocking rules (custom rules may name rows elsewhere). */
    private long quarantinedStagingRows(String dataset, String partition, long evaluationId,
                                        List<RuleOutcome> outcomes) {
        return quarantine.heldBack(dataset, partition, evaluationId, outcomes.stream().map(RuleOutcome::rule)
                .filter(PartitionEvaluator::holdsRowsBack).map(Rule::name).toList());
    }

    private long startEvaluation(Connection c, String dataset, String partition, String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into evaluation (dataset, partition_key, triggered_by, started_at) values (?, ?, ?, ?) returning id""")) {
            ps.setString(1, dataset);
            ps.setString(2, partition);
            ps.setString(3, actor);
            ps.setTimestamp(4, Timestamp.from(clock.instant()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void failEvaluation(Connection c, long id, RuntimeException e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update evaluation set finished_at = ?, outcome = 'ERROR', error = ? where id = ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, e.getMessage());
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    private void finishEvaluation(Connection c, long id, ReadinessState verdict) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update evaluation set finished_at = ?, outcome = ? where id = ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, verdict.name());
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    private static void storeResults(Connection c, long evaluationId, String dataset, String partition,
                                     List<ControlResult> results, List<RuleOutcome> outcomes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into control_result (evaluation_id, dataset, partition_key, control_name, from_layer, to_layer,
                    in_rows, redelivered_rows, out_rows, quarantined_rows, deduplicated_rows, balanced, reasons,
                    first_differing_keys)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)""")) {
            for (ControlResult r : results) {
                ps.setLong(1, evaluationId);
                ps.setString(2, dataset);
                ps.setString(3, partition);
                ps.setString(4, r.name());
                ps.setString(5, r.fromLayer());
                ps.setString(6, r.toLayer());
                ps.setLong(7, r.in());
                ps.setLong(8, r.redelivered());
                ps.setLong(9, r.out());
                ps.setLong(10, r.quarantined());
                ps.setLong(11, r.deduplicated());
                ps.setBoolean(12, r.balanced());
                ps.setString(13, json(r.reasons()));
                ps.setString(14, json(r.firstDifferingKeys()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into rule_result (evaluation_id, dataset, partition_key, rule_name, rule_type, severity, passed,
                    failed_rows, released_rows, message)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (RuleOutcome o : outcomes) {
                ps.setLong(1, evaluationId);
                ps.setString(2, dataset);
                ps.setString(3, partition);
                ps.setString(4, o.rule().name());
                ps.setString(5, o.rule().type().name().toLowerCase());
                ps.setString(6, o.rule().severity().name().toLowerCase());
                ps.setBoolean(7, o.passed());
                ps.setLong(8, o.failedRows());
                ps.setLong(9, o.releasedRows());
                ps.setString(10, o.message());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void lock(Connection c, String dataset, String partition, boolean acquire) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(acquire
                ? "select pg_advisory_lock(hashtextextended(?, 42))" : "select pg_advisory_unlock(hashtextextended(?, 42))")) {
            ps.setString(1, "evaluation:" + dataset + "/" + partition);
            ps.execute();
        }
    }
}
