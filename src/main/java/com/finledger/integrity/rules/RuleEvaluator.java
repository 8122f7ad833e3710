package com.finledger.integrity.rules;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.CuratedDataset;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.platform.Sql;
import com.finledger.integrity.rules.Rule.Layer;
import com.finledger.integrity.rules.Rule.Type;
import com.finledger.integrity.rules.RuleSql.Flag;
import com.finledger.integrity.warehouse.Warehouse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Evaluates a dataset's rules on one partition: one fused scan per table for the row-level rules,
 * small queries for freshness, volume and custom SQL, and failing rows copied to the quarantine.
 * Rows released from the quarantine no longer fail their rule while they stay as they were.
 */
@ApplicationScoped
public class RuleEvaluator {

    @Inject
    Warehouse warehouse;

    @Inject
    com.finledger.integrity.cdc.SourceDatabases sourceDatabases;

    @Inject
    com.finledger.integrity.extract.ProcessorReports processors;

    /** The control plane's own database (the landing ledger). */
    @Inject
    javax.sql.DataSource dataSource;

    @Inject
    CatalogService catalogService;

    @Inject
    QuarantineService quarantine;

    @Inject
    Clock clock;

    public List<RuleOutcome> evaluate(String datasetName, LocalDate date, List<Rule> rules, long evaluationId) {
        if (rules.isEmpty()) {
            return List.of();
        }
        Catalog catalog = catalogService.catalog();
        String partition = date.toString();
        quarantine.ensure();
        warehouse.update("update quarantine.quarantined_row set still_failing = false where dataset = ? and partition_key = ?",
                List.of(datasetName, partition));
        Map<String, RuleOutcome> outcomes = new LinkedHashMap<>();
        Map<Layer, List<Rule>> fused = new LinkedHashMap<>();
        for (Rule rule : rules) {
            if (rule.fusable()) {
                fused.computeIfAbsent(rule.layer(), l -> new ArrayList<>()).add(rule);
            }
        }
        Optional<Dataset> dataset = catalog.datasets().filter(d -> d.name().equals(datasetName)).findFirst();
        for (var group : fused.entrySet()) {
            RuleTable table = dataset.map(d -> RuleTable.forSource(d, group.getKey()))
                    .orElseGet(() -> RuleTable.forCurated(curated(catalog, datasetName)));
            evaluateFused(table, group.getValue(), date, evaluationId, outcomes);
        }
        for (Rule rule : rules) {
            switch (rule.type()) {
                case CUSTOM_SQL -> outcomes.put(rule.name(), custom(rule, date, evaluationId));
                case FRESHNESS -> outcomes.put(rule.name(), freshness(rule, catalog, dataset.orElseThrow(), date));
                case ROW_COUNT -> outcomes.put(rule.name(), volume(rule, dataset.orElseThrow(), date));
                default -> {
                }
            }
        }
        Map<String, Long> released = released(datasetName, partition);
        List<RuleOutcome> ordered = new ArrayList<>();
        for (Rule rule : rules) {
            RuleOutcome o = outcomes.get(rule.name());
            long rel = released.getOrDefault(rule.name(), 0L);
            boolean passed = o.passed() || (o.releasable() && rel >= o.failedRows());
            ordered.add(new RuleOutcome(rule, passed, o.failedRows(), rel,
                    rel > 0 ? o.message() + " (" + rel + " released)" : o.message(), o.releasable()));
        }
        return ordered;
    }

