package com.finledger.integrity.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.matching.MatchRule.Tolerance;
import com.finledger.integrity.standins.FakesnowServer;
import com.finledger.integrity.warehouse.PostgresWarehouse;
import com.finledger.integrity.warehouse.Warehouse;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The matching engine run as generated, per dialect, on PostgreSQL (embedded) and on the Snowflake
 * emulator (fakesnow through snowflake-jdbc and the production {@code SnowflakeWarehouse}), over the
 * same generated settlements and bank lines with every case planted in them: both give the same residue
 * and the same strategy counts, and each case lands where it should. Tolerance edges are checked on
 * PostgreSQL with variants of the shipped rule. Table-diff finds the same settlements on both systems, then
 * names exactly the rows changed on the emulator's copy.
 */
class MatchingOnBothWarehousesTest {

    private static final LocalDate DATE = LocalDate.of(2026, 11, 2);
    private static final Instant SETTLED = Instant.parse("2026-11-02T23:30:00Z");

    private static FakesnowServer fakesnow;
    private static Warehouse snowflake;
    private static EmbeddedPostgres embedded;
    private static Warehouse postgres;
    private static final List<Object[]> LEDGER = new ArrayList<>();
    private static final List<Object[]> BANK = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        generate();
        embedded = EmbeddedPostgres.builder().start();
        postgres = new PostgresWarehouse(embedded.getPostgresDatabase());
        load(postgres, "timestamptz", "numeric(18, 2)");
        fakesnow = FakesnowServer.start();
        snowflake = fakesnow.warehouse("FINLEDGER", "PUBLIC");
        load(snowflake, "timestamp_tz", "number(18, 2)");
    }

    @AfterAll
    static void stop() throws Exception {
        if (embedded != null) {
            embedded.close();
        }
        if (fakesnow != null) {
            fakesnow.close();
        }
    }

    /** 200 settlements, each credited on its own line, then the planted cases. */
    private static void generate() {
        SplittableRandom random = new SplittableRandom(15);
        String[] currencies = {"EUR", "GBP", "USD"};
        for (int i = 1; i <= 200; i++) {
            long amount = 100 + random.nextLong(90_000);
            String currency = currencies[random.nextInt(3)];
            settlement(i, i % 2 == 0 ? "alpha" : "beta", amount, (amount * 19 + 500) / 1000, currency, SETTLED);
            line("NB-" + i, id(i), amount, currency, DATE);
        }
        // a payout: settlements 201-203 of beta in EUR credited as one line net of fees; 204 settles later, uncovered
        long net = 0;
        for (int i = 201; i <= 204; i++) {
            long amount = 10_000L * (i - 200);
            settlement(i, "beta", amount, 150, "EUR", i == 204 ? SETTLED.plusSeconds(1200) : SETTLED);
            net += i == 204 ? 0 : amount - 150;
        }
        line("NB-PAYOUT", "PAYOUT-beta-2026-11-02-EUR", net, "EUR", DATE);
        settlement(205, "alpha", 100_000, 1900, "USD", SETTLED);       // credited in EUR at 0.9210: within 0.5 %
        line("NB-205", id(205), 92_100, "EUR", DATE);
        settlement(206, "alpha", 100_000, 1900, "USD", SETTLED);       // credited in EUR at 0.9260: 0.65 % off
        line("NB-206", id(206), 92_600, "EUR", DATE);
        settlement(207, "alpha", 5_000, 95, "GBP", SETTLED);           // credited in JPY: no rate
        line("NB-207", id(207), 5_000, "JPY", DATE);
        settlement(208, "alpha", 7_777, 148, "EUR", SETTLED);          // amount mismatch by 1 cent
        line("NB-208", id(208), 7_778, "EUR", DATE);
        settlement(209, "beta", 4_321, 82, "EUR", SETTLED);            // never credited
        line("NB-210", "SET-UNKNOWN", 1_234, "EUR", DATE);             // credits nothing we know
        settlement(211, "beta", 6_000, 114, "GBP", SETTLED);           // credited twice
        line("NB-211", id(211), 6_000, "GBP", DATE);
        line("NB-211B", id(211), 6_000, "GBP", DATE);
        settlement(212, "alpha", 3_333, 63, "EUR", SETTLED);           // reference mistyped by the bank
        line("NB-212", " set-000212 ", 3_333, "EUR", DATE.minusDays(1)); // and credited early
        settlement(213, "alpha", 8_888, 169, "USD", SETTLED);          // reference lost: same amount and day
        line("NB-213", "NB-UNREF-77", 8_888, "USD", DATE);
        settlement(214, "alpha", 2_500, 48, "EUR", SETTLED);           // value date two days early: timing
        line("NB-214", id(214), 2_500, "EUR", DATE.minusDays(1));
    }

    private static String id(int i) {
        return String.format("SET-%06d", i);
    }

    private static void settlement(int i, String processor, long amount, long fee, String currency, Instant at) {
        LEDGER.add(new Object[] {id(i), "PAY-" + i, processor, amount, fee, currency, at.toString(), DATE.toString()});
    }

    private static void line(String ref, String settlementRef, long amountMinor, String currency, LocalDate valueDate) {
        BANK.add(new Object[] {ref, settlementRef, valueDate.toString(), BigDecimal.valueOf(amountMinor, 2).toPlainString(),
                currency,
                "NB-" + currency + "-001"});
    }

    private static void load(Warehouse w, String instant, String decimal) {
        w.update("create schema if not exists staging", List.of());
        w.update("create table staging.ledger_settlements (settlement_id varchar, payment_id varchar, processor varchar, "
                + "amount_minor bigint, fee_minor bigint, currency varchar, settled_at " + instant + ", business_date date)",
                List.of());
        w.update("create table staging.bank_settlement_lines (line_reference varchar, settlement_reference varchar, "
                + "value_date date, amount " + decimal + ", currency varchar, account varchar)", List.of());
        // values as text, typed in SQL: the emulator's parameter binding takes neither decimals nor dates
        w.insertBatch("insert into staging.ledger_settlements values (?, ?, ?, ?, ?, ?, cast(? as " + instant
                + "), cast(? as date))",
                LEDGER.stream().map(List::of).toList());
        w.insertBatch("insert into staging.bank_settlement_lines values (?, ?, cast(? as date), cast(? as " + decimal
                + "), ?, ?)",
                BANK.stream().map(List::of).toList());
    }

    private static Map<String, String> residue(MatchEngine.Result result) {
        Map<String, String> out = new TreeMap<>();
        for (MatchEngine.Residue r : result.residue()) {
            out.put(r.itemKey(), r.outcome() + " " + amount(r.left()) + " / " + amount(r.right()));
        }
        return out;
    }

    private static String amount(MatchEngine.Item item) {
        return item == null ? "-" : item.count() + "x" + item.amountMinor() + " " + item.currency();
    }

    @Test
    void bothWarehousesFindTheSameResidueAndEveryCaseLandsWhereItShould() {
        MatchRule rule = MatchSqlGoldenTest.rule("settlements_vs_bank");
        MatchScope scope = MatchScope.businessDate(DATE);
        MatchEngine.Result onPostgres = new MatchEngine(postgres).run(rule, scope, 1);
        MatchEngine.Result onEmulator = new MatchEngine(snowflake).run(rule, scope, 1);

        Map<String, String> expected = new TreeMap<>();
        expected.put("SET-000204|", "UNMATCHED_LEFT 1x40000 EUR / -");
        expected.put("SET-000206|NB-206", "AMOUNT_MISMATCH 1x100000 USD / 1x92600 EUR");
        expected.put("SET-000207|NB-207", "CURRENCY_MISMATCH 1x5000 GBP / 1x5000 JPY");
        expected.put("SET-000208|NB-208", "AMOUNT_MISMATCH 1x7777 EUR / 1x7778 EUR");
        expected.put("SET-000209|", "UNMATCHED_LEFT 1x4321 EUR / -");
        expected.put("|NB-210", "UNMATCHED_RIGHT - / 1x1234 EUR");
        expected.put("SET-000211|NB-211", "DUPLICATE 1x6000 GBP / 2x12000 GBP");
        expected.put("SET-000214|NB-214", "TIMING 1x2500 EUR / 1x2500 EUR");
        assertEquals(expected, residue(onPostgres));
        assertEquals(residue(onPostgres), residue(onEmulator), "the emulator finds what PostgreSQL finds");

        assertEquals(counts(onPostgres), counts(onEmulator));
        Map<String, Long> counts = counts(onPostgres);
        assertEquals(3L, counts.get("grouped_reference MATCHED left"), "three settlements in the payout");
        assertEquals(1L, counts.get("grouped_reference MATCHED right"), "one payout line");
        assertEquals(1L, counts.get("exact_reference MATCHED_FX left"));
        assertEquals(1L, counts.get("normalised_reference MATCHED left"));
        assertEquals(1L, counts.get("amount_and_date MATCHED left"));
        assertEquals(213, onPostgres.leftRecords(), "ledger settlements of the day (1 to 214 but 210)");
        assertEquals(213 - 7, onPostgres.matchedLeft(), "all but the seven settlements in the residue");
    }

    private static Map<String, Long> counts(MatchEngine.Result result) {
        Map<String, Long> out = new TreeMap<>();
        for (MatchEngine.StrategyCount c : result.summary()) {
            out.put(c.strategy() + " " + c.outcome() + " left", c.leftRecords());
            out.put(c.strategy() + " " + c.outcome() + " right", c.rightRecords());
        }
        return out;
    }

    @Test
    void reRunningGivesTheSameResidue() {
        MatchRule rule = MatchSqlGoldenTest.rule("settlements_vs_bank");
        MatchScope scope = MatchScope.businessDate(DATE);
        MatchEngine.Result first = new MatchEngine(postgres).run(rule, scope, 10);
        MatchEngine.Result second = new MatchEngine(postgres).run(rule, scope, 11);
        assertEquals(residue(first), residue(second));
        assertEquals(counts(first), counts(second));
    }

    @Test
    void toleranceEdgesAgreeAtTheLimitAndBreakOneMinorUnitBeyond() {
        MatchRule shipped = MatchSqlGoldenTest.rule("settlements_vs_bank");
        MatchScope scope = MatchScope.businessDate(DATE);
        // 208 differs by 1 cent: inside a 1-minor-unit tolerance, outside 0
        assertTrue(outcomes(withTolerance(shipped, new Tolerance(1, BigDecimal.ZERO, Duration.ofDays(1))), scope, 20)
                .get("SET-000208|NB-208") == null, "a difference equal to the tolerance agrees");
        assertEquals("AMOUNT_MISMATCH", outcomes(shipped, scope, 21).get("SET-000208|NB-208"));
        // percent: 1 cent of 77.77 is 0.01286 %: agrees at 0.0129 %, not at 0.0128 %
        assertTrue(outcomes(withTolerance(shipped, new Tolerance(0, new BigDecimal("0.0129"), Duration.ofDays(1))), scope, 22)
                .get("SET-000208|NB-208") == null);
        assertEquals("AMOUNT_MISMATCH", outcomes(withTolerance(shipped, new Tolerance(0, new BigDecimal("0.0128"),
                Duration.ofDays(1))), scope, 23).get("SET-000208|NB-208"));
        // time: 214 is credited 47.5 h before it settled (value date 2026-11-01 00:00 UTC, settled 11-02 23:30)
        long seconds = Duration.between(Instant.parse("2026-11-01T00:00:00Z"), SETTLED).toSeconds();
        assertTrue(outcomes(withTolerance(shipped, new Tolerance(0, BigDecimal.ZERO, Duration.ofSeconds(seconds))), scope,
                24).get("SET-000214|NB-214") == null, "a time difference equal to the window agrees");
        assertEquals("TIMING", outcomes(withTolerance(shipped, new Tolerance(0, BigDecimal.ZERO,
                Duration.ofSeconds(seconds - 1))), scope, 25).get("SET-000214|NB-214"));
        // FX: 206 is 6.00 EUR (0.648 % of the credit) off the reference rate: agrees at 0.65 %, not at 0.64 %
        assertTrue(outcomes(withFx(shipped, "0.65"), scope, 26).get("SET-000206|NB-206") == null);
        assertEquals("AMOUNT_MISMATCH", outcomes(withFx(shipped, "0.64"), scope, 27).get("SET-000206|NB-206"));
    }

    private static Map<String, String> outcomes(MatchRule rule, MatchScope scope, long run) {
        Map<String, String> out = new TreeMap<>();
        for (MatchEngine.Residue r : new MatchEngine(postgres).run(rule, scope, run).residue()) {
            out.put(r.itemKey(), r.outcome());
        }
        return out;
    }

    private static MatchRule withTolerance(MatchRule r, Tolerance t) {
        return new MatchRule(r.name() + "_edge", r.description(), r.owner(), r.cadence(), r.sla(), r.severity(),
                r.highSeverityFromMinor(), r.left(), r.right(), r.unmatchedLeft(), r.unmatchedRight(), t, r.fx(),
                r.strategies(), r.file(), r.line());
    }

    private static MatchRule withFx(MatchRule r, String percent) {
        return new MatchRule(r.name() + "_fx", r.description(), r.owner(), r.cadence(), r.sla(), r.severity(),
                r.highSeverityFromMinor(), r.left(), r.right(), r.unmatchedLeft(), r.unmatchedRight(), r.tolerance(),
                r.fx().map(fx -> new MatchRule.Fx(new BigDecimal(percent), fx.rates())), r.strategies(), r.file(),
                r.line());
    }

    @Test
    void tableDiffAcrossTheTwoSystemsNamesTheChangedRows() {
        // the emulator's copy is changed, not the table the other tests match on
        snowflake.update("create or replace table staging.settlements_copy as select * from staging.ledger_settlements",
                List.of());
        java.util.function.BiFunction<Warehouse, String, com.finledger.integrity.diff.TableDiff.Side> side = (w, table) ->
                new com.finledger.integrity.diff.TableDiff.Side(table, w, w == snowflake
                        ? com.finledger.integrity.warehouse.SnowflakeDialect.EMULATOR : w.dialect(), table,
                        "settlement_id", List.of("payment_id", "amount_minor", "fee_minor", "currency"),
                        "business_date = cast(? as date)", List.of(DATE.toString()));
        var diff = new com.finledger.integrity.diff.TableDiff();
        var options = new com.finledger.integrity.diff.TableDiff.Options(64, 8, 20, 4);
        assertTrue(diff.diff(side.apply(postgres, "staging.ledger_settlements"), side.apply(snowflake,
                "staging.settlements_copy"), options).same(), "the same rows on both systems");

        snowflake.update("delete from staging.settlements_copy where settlement_id = 'SET-000042'", List.of());
        snowflake.update("update staging.settlements_copy set fee_minor = fee_minor + 1 where settlement_id = 'SET-000099'",
                List.of());
        var result = diff.diff(side.apply(postgres, "staging.ledger_settlements"), side.apply(snowflake,
                "staging.settlements_copy"), options);

        assertEquals(List.of("SET-000042"), result.onlyLeft());
        assertEquals(List.of(), result.onlyRight());
        assertEquals(List.of(new com.finledger.integrity.diff.TableDiff.ChangedRow("SET-000099", List.of("fee_minor"))),
                result.changed());
    }
}
