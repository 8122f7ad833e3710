package com.finledger.integrity.rules;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.catalog.Catalog.Column;
import com.finledger.integrity.rules.Rule.Layer;
import com.finledger.integrity.rules.Rule.Severity;
import com.finledger.integrity.rules.Rule.Type;
import com.finledger.integrity.warehouse.Warehouse;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Benchmarks of the integrity core (Maven profile {@code bench}, not part of verify). Each prints a
 * ratio against a baseline measured in the same run and writes target/bench/integrity-core.json.
 *
 * <ol>
 *   <li>20 rules on a 10M-row table in one fused scan vs one plain full scan of it (target ≤ 1.3×);</li>
 *   <li>the readiness API under wrk vs a trivial endpoint of the same app, same auth
 *       (target ≥ 0.5× its requests/s, p99 &lt; 5 ms).</li>
 * </ol>
 */
@QuarkusTest
class IntegrityCoreBench {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 2);
    private static final Path OUT = Path.of("target", "bench");

    @Inject
    Warehouse warehouse;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    com.finledger.integrity.readiness.ReadinessCache cache;

    @TestHTTPResource("/")
    URL root;

    private final Map<String, Object> results = new LinkedHashMap<>();

    @Test
    void benchmarks() throws Exception {
        rulesVersusScan(Long.getLong("bench.rows", 10_000_000L));
        readinessApiVersusTrivialEndpoint();
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("integrity-core.json"), new com.fasterxml.jackson.databind.ObjectMapper()
                .writerWithDefaultPrettyPrinter().writeValueAsString(results));
        System.out.println("[bench] results written to " + OUT.resolve("integrity-core.json"));
    }

    private void rulesVersusScan(long rows) {
        warehouse.update("create schema if not exists staging", List.of());
        warehouse.update("drop table if exists staging.bench_payments", List.of());
        warehouse.update("drop table if exists staging.bench_merchants", List.of());
        warehouse.update("create table staging.bench_merchants (merchant_id text primary key)", List.of());
        warehouse.update("insert into staging.bench_merchants select 'M-' || lpad(g::text, 3, '0') "
                + "from generate_series(1, 40) g", List.of());
        long t0 = System.nanoTime();
        warehouse.update("""
                create table staging.bench_payments as
                select 'PAY-' || lpad(g::text, 9, '0')                          as payment_id,
                       case when g % 997 = 0 then null when g % 1019 = 0 then 'M-999'
                            else 'M-' || lpad((1 + g % 40)::text, 3, '0') end       as merchant_id,
                       case when g % 100 < 55 then 'alpha' else 'beta' end      as processor,
                       'tok_' || md5(g::text) || '_' || lpad((g % 10000)::text, 4, '0') as card_pan,
                       case when g % 1013 = 0 then 0 else (100 + (g * 7919) % 49900)::bigint end as amount_minor,
                       case when g % 1009 = 0 then 'XXX' else (array['EUR', 'EUR', 'GBP', 'USD'])[1 + g % 4] end
                                                                                as currency,
                       case when g % 25 = 0 then 'DECLINED' else 'CAPTURED' end as status,
                       timestamptz '2026-11-02 00:00:00+00' + (g % 86400) * interval '1 second' as created_at,
                       date '2026-11-02'                                       as business_date,
                       g::bigint                                               as change_seq
                from generate_series(1, ?) g""", List.of(rows));
        warehouse.update("alter table staging.bench_payments add primary key (payment_id)", List.of());
        warehouse.update("vacuum analyze staging.bench_payments", List.of());
        System.out.printf(Locale.ROOT, "[bench] built staging.bench_payments with %,d rows in %.1f s%n", rows,
                (System.nanoTime() - t0) / 1e9);

        List<Column> contract = List.of(new Column("payment_id", "string", false, false),
                new Column("merchant_id", "string", false, false), new Column("processor", "string", false, false),
                new Column("card_pan", "string", false, true), new Column("amount_minor", "bigint", false, false),
                new Column("currency", "string", false, false), new Column("status", "string", false, false),
                new Column("created_at", "timestamp", false, false), new Column("business_date", "date", false, false));
        RuleTable table = new RuleTable(Layer.STAGING, "bench_payments", "staging.bench_payments", "business_date",
                List.of("payment_id"), contract);
        List<Rule> rules = twentyRules();
        List<RuleSql.Flag> flags = RuleSql.flags(warehouse.dialect(), table, rules);
        String fused = RuleSql.fusedQuery(warehouse.dialect(), table, flags);
        String scan = "select count(*) from staging.bench_payments t where t.business_date = ?";
        // A second, informative baseline: a scan that also reads every column the rules look at.
        String columnScan = "select count(*), count(t.payment_id), count(t.merchant_id), count(t.processor), "
                + "count(t.card_pan), count(t.amount_minor), count(t.currency), count(t.status), count(t.created_at), "
                + "count(t.change_seq) from staging.bench_payments t where t.business_date = ?";

        // The baseline users would otherwise run: one query per rule, as dbt tests, Soda and Great Expectations
        // issue them (each its own scan of the partition), written here independently of RuleSql.
        List<String> perRule = rules.stream().map(IntegrityCoreBench::perRuleQuery).toList();

        // warm up all, then alternate so none enjoys a warmer cache
        time(scan);
        time(fused);
        time(columnScan);
        timePerRule(perRule);
        List<Double> scans = new ArrayList<>();
        List<Double> columnScans = new ArrayList<>();
        List<Double> fuseds = new ArrayList<>();
        List<Double> perRules = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            scans.add(time(scan));
            columnScans.add(time(columnScan));
            fuseds.add(time(fused));
            perRules.add(timePerRule(perRule));
        }
        // the fused scan counts what the per-rule queries count, rule by rule
        List<Long> fusedCounts = warehouse.query(fused, List.of(DAY), rs -> {
            List<Long> counts = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                counts.add(rs.getLong("f" + i));
            }
            return counts;
        }).get(0);
        List<Long> perRuleCounts = perRule.stream()
                .map(q -> warehouse.query(q, List.of(DAY), rs -> rs.getLong(1)).get(0)).toList();
        for (int i = 0; i < rules.size(); i++) {
            if (!fusedCounts.get(i).equals(perRuleCounts.get(i))) {
                throw new AssertionError("rule " + rules.get(i).name() + ": fused scan counts " + fusedCounts.get(i)
                        + ", its own query " + perRuleCounts.get(i));
            }
        }
        if (perRuleCounts.stream().filter(c -> c > 0).count() < 4) {
            throw new AssertionError("the bench data must make several rules fail: " + perRuleCounts);
        }
        double scanS = median(scans);
        double columnScanS = median(columnScans);
        double fusedS = median(fuseds);
        double perRuleS = median(perRules);
        System.out.printf(Locale.ROOT, "[bench] 20 rules, one query per rule (dbt tests / Soda / GX style): %.3f s; "
                + "fused scan %.3f s: fused is %.1fx faster; per-rule failing counts equal the fused counts %s%n",
                perRuleS, fusedS, perRuleS / fusedS, perRuleCounts);
        double ratio = fusedS / scanS;
        System.out.printf(Locale.ROOT, "[bench] 20 rules, one fused scan: %.3f s; plain full scan: %.3f s; "
                + "ratio %.2fx (target <= 1.30x) %s; vs a scan reading the rules' columns (%.3f s): %.2fx%n", fusedS,
                scanS, ratio, ratio <= 1.3 ? "MET" : "NOT MET", columnScanS, fusedS / columnScanS);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("rows", rows);
        r.put("rules", rules.size());
        r.put("fused_scan_seconds_median", fusedS);
        r.put("plain_scan_seconds_median", scanS);
        r.put("column_reading_scan_seconds_median", columnScanS);
        r.put("ratio_vs_column_reading_scan", fusedS / columnScanS);
        r.put("per_rule_queries_seconds_median", perRuleS);
        r.put("speedup_vs_per_rule_queries", perRuleS / fusedS);
        r.put("per_rule_failing_counts", perRuleCounts);
        r.put("fused_counts_equal_per_rule_counts", true);
        r.put("ratio", ratio);
        r.put("target_ratio_max", 1.3);
        r.put("met", ratio <= 1.3);
        results.put("rules_vs_scan", r);
        warehouse.update("drop table staging.bench_payments", List.of());
        warehouse.update("drop table staging.bench_merchants", List.of());
    }

    private static List<Rule> twentyRules() {
        List<Rule> rules = new ArrayList<>();
        for (String column : List.of("payment_id", "merchant_id", "processor", "card_pan", "amount_minor", "currency",
                "status", "created_at", "business_date", "change_seq")) {
            rules.add(rule("not_null_" + column, Type.NOT_NULL, List.of(column), List.of(), null, null, null));
        }
        rules.add(rule("currency_accepted", Type.ACCEPTED_VALUES, List.of("currency"), List.of("EUR", "GBP", "USD"), null,
                null, null));
        rules.add(rule("status_accepted", Type.ACCEPTED_VALUES, List.of("status"),
                List.of("AUTHORIZED", "CAPTURED", "DECLINED", "REFUNDED"), null, null, null));
        rules.add(rule("processor_accepted", Type.ACCEPTED_VALUES, List.of("processor"), List.of("alpha", "beta"), null,
                null, null));
        rules.add(rule("business_date_accepted", Type.ACCEPTED_VALUES, List.of("business_date"),
                List.of("2026-11-02"), null, null, null));
        rules.add(rule("amount_positive", Type.RANGE, List.of("amount_minor"), List.of(), BigDecimal.ONE,
                new BigDecimal("100000000"), null));
        rules.add(rule("amount_not_huge", Type.RANGE, List.of("amount_minor"), List.of(), null, new BigDecimal("5000000"),
                null));
        rules.add(rule("change_seq_positive", Type.RANGE, List.of("change_seq"), List.of(), BigDecimal.ONE, null, null));
        rules.add(rule("merchant_known", Type.RELATIONSHIPS, List.of("merchant_id"), List.of(), null, null,
                "bench_merchants.merchant_id"));
        rules.add(rule("payment_id_unique", Type.UNIQUE, List.of("payment_id"), List.of(), null, null, null));
        rules.add(rule("required_together", Type.NOT_NULL, List.of("payment_id", "amount_minor", "currency"), List.of(),
                null, null, null));
        if (rules.size() != 20) {
            throw new IllegalStateException("the benchmark is defined for 20 rules, not " + rules.size());
        }
        return rules;
    }

    private static Rule rule(String name, Type type, List<String> columns, List<String> values, BigDecimal min,
                             BigDecimal max, String to) {
        return new Rule(name, "bench_payments", type, Severity.BLOCK, "bench", name, Layer.STAGING, columns, values,
                Optional.ofNullable(min), Optional.ofNullable(max), Optional.ofNullable(to), Optional.empty(),
                Optional.empty(), "bench", 1);
    }

    /** One rule's failing-row count by its own query over the partition, the way a per-test tool asks it. */
    private static String perRuleQuery(Rule rule) {
        String t = "staging.bench_payments";
        String day = "business_date = ?";
        return switch (rule.type()) {
            case NOT_NULL -> "select count(*) from " + t + " where " + day + " and (" + String.join(" or ",
                    rule.columns().stream().map(c -> c + " is null").toList()) + ")";
            case ACCEPTED_VALUES -> "select count(*) from " + t + " where " + day + " and " + rule.column()
                    + " is not null and " + rule.column() + "::text not in (" + String.join(", ",
                    rule.values().stream().map(v -> "'" + v + "'").toList()) + ")";
            case RANGE -> "select count(*) from " + t + " where " + day + " and not (" + rule.min()
                    .map(m -> rule.column() + " >= " + m.toPlainString()).orElse("true") + " and " + rule.max()
                    .map(m -> rule.column() + " <= " + m.toPlainString()).orElse("true") + ")";
            case UNIQUE -> "select coalesce(sum(n - 1), 0) from (select count(*) as n from " + t + " where " + day
                    + " group by " + String.join(", ", rule.columns()) + " having count(*) > 1) d";
            case RELATIONSHIPS -> "select count(*) from " + t + " c left join staging." + rule.to().orElseThrow()
                    .split("\\.")[0] + " p on c." + rule.column() + " = p." + rule.to().orElseThrow().split("\\.")[1]
                    + " where c." + day + " and c." + rule.column() + " is not null and p."
                    + rule.to().orElseThrow().split("\\.")[1] + " is null";
            default -> throw new IllegalArgumentException(rule.type() + " has no per-rule baseline");
        };
    }

    private double timePerRule(List<String> queries) {
        long start = System.nanoTime();
        for (String q : queries) {
            warehouse.query(q, List.of(DAY), rs -> rs.getLong(1));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private double time(String sql) {
        long start = System.nanoTime();
        warehouse.query(sql, List.of(DAY), rs -> rs.getLong(1));
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /**
     * The readiness poll, each path against a trivial endpoint of the same execution model, same auth and path
     * shape (BenchTrivialReadinessResource): the cached path (answered on the I/O thread) against a constant
     * answered on the I/O thread; the database path (cache off: every poll reads PostgreSQL on a worker thread)
     * against a constant answered on a worker thread. p99s are reported against the trivial p99 of the same run.
     */
    private void readinessApiVersusTrivialEndpoint() throws IOException, InterruptedException {
        fixture.ensureDefaultWorld();
        if (!Files.isExecutable(Path.of("/usr/bin/wrk"))) {
            throw new IllegalStateException("the HTTP benchmark needs wrk: apt-get install -y wrk");
        }
        int warm = Integer.getInteger("bench.wrk.warm-seconds", 10);
        int seconds = Integer.getInteger("bench.wrk.seconds", 15);
        String auth = "Basic " + Base64.getEncoder().encodeToString("pipeline:demo".getBytes(StandardCharsets.UTF_8));
        String readinessUrl = root + "api/v1/readiness/payments/" + DAY;
        String trivialIo = root + "api/v1/bench/readiness-trivial/io/payments/" + DAY;
        String trivialWorker = root + "api/v1/bench/readiness-trivial/worker/payments/" + DAY;
        Map<String, Object> r = new LinkedHashMap<>();
        try {
            cache.setTtlMillis(1000);
            wrk(trivialIo, auth, warm);
            wrk(readinessUrl, auth, warm);
            double[] io = wrk(trivialIo, auth, seconds);
            double[] cached = wrk(readinessUrl, auth, seconds);
            cache.setTtlMillis(0);
            wrk(trivialWorker, auth, warm);
            wrk(readinessUrl, auth, warm);
            double[] worker = wrk(trivialWorker, auth, seconds);
            double[] database = wrk(readinessUrl, auth, seconds);
            r.put("cached", path(cached, io, "cache on (1 s TTL): answered on the I/O thread",
                    "constant answered on the I/O thread"));
            r.put("database", path(database, worker, "cache off: every poll reads PostgreSQL on a worker thread",
                    "constant answered on a worker thread"));
            System.out.printf(Locale.ROOT, "[bench] readiness cached: %.0f req/s p99 %.2f ms vs trivial (I/O thread) "
                            + "%.0f req/s p99 %.2f ms: throughput %.2fx, p99 %.2fx%n", cached[0], cached[1], io[0],
                    io[1], cached[0] / io[0], cached[1] / io[1]);
            System.out.printf(Locale.ROOT, "[bench] readiness database (cache off): %.0f req/s p99 %.2f ms vs trivial "
                            + "(worker thread) %.0f req/s p99 %.2f ms: throughput %.2fx, p99 %.2fx%n", database[0],
                    database[1], worker[0], worker[1], database[0] / worker[0], database[1] / worker[1]);
        } finally {
            cache.setTtlMillis(1000);
        }
        r.put("target", "throughput >= 0.5x of the trivial endpoint of the same execution model, p99 < 5 ms");
        r.put("load", "wrk -t1 -c4 -d" + seconds + "s on loopback after a " + warm + " s warm-up per endpoint, server "
                + "and load generator sharing the machine's 2 cores");
        results.put("readiness_api", r);
    }

    private static Map<String, Object> path(double[] measured, double[] trivial, String what, String baseline) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("what", what);
        m.put("baseline", baseline);
        m.put("requests_per_second", measured[0]);
        m.put("p99_ms", measured[1]);
        m.put("trivial_requests_per_second", trivial[0]);
        m.put("trivial_p99_ms", trivial[1]);
        m.put("throughput_ratio", measured[0] / trivial[0]);
        m.put("p99_ratio", measured[1] / trivial[1]);
        m.put("met", measured[0] / trivial[0] >= 0.5 && measured[1] < 5.0);
        return m;
    }

    /** Runs wrk; returns {requests per second, p99 latency in ms}. */
    private static double[] wrk(String url, String auth, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("wrk", "-t1", "-c4", "-d" + seconds + "s", "--latency", "-H",
                "Authorization: " + auth, url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || out.contains("Non-2xx")) {
            throw new IllegalStateException("wrk against " + url + " failed:\n" + out);
        }
        Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        Matcher p99 = Pattern.compile("99%\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!rps.find() || !p99.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + out);
        }
        double latency = Double.parseDouble(p99.group(1));
        latency = switch (p99.group(2)) {
            case "us" -> latency / 1000;
            case "s" -> latency * 1000;
            default -> latency;
        };
        return new double[] {Double.parseDouble(rps.group(1)), latency};
    }
}