    private void evaluateFused(RuleTable table, List<Rule> rules, LocalDate date, long evaluationId,
                               Map<String, RuleOutcome> outcomes) {
        String schema = table.table().substring(0, table.table().indexOf('.'));
        String name = table.table().substring(table.table().indexOf('.') + 1);
        if (!warehouse.tableExists(schema, name)) {
            rules.forEach(r -> outcomes.put(r.name(), RuleOutcome.partition(r, false,
                    "table " + table.table() + " does not exist yet")));
            return;
        }
        List<Flag> flags = RuleSql.flags(warehouse.dialect(), table, rules);
        Map<String, Long> counts = warehouse.query(RuleSql.fusedQuery(warehouse.dialect(), table, flags), List.of(date),
                rs -> {
                    Map<String, Long> m = new HashMap<>();
                    m.put("row_count", rs.getLong("row_count"));
                    for (Flag f : flags) {
                        m.put(f.alias(), rs.getLong(f.alias()));
                    }
                    return m;
                }).get(0);
        Instant now = clock.instant();
        for (Flag flag : flags) {
            if (flag.detail() != null) {
                continue;
            }
            Rule rule = flag.rule();
            long failed = counts.get(flag.alias());
            String message;
            boolean addedFields = false;
            if (rule.type() == Type.SCHEMA) {
                message = schemaMessage(table, flags, counts, date);
                addedFields = message.contains("added");
            } else {
                message = failed == 0 ? "all " + counts.get("row_count") + " rows pass"
                        : failed + " of " + counts.get("row_count") + " rows fail: " + rule.description();
            }
            if (failed > 0) {
                warehouse.update(RuleSql.quarantineInsert(warehouse.dialect(), table, flags, flag),
                        List.of(table.dataset(), date.toString(), rule.name(), evaluationId, evaluationId,
                                reason(rule), Timestamp.from(now), date));
            }
            outcomes.put(rule.name(), addedFields ? RuleOutcome.partition(rule, false, message)
                    : RuleOutcome.rows(rule, failed, message));
        }
    }

    private String schemaMessage(RuleTable table, List<Flag> flags, Map<String, Long> counts, LocalDate date) {
        Set<String> contract = table.contract().stream().map(Catalog.Column::name).collect(Collectors.toSet());
        TreeSet<String> added = new TreeSet<>(warehouse.query(warehouse.dialect().distinctJsonFields(table.table(),
                "record", "business_date = ?"), List.of(date), rs -> rs.getString(1)));
        added.removeAll(contract);
        List<String> parts = new ArrayList<>();
        if (!added.isEmpty()) {
            parts.add("added: " + String.join(", ", added));
        }
        for (String kind : List.of("missing", "retyped")) {
            String found = flags.stream().filter(f -> f.detail() != null && f.detail().startsWith(kind + ":")
                            && counts.get(f.alias()) > 0)
                    .map(f -> f.detail().substring(kind.length() + 1) + " (" + counts.get(f.alias()) + " rows)")
                    .collect(Collectors.joining(", "));
            if (!found.isEmpty()) {
                parts.add((kind.equals("missing") ? "removed: " : "retyped: ") + found);
            }
        }
        return parts.isEmpty() ? "records match the contract" : "schema drift: " + String.join("; ", parts);
    }

    private RuleOutcome custom(Rule rule, LocalDate date, long evaluationId) {
        String sql = rule.sql().orElseThrow();
        long failed = warehouse.query(RuleSql.customCount(sql), List.of(date), rs -> rs.getLong(1)).get(0);
        if (failed > 0) {
            warehouse.update(RuleSql.customQuarantineInsert(warehouse.dialect(), sql),
                    List.of(rule.dataset(), date.toString(), rule.name(), evaluationId, evaluationId, reason(rule),
                            Timestamp.from(clock.instant()), date));
        }
        return RuleOutcome.rows(rule, failed,
                failed == 0 ? "no rows violate it" : failed + " rows violate it: " + rule.description());
    }

