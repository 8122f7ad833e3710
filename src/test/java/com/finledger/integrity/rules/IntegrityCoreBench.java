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
                       'M-' || lpad((1 + g % 40)::text, 3, '0')                 as merchant_id,
                       case when g % 100 < 55 then 'alpha' else 'beta' end      as processor,
                       'tok_' || md5(g::text) || '_' || lpad((g % 10000)::text, 4, '0') as card_pan,
                       (100 + (g * 7919) % 49900)::bigint                       as amount_minor,
                       (array['EUR', 'EUR', 'GBP', 'USD'])[1 + g % 4]           as currency,
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

        // warm up both, then alternate so neither enjoys a warmer cache
        time(scan);
        time(fused);
        time(columnScan);
        List<Double> scans = new ArrayList<>();
        List<Double> columnScans = new ArrayList<>();
        List<Double> fuseds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            scans.add(time(scan));
            columnScans.add(time(columnScan));
            fuseds.add(time(fused));
        }
        double scanS = median(scans);
        double columnScanS = median(columnScans);
        double fusedS = median(fuseds);
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

    private double time(String sql) {
        long start = System.nanoTime();
        warehouse.query(sql, List.of(DAY), rs -> rs.getLong(1));
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private void readinessApiVersusTrivialEndpoint() throws IOException, InterruptedException {
        fixture.ensureDefaultWorld();
        if (!Files.isExecutable(Path.of("/usr/bin/wrk"))) {
            throw new IllegalStateException("the HTTP benchmark needs wrk: apt-get install -y wrk");
        }
        String auth = "Basic " + Base64.getEncoder().encodeToString("pipeline:demo".getBytes(StandardCharsets.UTF_8));
        String readinessUrl = root + "api/v1/readiness/payments/" + DAY;
        String trivialUrl = root + "api/v1/whoami";
        // warm the JIT on both paths first; then alternate so both see the same machine
        wrk(trivialUrl, auth, 10);
        wrk(readinessUrl, auth, 10);
        double[] trivial = wrk(trivialUrl, auth, 15);
        double[] readiness = wrk(readinessUrl, auth, 15);
        double ratio = readiness[0] / trivial[0];
        boolean met = ratio >= 0.5 && readiness[1] < 5.0;
        System.out.printf(Locale.ROOT, "[bench] readiness API: %.0f req/s, p99 %.2f ms; trivial endpoint: %.0f req/s, "
                        + "p99 %.2f ms; ratio %.2fx (target >= 0.50x, p99 < 5 ms) %s%n", readiness[0], readiness[1],
                trivial[0], trivial[1], ratio, met ? "MET" : "NOT MET");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("readiness_requests_per_second", readiness[0]);
        r.put("readiness_p99_ms", readiness[1]);
        r.put("trivial_requests_per_second", trivial[0]);
        r.put("trivial_p99_ms", trivial[1]);
        r.put("ratio", ratio);
        r.put("target_ratio_min", 0.5);
        r.put("target_p99_ms_max", 5.0);
        r.put("met", met);
        r.put("load", "wrk -t1 -c4 -d15s on loopback after a 10 s warm-up, server and load generator sharing the machine's 2 cores");
        results.put("readiness_api", r);
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
