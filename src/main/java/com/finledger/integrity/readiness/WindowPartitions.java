package com.finledger.integrity.readiness;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.CuratedDataset;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.controls.ControlResult;
import com.finledger.integrity.controls.ControlTotal;
import com.finledger.integrity.controls.ControlTotalService;
import com.finledger.integrity.controls.Controls;
import com.finledger.integrity.extract.PullWindowLedger;
import com.finledger.integrity.rules.Rule;
import com.finledger.integrity.rules.RuleEvaluator;
import com.finledger.integrity.rules.RuleOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The micro-batch window partitions of an operations dataset, derived while its business date is
 * evaluated (every window that holds rows, and every window that has closed, rows or not): every check is computed once for the date with grouped queries and attributed to the
 * windows its rows fall in (by the dataset's time column). Control totals and controls are per
 * window; row-level rule failures count in the window of each failing row; checks about the date as
 * a whole (a DMS task, freshness, volume, fields added to the records) and failing rows that name no
 * window apply to every window of the date, so a window is never READY while its date has an
 * unexplained break.
 */
@ApplicationScoped
public class WindowPartitions {

    @Inject
    ControlTotalService controlTotals;

    @Inject
    Controls controls;

    @Inject
    PullWindowLedger pullWindows;

    @Inject
    RuleEvaluator ruleEvaluator;

    @Inject
    java.time.Clock clock;

    public record Window(String key, List<ControlTotal> totals, List<ControlResult> controls, List<RuleOutcome> rules,
                         List<String> blocking) {
    }

    /** The windows of the date that hold rows in any layer, have closed, or were evaluated before, in time order. */
    public List<Window> derive(Connection c, Source source, Dataset dataset, LocalDate date,
                               Map<String, Map<String, ControlTotal>> totals, Map<String, ControlResult> sequence,
                               List<ControlResult> dateControls, List<RuleOutcome> dateRules) throws SQLException {
        Catalog.Partitioning partitioning = dataset.partitioning();
        Map<String, Map<String, ControlTotal>> all = new TreeMap<>();
        // a window belongs to the business date of its UTC day; rows timed outside their business date's
        // day belong to no window (the date partition still counts them), so no window has two owners
        totals.forEach((key, byLayer) -> {
            if (key.startsWith(date + "T")) {
                all.put(key, byLayer);
            }
        });
        for (String known : closedWindows(partitioning, dataset.freshness(), date)) {
            all.computeIfAbsent(known, k -> Map.of());
        }
        for (String known : knownWindows(c, dataset.name(), date)) {
            all.computeIfAbsent(known, k -> Map.of());
        }
        List<String> heldBackRules = dateRules.stream().map(RuleOutcome::rule).filter(PartitionEvaluator::holdsRowsBack)
                .map(Rule::name).toList();
        RuleEvaluator.WindowFailures failures = ruleEvaluator.failuresByWindow(dataset, date, heldBackRules);
        List<ControlResult> wholeDate = dateControls.stream().filter(r -> r.name().equals("dms_statistics")).toList();
        PullWindowLedger.Snapshot pulls = source.kind() == Catalog.SourceKind.REST_API
                ? pullWindows.snapshot(source) : null;
        List<Window> windows = new ArrayList<>();
        for (var entry : all.entrySet()) {
            String key = entry.getKey();
            Instant start = partitioning.windowStart(key).orElseThrow();
            Map<String, ControlTotal> byLayer = entry.getValue().isEmpty()
                    ? controlTotals.emptyLayers(source, dataset, key) : entry.getValue();
            List<ControlResult> results = new ArrayList<>(controls.reconcile(source.kind(), dataset, date, start,
                    byLayer, failures.heldBack().getOrDefault(key, 0L)));
            if (source.kind() == Catalog.SourceKind.POSTGRES_CDC) {
                results.addAll(wholeDate);
                results.add(sequence.getOrDefault(key, new ControlResult("change_sequence", "source", "raw", 0, 0, 0,
                        0, 0, true, List.of(), List.of())));
            } else if (source.kind() == Catalog.SourceKind.REST_API) {
                results.add(pulls.control(start, start.plus(partitioning.window().orElseThrow())));
            }
            windows.add(window(key, new ArrayList<>(byLayer.values()), results, dateRules, failures, List.of()));
        }
        return windows;
    }

    /**
     * The windows of a windowed curated dataset's date: CURATED totals per window against the STAGING
     * windows its rows come from ({@code staging_to_curated}), rule failures placed by the curated
     * table's time column, and each upstream dataset's window (or date, when it has no windows) usable.
     */
    public List<Window> deriveCurated(Connection c, Catalog catalog, CuratedDataset curated, LocalDate date,
                                      ControlTotalService.CuratedTotals computed, List<RuleOutcome> dateRules,
                                      ReadinessService readiness) throws SQLException {
        Catalog.Partitioning partitioning = curated.partitioning();
        Map<String, ControlTotal> out = computed.outWindows();
        List<Map<String, ControlTotal>> inputs = computed.inputWindows();
        List<String> inputTimes = curated.rowsFrom().stream()
                .map(input -> catalog.dataset(input).partitioning().timeColumn().orElseThrow()).toList();
        TreeMap<String, Boolean> keys = new TreeMap<>();
        out.keySet().forEach(k -> keys.put(k, true));
        inputs.forEach(m -> m.keySet().forEach(k -> keys.put(k, true)));
        knownWindows(c, curated.name(), date).forEach(k -> keys.put(k, true));
        closedWindows(partitioning, curated.freshness(), date).forEach(k -> keys.put(k, true));
        RuleEvaluator.WindowFailures failures = ruleEvaluator.failuresByWindow(curated, date);
        List<Window> windows = new ArrayList<>();
        for (String key : keys.keySet()) {
            if (!key.startsWith(date + "T")) {
                continue;
            }
            Instant start = partitioning.windowStart(key).orElseThrow();
            ControlTotal built = out.getOrDefault(key, ControlTotalService.emptyTotal(curated.name(), key,
                    ControlTotalService.CURATED));
            List<ControlTotal> totalsOfWindow = new ArrayList<>(List.of(built));
            List<ControlResult> results = new ArrayList<>();
            if (!curated.rowsFrom().isEmpty()) {
                List<ControlTotal> in = new ArrayList<>();
                for (int i = 0; i < inputs.size(); i++) {
                    in.add(inputs.get(i).getOrDefault(key, ControlTotalService.emptyTotal(curated.rowsFrom().get(i), key,
                            ControlTotalService.STAGING)));
                }
                results.add(controls.stagingToCurated(curated.name(), curated.rowsFrom(), in, built,
                        catalog.dataset(curated.rowsFrom().get(0)).primaryKey().get(0), date,
                        new Controls.Window(start, partitioning.windowSeconds(), inputTimes,
                                partitioning.timeColumn().orElseThrow())));
            }
            List<String> upstream = new ArrayList<>();
            for (String from : curated.builtFrom()) {
                boolean windowed = catalog.datasets().anyMatch(d -> d.name().equals(from) && d.partitioning().windowed())
                        || catalog.curated().stream().anyMatch(x -> x.name().equals(from) && x.partitioning().windowed());
                String partition = windowed ? key : date.toString();
                Optional<PartitionReadiness> r = readiness.find(from, partition);
                if (r.isEmpty() || !r.get().state().usable()) {
                    upstream.add("upstream " + from + " " + partition + " is "
                            + r.map(x -> x.state().label()).orElse("not evaluated"));
                }
            }
            windows.add(window(key, totalsOfWindow, results, dateRules, failures, upstream));
        }
        return windows;
    }

    private static Window window(String key, List<ControlTotal> totals, List<ControlResult> results,
                                 List<RuleOutcome> dateRules, RuleEvaluator.WindowFailures failures,
                                 List<String> upstream) {
        List<RuleOutcome> rules = new ArrayList<>();
        for (RuleOutcome o : dateRules) {
            rules.add(inWindow(o, key, failures));
        }
        List<String> blocking = PartitionEvaluator.blockingReasons(results, rules);
        blocking.addAll(upstream);
        return new Window(key, totals, results, rules, blocking);
    }

    private static RuleOutcome inWindow(RuleOutcome date, String window, RuleEvaluator.WindowFailures failures) {
        Rule rule = date.rule();
        if (!date.releasable()) {
            return new RuleOutcome(rule, date.passed(), 0, 0, "for the business date: " + date.message(), false);
        }
        long failing = failures.failing(window, rule.name());
        long released = failures.released(window, rule.name());
        long unplaced = failures.unplaced().getOrDefault(rule.name(), 0L);
        if (unplaced > 0) {
            return new RuleOutcome(rule, false, failing, released, unplaced + " failing rows of the business date "
                    + "name no window (" + date.message() + ")", true);
        }
        boolean passed = failing == 0 || released >= failing;
        String message = failing == 0 ? "no failing rows in this window"
                : failing + " rows of this window fail: " + rule.description()
                + (released > 0 ? " (" + released + " released)" : "");
        return new RuleOutcome(rule, passed, failing, released, message, true);
    }

    /**
     * Every window of the date that closed at least the dataset's freshness SLA ago: a window without a
     * single row is a verdict too (the source says it holds none), so a sensor waiting for a quiet
     * quarter of an hour gets READY instead of waiting for ever. Windows still open stay unevaluated.
     */
    private List<String> closedWindows(Catalog.Partitioning partitioning, java.time.Duration freshness,
                                       LocalDate date) {
        return closedWindows(partitioning, freshness, date, clock.instant());
    }

    static List<String> closedWindows(Catalog.Partitioning partitioning, java.time.Duration freshness, LocalDate date,
                                      Instant now) {
        List<String> keys = new ArrayList<>();
        Instant settled = now.minus(freshness);
        java.time.Duration window = partitioning.window().orElseThrow();
        for (Instant start = date.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
             start.isBefore(date.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant())
                     && !start.plus(window).isAfter(settled); start = start.plus(window)) {
            keys.add(partitioning.windowKey(start));
        }
        return keys;
    }

    /** Window partitions of the date that exist already, so a window whose rows went away is evaluated too. */
    private static List<String> knownWindows(Connection c, String dataset, LocalDate date) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select partition_key from partition_readiness
                where dataset = ? and partition_key like ? order by partition_key""")) {
            ps.setString(1, dataset);
            ps.setString(2, date + "T%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }
}