    private RuleOutcome freshness(Rule rule, Catalog catalog, Dataset dataset, LocalDate date) {
        Source source = catalog.sourceOf(dataset);
        if (source.kind() == SourceKind.PARTNER_FILES) {
            Catalog.PartnerDrop drop = source.partnerDrop().orElseThrow();
            Instant deadline = date.plusDays(1).atTime(LocalTime.parse(drop.cutoff())).atZone(ZoneId.of(drop.timeZone()))
                    .toInstant();
            Optional<Instant> first = com.finledger.integrity.platform.Jdbc.query(dataSource, "select min(arrived_at) "
                    + "from landed_object where dataset = ? and business_date = ?", List.of(dataset.name(), date),
                    rs -> Optional.ofNullable(
                    rs.getTimestamp(1)).map(Timestamp::toInstant)).get(0);
            if (first.isEmpty()) {
                boolean overdue = clock.instant().isAfter(deadline);
                return RuleOutcome.partition(rule, !overdue, overdue ? "no file received; the cut-off was " + deadline
                        : "not due before " + deadline);
            }
            boolean late = first.get().isAfter(deadline);
            return RuleOutcome.partition(rule, !late, (late ? "late: " : "on time: ") + "first file arrived "
                    + first.get() + ", cut-off " + deadline);
        }
        Optional<Instant> newestSource;
        Optional<Instant> newestLanded;
        if (source.kind() == SourceKind.POSTGRES_CDC) {
            newestSource = instant(sourceDatabases.of(source), "select max(commit_ts) from " + Sql.qualified(source.schema(),
                    dataset.table() + "_changes") + " where " + Sql.ident(dataset.businessDate()) + " = ?", date);
            newestLanded = warehouse.tableExists("raw", dataset.name()) ? instant(warehouse,
                    "select max(commit_ts) from " + Sql.qualified("raw", dataset.name()) + " where business_date = ?",
                    date) : Optional.empty();
        } else {
            newestSource = processors.read(source, dataset, date).newestChange();
            newestLanded = warehouse.tableExists("raw", dataset.name()) ? warehouse.query("select max(change_seq) from "
                    + Sql.qualified("raw", dataset.name()) + " where business_date = ?", List.of(date), rs -> {
                        long micros = rs.getLong(1);
                        return rs.wasNull() ? Optional.<Instant>empty()
                                : Optional.of(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000));
                    }).get(0) : Optional.empty();
        }
        if (newestSource.isEmpty()) {
            return RuleOutcome.partition(rule, true, "no source changes for this partition");
        }
        if (newestLanded.isEmpty()) {
            return RuleOutcome.partition(rule, false, "nothing landed yet; newest source change " + newestSource.get());
        }
        Duration lag = Duration.between(newestLanded.get(), newestSource.get());
        if (lag.isNegative()) {
            lag = Duration.ZERO;
        }
        boolean ok = lag.compareTo(dataset.freshness()) <= 0;
        return RuleOutcome.partition(rule, ok, "replication lag " + lag + " (SLA " + dataset.freshness() + ")");
    }

    private static Optional<Instant> instant(com.finledger.integrity.platform.SqlReader where, String sql, LocalDate date) {
        return where.query(sql, List.of(date), rs -> Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant))
                .get(0);
    }

    private RuleOutcome volume(Rule rule, Dataset dataset, LocalDate date) {
        if (!warehouse.tableExists("staging", dataset.name())) {
            return RuleOutcome.partition(rule, false, "staging." + dataset.name() + " does not exist yet");
        }
        String bd = Sql.ident(dataset.businessDate());
        Map<LocalDate, Long> history = new HashMap<>();
        warehouse.query("select " + bd + ", count(*) from " + Sql.qualified("staging", dataset.name()) + " where " + bd
                + " between ? and ? group by 1", List.of(date.minusDays(7), date), rs -> history.put(
                rs.getObject(1, LocalDate.class), rs.getLong(2)));
        long today = history.getOrDefault(date, 0L);
        List<String> problems = new ArrayList<>();
        rule.min().filter(min -> BigDecimal.valueOf(today).compareTo(min) < 0)
                .ifPresent(min -> problems.add(today + " rows, below the minimum " + min.toPlainString()));
        rule.max().filter(max -> BigDecimal.valueOf(today).compareTo(max) > 0)
                .ifPresent(max -> problems.add(today + " rows, above the maximum " + max.toPlainString()));
        List<Long> previous = history.entrySet().stream().filter(e -> e.getKey().isBefore(date)).map(Map.Entry::getValue)
                .toList();
        String trend = "";
        if (rule.maxChangePct().isPresent() && !previous.isEmpty()) {
            BigDecimal avg = BigDecimal.valueOf(previous.stream().mapToLong(Long::longValue).sum())
                    .divide(BigDecimal.valueOf(previous.size()), 2, RoundingMode.HALF_UP);
            BigDecimal changePct = avg.signum() == 0 ? BigDecimal.valueOf(100)
                    : BigDecimal.valueOf(today).subtract(avg).abs().multiply(BigDecimal.valueOf(100))
                    .divide(avg, 1, RoundingMode.HALF_UP);
            trend = ", " + changePct.toPlainString() + "% from the trailing average " + avg.toPlainString();
            if (changePct.compareTo(rule.maxChangePct().get()) > 0) {
                problems.add(today + " rows is " + changePct.toPlainString() + "% off the trailing average "
                        + avg.toPlainString() + " (limit " + rule.maxChangePct().get().toPlainString() + "%)");
            }
        }
        return RuleOutcome.partition(rule, problems.isEmpty(),
                problems.isEmpty() ? today + " rows" + trend : String.join("; ", problems));
    }

    /**
     * Where a business date's still-failing quarantined rows fall among the micro-batch windows of a
     * windowed dataset: per window and rule, the failing rows and how many of them are released; per
     * window, the distinct unreleased rows of {@code heldBackRules} (the rows STAGING holds back); and
     * per rule the rows that name no window (a custom rule whose row key is not the dataset's key).
     */
    public record WindowFailures(Map<String, Map<String, long[]>> byWindow, Map<String, Long> heldBack,
                                 Map<String, Long> unplaced) {

        public long failing(String window, String rule) {
            return byWindow.getOrDefault(window, Map.of()).getOrDefault(rule, new long[2])[0];
        }

        public long released(String window, String rule) {
            return byWindow.getOrDefault(window, Map.of()).getOrDefault(rule, new long[2])[1];
        }
    }

    public WindowFailures failuresByWindow(Dataset dataset, LocalDate date, List<String> heldBackRules) {
        return failuresByWindow(RuleTable.forSource(dataset, Layer.STAGING), dataset.partitioning(), date,
                heldBackRules);
    }

    /** The same for a windowed curated dataset: its rows are placed by the curated table's time column. */
    public WindowFailures failuresByWindow(CuratedDataset curated, LocalDate date) {
        return failuresByWindow(RuleTable.forCurated(curated), curated.partitioning(), date, List.of());
    }

    private WindowFailures failuresByWindow(RuleTable staging, Catalog.Partitioning partitioning, LocalDate date,
                                            List<String> heldBackRules) {
        Map<String, Map<String, long[]>> byWindow = new HashMap<>();
        Map<String, Long> heldBack = new HashMap<>();
        Map<String, Long> unplaced = new HashMap<>();
        String schema = staging.table().substring(0, staging.table().indexOf('.'));
        if (!warehouse.tableExists(schema, staging.table().substring(schema.length() + 1))) {
            return new WindowFailures(byWindow, heldBack, unplaced);
        }
        var d = warehouse.dialect();
        long seconds = partitioning.windowSeconds();
        String time = partitioning.timeColumn().orElseThrow();
        String placed = """
                with placed as (
                    select q.rule_name, q.row_key, q.released_at,
                           coalesce(%s, %s) as part
                    from quarantine.quarantined_row q left join %s t on %s = q.row_key
                    where q.dataset = ? and q.partition_key = ? and q.still_failing
                )
                """.formatted(d.windowBucket(d.jsonText("q.masked_sample", time), true, seconds),
                d.windowBucket("t." + Sql.ident(time), false, seconds), staging.table(), staging.rowKey(d));
        List<Object> params = List.of(staging.dataset(), date.toString());
        warehouse.query(placed + "select rule_name, part, count(*), " + d.countIf("released_at is not null")
                + " from placed group by rule_name, part", params, rs -> {
                    String rule = rs.getString(1);
                    long bucket = rs.getLong(2);
                    if (rs.wasNull()) {
                        unplaced.merge(rule, rs.getLong(3) - rs.getLong(4), Long::sum);
                    } else {
                        byWindow.computeIfAbsent(Catalog.Partitioning.windowKeyOfBucket(bucket, seconds),
                                k -> new HashMap<>()).put(rule, new long[] {rs.getLong(3), rs.getLong(4)});
                    }
                    return rule;
                });
        if (!heldBackRules.isEmpty()) {
            warehouse.query(placed + "select part, count(distinct row_key) from placed where released_at is null"
                    + " and part is not null and rule_name in (" + heldBackRules.stream()
                    .map(r -> "'" + r.replace("'", "''") + "'").collect(Collectors.joining(", ")) + ") group by part",
                    params, rs -> heldBack.put(Catalog.Partitioning.windowKeyOfBucket(rs.getLong(1), seconds),
                            rs.getLong(2)));
        }
        return new WindowFailures(byWindow, heldBack, unplaced);
    }

    private Map<String, Long> released(String dataset, String partition) {
        Map<String, Long> released = new HashMap<>();
        warehouse.query("""
                select rule_name, count(*) from quarantine.quarantined_row
                where dataset = ? and partition_key = ? and still_failing and released_at is not null
                group by rule_name""", List.of(dataset, partition), rs -> released.put(rs.getString(1), rs.getLong(2)));
        return released;
    }

    private static String reason(Rule rule) {
        return rule.type().name().toLowerCase() + ": " + rule.description();
    }

    private static CuratedDataset curated(Catalog catalog, String name) {
        return catalog.curated().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
