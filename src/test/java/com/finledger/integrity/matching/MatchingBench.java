package com.finledger.integrity.matching;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.diff.TableDiff;
import com.finledger.integrity.warehouse.PostgresDialect;
import com.finledger.integrity.warehouse.PostgresWarehouse;
import com.finledger.integrity.warehouse.Warehouse;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Benchmarks of operational reconciliation (Maven profile {@code bench}, not part of verify), each against
 * a baseline measured in the same run and database, best of three; results in target/bench/matching.json.
 *
 * <ol>
 *   <li>matching 1M ledger settlements against 1M bank lines (the shipped settlements_vs_bank rule, all
 *       strategies) vs a bare FULL OUTER JOIN of the two on the same keys (target ≤ 1.5×);</li>
 *   <li>table-diff of two N-row tables (N = bench.diff.rows, default 10M) with 10 differences vs one
 *       hashed full scan per side with the same row hash (target ≤ 1.5×); both tables keyed by a primary key, the
 *       diff cut by key ranges.</li>
 * </ol>
 */
class MatchingBench {

    private static final Path OUT = Path.of("target", "bench");

    private final Map<String, Object> results = new LinkedHashMap<>();

    @Test
    void benchmarks() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("work_mem", "256MB")
                .setServerConfig("shared_buffers", "512MB").setServerConfig("max_parallel_workers_per_gather", "0")
                .start()) {
            try (OneConnection pool = new OneConnection(pg.getPostgresDatabase())) {
                Warehouse w = new PostgresWarehouse(pool);
                results.put("load_average_at_start", loadAverage());
                matching(w, Long.getLong("bench.match.rows", 1_000_000L));
                diff(w, Long.getLong("bench.diff.rows", 10_000_000L));
            }
        }
        results.put("load_average_at_end", loadAverage());
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("matching.json"), new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(results));
        System.out.println("[bench] " + results);
    }

    private void matching(Warehouse w, long rows) {
        w.update("create schema if not exists staging", List.of());
        long t0 = System.nanoTime();
        w.update("""
                create table staging.ledger_settlements as
                select 'SET-' || lpad(g::text, 9, '0') as settlement_id, 'PAY-' || lpad(g::text, 9, '0') as payment_id,
                       case when g % 100 < 55 then 'alpha' else 'beta' end as processor,
                       100 + (g * 7919) % 500000 as amount_minor, 19 + g % 50 as fee_minor,
                       (array['EUR','EUR','GBP','USD'])[1 + g % 4] as currency,
                       timestamptz '2026-11-02 23:30:00+00' as settled_at, date '2026-11-02' as business_date
                from generate_series(1, ?) g""", List.of(rows));
        // every settlement credited once, but: 5 never credited, 5 credited 1 cent more, 5 credits of nothing known
        w.update("""
                create table staging.bank_settlement_lines as
                select 'NB-' || lpad(g::text, 9, '0') as line_reference, 'SET-' || lpad(g::text, 9, '0') as settlement_reference,
                       date '2026-11-02' as value_date,
                       cast((100 + (g * 7919) % 500000 + case when g % 200000 = 7 then 1 else 0 end) / 100.0 as numeric(18, 2)) as amount,
                       (array['EUR','EUR','GBP','USD'])[1 + g % 4] as currency, 'NB-001' as account
                from generate_series(1, ?) g where g % 200000 <> 3
                union all
                select 'NB-X' || g, 'UNKNOWN-' || g, date '2026-11-02', 12.34, 'EUR', 'NB-001' from generate_series(1, 5) g""",
                List.of(rows));
        w.update("analyze staging.ledger_settlements", List.of());
        w.update("analyze staging.bank_settlement_lines", List.of());
        results.put("match_rows_per_side", rows);
        results.put("match_load_seconds", (System.nanoTime() - t0) / 1e9);

        String baseline = """
                select count(*), count(l.settlement_id), count(r.settlement_reference)
                from (select * from staging.ledger_settlements where business_date between ? and ?) l
                full outer join (select * from staging.bank_settlement_lines where value_date between ? and ?) r
                  on r.settlement_reference = l.settlement_id""";
        List<Object> range = List.of(java.sql.Date.valueOf("2026-11-01"), java.sql.Date.valueOf("2026-11-03"),
                java.sql.Date.valueOf("2026-11-01"), java.sql.Date.valueOf("2026-11-03"));
        double join = best(() -> {
            w.query(baseline, range, rs -> rs.getLong(1));
            return null;
        });
        MatchRule rule = MatchSqlGoldenTest.rule("settlements_vs_bank");
        MatchScope scope = MatchScope.businessDate(java.time.LocalDate.of(2026, 11, 2));
        MatchSql.Statement exact = new MatchSql(w.dialect()).exactReference(rule, scope, 99);
        new MatchEngine(w).prepare();
        List<String> plan = w.query("explain (analyze, timing off, costs off) " + exact.sql(), exact.parameters(),
                rs -> rs.getString(1));
        results.put("match_exact_reference_plan", plan);
        plan.forEach(line -> System.out.println("[bench plan] " + line));
        long[] run = {100};
        MatchEngine.Result[] last = new MatchEngine.Result[1];
        double match = best(() -> {
            last[0] = new MatchEngine(w).run(rule, scope, run[0]++);
            return null;
        });
        // the same run with the bank's reference taken as unique: no grouping of that side, so no duplicate detection
        MatchRule.Side r = rule.right();
        MatchRule unique = new MatchRule(rule.name(), rule.description(), rule.owner(), rule.cadence(), rule.sla(),
                rule.severity(), rule.highSeverityFromMinor(), rule.left(), new MatchRule.Side(r.name(), r.dataset(),
                r.schema(), r.table(), r.id(), r.reference(), true, r.amount(), r.amountDecimal(), r.minorUnits(), r.fee(),
                r.currency(), r.at(), r.businessDate(), r.where(), r.processor(), r.partner(), r.pciColumns()),
                rule.unmatchedLeft(), rule.unmatchedRight(), rule.tolerance(), rule.fx(), rule.strategies(), rule.file(),
                rule.line());
        double matchUngrouped = best(() -> {
            new MatchEngine(w).run(unique, scope, run[0]++);
            return null;
        });
        results.put("match_seconds_reference_declared_unique", matchUngrouped);
        results.put("match_ratio_reference_declared_unique", matchUngrouped / join);
        System.out.printf("[bench] matching with the bank reference declared unique (no duplicate grouping): %.2f s = "
                + "%.2fx%n", matchUngrouped, matchUngrouped / join);
        results.put("full_outer_join_seconds", join);
        results.put("match_seconds", match);
        results.put("match_ratio", match / join);
        results.put("match_target_ratio", 1.5);
        results.put("match_target_met", match / join <= 1.5);
        results.put("match_residue", last[0].residue().size());
        results.put("match_matched_left", last[0].matchedLeft());
        System.out.printf("[bench] matching %,d x %,d: %.2f s vs full outer join %.2f s = %.2fx (target <= 1.5x), "
                + "%d breaks%n", rows, rows, match, join, match / join, last[0].residue().size());
        w.update("drop table staging.ledger_settlements", List.of());
        w.update("drop table staging.bank_settlement_lines", List.of());
    }

    private void diff(Warehouse w, long rows) {
        long t0 = System.nanoTime();
        for (String t : List.of("diff_left", "diff_right")) {
            w.update("create table staging." + t + " as select 'PAY-' || lpad(g::text, 9, '0') as payment_id, "
                    + "'M-' || lpad((1 + g % 40)::text, 3, '0') as merchant_id, 100 + (g * 7919) % 500000 as amount_minor, "
                    + "(array['EUR','GBP','USD'])[1 + g % 3] as currency, 'CAPTURED' as status, "
                    + "timestamptz '2026-11-02 00:00:00+00' + (g % 86400) * interval '1 second' as created_at, "
                    + "date '2026-11-02' as business_date from generate_series(1, ?) g", List.of(rows));
        }
        // ten differences: 4 changed amounts, 3 changed statuses, 2 missing on the right, 1 extra on the right
        long step = rows / 11;
        for (int i = 1; i <= 4; i++) {
            w.update("update staging.diff_right set amount_minor = amount_minor + 1 where payment_id = ?",
                    List.of(String.format("PAY-%09d", i * step)));
        }
        for (int i = 5; i <= 7; i++) {
            w.update("update staging.diff_right set status = 'REFUNDED' where payment_id = ?",
                    List.of(String.format("PAY-%09d", i * step)));
        }
        w.update("delete from staging.diff_right where payment_id in (?, ?)", List.of(String.format("PAY-%09d", 8 * step),
                String.format("PAY-%09d", 9 * step)));
        w.update("insert into staging.diff_right values ('PAY-X', 'M-001', 1, 'EUR', 'CAPTURED', now(), date '2026-11-02')",
                List.of());
        // both copies keyed as the ledgers' tables are (a primary key on the payment id): the key-range diff reads
        // the differing segments through it; the baseline's full scans do not use it
        w.update("alter table staging.diff_left add primary key (payment_id)", List.of());
        w.update("alter table staging.diff_right add primary key (payment_id)", List.of());
        w.update("vacuum analyze staging.diff_left", List.of());
        w.update("vacuum analyze staging.diff_right", List.of());
        results.put("diff_rows_per_side", rows);
        results.put("diff_load_seconds", (System.nanoTime() - t0) / 1e9);

        List<String> columns = List.of("merchant_id", "amount_minor", "currency", "status", "created_at");
        TableDiff.Side left = new TableDiff.Side("left", w, PostgresDialect.INSTANCE, "staging.diff_left", "payment_id",
                columns, "business_date = cast(? as date)", List.of("2026-11-02"));
        TableDiff.Side right = new TableDiff.Side("right", w, PostgresDialect.INSTANCE, "staging.diff_right", "payment_id",
                columns, "business_date = cast(? as date)", List.of("2026-11-02"));
        TableDiff diff = new TableDiff();
        double scan = best(() -> {
            for (TableDiff.Side s : List.of(left, right)) {
                w.query(diff.hashedScanSql(left, right, s), s.parameters(), rs -> rs.getLong(1));
            }
            return null;
        });
        long segments = Long.highestOneBit(Math.max(1024, rows / 150));
        TableDiff.Options options = new TableDiff.Options((int) segments, 32, 5_000, 4).byKeyRange();
        TableDiff.Result[] last = new TableDiff.Result[1];
        double took = best(() -> {
            last[0] = diff.diff(left, right, options);
            return null;
        });
        results.put("hashed_scans_seconds", scan);
        results.put("diff_seconds", took);
        results.put("diff_ratio", took / scan);
        results.put("diff_target_ratio", 1.5);
        results.put("diff_target_met", took / scan <= 1.5);
        results.put("diff_mode", "key ranges (segments by leading key characters; differing ones re-read by primary-key range)");
        results.put("diff_differences", last[0].differences());
        results.put("diff_levels", last[0].levels());
        results.put("diff_queries", last[0].queries());
        results.put("diff_segments", segments);
        results.put("diff_query_timings", last[0].timings());
        System.out.println("[bench] diff queries: " + last[0].timings());
        System.out.printf("[bench] diff of 2 x %,d rows: %.2f s vs one hashed full scan per side %.2f s = %.2fx "
                + "(target <= 1.5x), %d differences found in %d levels, %d queries%n", rows, took, scan, took / scan,
                last[0].differences(), last[0].levels(), last[0].queries());
        if (last[0].differences() != 10) {
            throw new AssertionError("the diff must find the 10 planted differences, found " + last[0]);
        }
    }

    /** The machine's load (1, 5 and 15 minutes) from /proc/loadavg: the bench shares its cores with other work. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double best(Supplier<Void> work) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            work.get();
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return best;
    }
}
