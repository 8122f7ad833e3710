package com.finledger.integrity.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogLoader;
import com.finledger.integrity.controls.Fingerprint;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.standins.FakesnowServer;
import com.finledger.integrity.warehouse.PostgresDialect;
import com.finledger.integrity.warehouse.SnowflakeDialect;
import com.finledger.integrity.warehouse.SnowflakeWarehouse;
import com.finledger.integrity.warehouse.WarehouseDialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Snowflake statement that has a reviewed golden file, executed through the real
 * {@link SnowflakeWarehouse} and snowflake-jdbc on fakesnow (the DuckDB-backed emulator, a child
 * process), against the same generated rows that PostgreSQL (embedded) runs the PostgreSQL dialect's
 * statements on: the results must agree. What the emulator cannot run is listed, with why, and
 * checked to still fail there, so the list cannot go stale; those statements keep only their golden file.
 */
class SnowflakeOnEmulatorTest {

    /** Why the emulator cannot run a statement, and the error it answers with. */
    record CannotRun(String why, String error) {
    }

    /** Statements the emulator cannot run at all (fakesnow 0.12.1); only their golden file checks them. */
    static final Map<String, CannotRun> EMULATOR_CANNOT_RUN = Map.of(
            "payments_raw_load_history", new CannotRun("fakesnow has no INFORMATION_SCHEMA.COPY_HISTORY table "
                    + "function, nor TABLE(...) in FROM", "syntax error at or near \"TABLE\""),
            "payments_raw_control_total_by_window", new CannotRun("fakesnow has no TRY_TO_TIMESTAMP_TZ, which reads "
                    + "a landed record's time without failing the scan on a malformed one",
                    "Scalar Function with name try_to_timestamp_tz does not exist"));

    /**
     * The 64-bit fingerprint hash is {@code to_number(substr(md5(x), 1, 16), 'XXXXXXXXXXXXXXXX')} on
     * Snowflake. fakesnow cannot evaluate TO_NUMBER with a format ("... with format argument not
     * implemented") nor MD5_NUMBER_UPPER64 (it becomes an unknown DuckDB function), and macros cannot
     * be added to it. So a statement holding the hash runs on the emulator with that one expression
     * replaced by the same number computed from the digest's two 32-bit halves (DuckDB reads 0x text
     * as a signed 64-bit integer, too small for the whole, and multiplies in it unless told to use a
     * decimal, and it sums such a sum as a double unless it is cast to a decimal again); the statement as generated is checked to
     * fail for exactly that reason first (inside SUM, fakesnow casts the hex text to DOUBLE instead).
     */
    static final java.util.regex.Pattern HASH_NOT_RUN_BY_EMULATOR = java.util.regex.Pattern.compile(
            "with format argument not implemented|Could not convert string '[0-9a-f]{16}' to DOUBLE");

    private static final LocalDate DATE = LocalDate.of(2026, 11, 2);
    private static final Catalog CATALOG = CatalogLoader.load(Path.of("ingestion-config"));
    private static final List<Rule> RULES = RuleSetLoader.load(Path.of("rules"), CATALOG).rules();
    private static final Map<String, String> SNOWFLAKE = GeneratedSqlGoldenTest.statements(SnowflakeDialect.INSTANCE);
    private static final Map<String, String> POSTGRES = GeneratedSqlGoldenTest.statements(PostgresDialect.INSTANCE);

    private static FakesnowServer fakesnow;
    private static SnowflakeWarehouse snowflake;
    private static EmbeddedPostgres embedded;
    private static Connection postgres;
    private static final World WORLD = World.generate(20261102);

    @BeforeAll
    static void start() throws Exception {
        fakesnow = FakesnowServer.start();
        snowflake = fakesnow.warehouse("FINLEDGER", "PUBLIC");
        embedded = EmbeddedPostgres.builder().start();
        postgres = embedded.getPostgresDatabase().getConnection();
        WORLD.load(SnowflakeDialect.INSTANCE, (sql, params) -> snowflake.update(sql, params));
        WORLD.load(PostgresDialect.INSTANCE, (sql, params) -> Jdbc.update(postgres, sql, params));
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
        if (embedded != null) {
            embedded.close();
        }
        if (fakesnow != null) {
            fakesnow.close();
        }
    }

    @Test
    void everyStatementWithAGoldenFileIsExecutedHereOrListedAsNotRunnable() {
        Set<String> covered = new HashSet<>(EXECUTED);
        covered.addAll(EMULATOR_CANNOT_RUN.keySet());
        assertEquals(SNOWFLAKE.keySet(), covered);
    }

    private static final Set<String> EXECUTED = Set.of("payments_raw_control_total", "payments_staging_control_total",
            "payments_staging_control_total_by_window", "transactions_curated_control_total",
            "payments_raw_fused_rules", "payments_staging_fused_rules", "payments_staging_quarantine_insert",
            "alpha_custom_quarantine_insert", "transactions_period_clone", "payments_raw_create", "payments_raw_insert");

    @Test
    void whatTheEmulatorCannotRunStillFailsThere() {
        EMULATOR_CANNOT_RUN.forEach((name, cannot) -> {
            List<Object> params = List.of(name.endsWith("load_history") ? Timestamp.from(Instant.EPOCH) : DATE);
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> snowflake.query(onEmulator(SNOWFLAKE.get(name), params), params, rs -> 1),
                    name + " runs on the emulator now: execute it in this test and drop it from the list");
            assertTrue(failure.getMessage().contains(cannot.error()), name + ": " + failure.getMessage());
        });
        // which the load history capture takes as "no history here" (a warning), not as a failed pipeline run
        assertThrows(com.finledger.integrity.warehouse.Warehouse.LoadHistoryUnavailable.class,
                () -> snowflake.loadHistory("raw", "payments", Instant.EPOCH));
    }

    @Test
    void controlTotalsOnTheEmulatorEqualPostgresqlsAndJavas() throws SQLException {
        for (String name : List.of("payments_raw_control_total", "payments_staging_control_total", "payments_staging_control_total_by_window",
                "transactions_curated_control_total")) {
            List<String> onEmulator = canonical(emulatorQuery(name, List.of(DATE)));
            List<String> onPostgres = canonical(Jdbc.query(postgres, POSTGRES.get(name), List.of(DATE), SnowflakeOnEmulatorTest::row));
            assertEquals(onPostgres, onEmulator, name);
            assertTrue(onEmulator.size() >= 3, name + " has rows in several currencies: " + onEmulator);
        }
        // and both equal what Java computes from the same rows (sums over the currencies)
        Map<String, Object> raw = total(emulatorQuery("payments_raw_control_total", List.of(DATE)));
        assertEquals((long) WORLD.raw.size(), raw.get("row_count"));
        assertEquals(WORLD.rawFingerprint(), raw.get("row_fp"));
        assertEquals((long) WORLD.duplicates, raw.get("dup_rows"));
        assertEquals(WORLD.deletedKeys(), raw.get("deleted_keys"));
        Map<String, Object> staging = total(emulatorQuery("payments_staging_control_total", List.of(DATE)));
        assertEquals((long) WORLD.staging.size(), staging.get("row_count"));
        assertEquals(WORLD.stagingFingerprint(), staging.get("eff_fp"));
        assertEquals(raw.get("eff_fp"), staging.get("eff_fp"), "RAW's effective records are STAGING's");
        assertEquals(raw.get("eff_amount"), staging.get("eff_amount"));
    }

    @Test
    void fusedRulesCountTheSameFailuresOnTheEmulatorAsOnPostgresql() throws SQLException {
        for (String name : List.of("payments_raw_fused_rules", "payments_staging_fused_rules")) {
            List<Map<String, Object>> onEmulator = emulatorQuery(name, List.of(DATE));
            List<Map<String, Object>> onPostgres = Jdbc.query(postgres, POSTGRES.get(name), List.of(DATE),
                    SnowflakeOnEmulatorTest::row);
            assertEquals(canonical(onPostgres), canonical(onEmulator), name);
            assertTrue(onEmulator.get(0).values().stream().skip(1).anyMatch(v -> !Long.valueOf(0).equals(v)),
                    name + " finds the generated defects: " + onEmulator);
        }
    }

    @Test
    void failingRowsGoToTheQuarantineAndAreMarkedAgainByTheMerge() throws SQLException {
        RuleTable table = RuleTable.forSource(CATALOG.dataset("payments"), Rule.Layer.STAGING);
        List<Rule> rules = RULES.stream().filter(r -> r.dataset().equals("payments") && r.layer() == Rule.Layer.STAGING
                && r.fusable()).toList();
        List<RuleSql.Flag> sf = RuleSql.flags(SnowflakeDialect.INSTANCE, table, rules);
        List<RuleSql.Flag> pf = RuleSql.flags(PostgresDialect.INSTANCE, table, rules);
        assertEquals(SNOWFLAKE.get("payments_staging_quarantine_insert"),
                RuleSql.quarantineInsert(SnowflakeDialect.INSTANCE, table, sf, sf.get(0)), "the golden statement is one of these");
        for (long evaluation : List.of(1L, 2L)) { // the second evaluation takes the merge's matched branch
            for (int i = 0; i < sf.size(); i++) {
                List<Object> params = List.of("payments", DATE.toString(), sf.get(i).rule().name(), evaluation, evaluation,
                        "fails " + sf.get(i).rule().name(), Timestamp.from(Instant.parse("2026-11-02T12:00:00Z")), DATE);
                long emulated = emulatorUpdate(RuleSql.quarantineInsert(SnowflakeDialect.INSTANCE, table, sf, sf.get(i)), params);
                long native_ = Jdbc.update(postgres, RuleSql.quarantineInsert(PostgresDialect.INSTANCE, table, pf, pf.get(i)), params);
                assertEquals(native_, emulated, sf.get(i).rule().name() + " affected rows");
            }
            List<String> quarantined = quarantine(snowflake::query, "payments");
            assertEquals(quarantine((sql, p, m) -> Jdbc.query(postgres, sql, p, m), "payments"), quarantined);
            assertTrue(quarantined.size() >= 3, quarantined.toString());
            assertTrue(quarantined.stream().allMatch(q -> q.endsWith("|1|" + evaluation + "|true")), quarantined.toString());
        }
        // fakesnow upper-cases OBJECT_CONSTRUCT's keys (Snowflake keeps them as written)
        List<String> samples = snowflake.query("select to_varchar(masked_sample) from quarantine.quarantined_row where dataset = ?",
                List.of("payments"), rs -> rs.getString(1));
        assertTrue(samples.stream().allMatch(s -> s.matches("(?s).*\"(?i:card_pan)\": ?\"•••• •••• •••• \\d{4}\".*")),
                "PANs are masked: " + samples);
    }

    @Test
    void aCustomRulesFailingRowsGoToTheQuarantine() throws SQLException {
        String name = "alpha_custom_quarantine_insert";
        List<Object> params = List.of("alpha_transactions", DATE.toString(), "alpha_amount_matches_ledger", 1L, 1L,
                "amount differs", Timestamp.from(Instant.parse("2026-11-02T12:00:00Z")), DATE);
        assertEquals(Jdbc.update(postgres, POSTGRES.get(name), params), emulatorUpdate(SNOWFLAKE.get(name), params));
        List<String> quarantined = quarantine(snowflake::query, "alpha_transactions");
        assertEquals(quarantine((sql, p, m) -> Jdbc.query(postgres, sql, p, m), "alpha_transactions"), quarantined);
        assertTrue(quarantined.stream().anyMatch(q -> q.startsWith("alpha_transactions|2026-11-02|alpha_amount_matches_ledger|T-")
                && q.contains("|processor ")), quarantined.toString());
    }

    @Test
    void theRawTablesAreTheProductsOwn() {
        assertEquals(String.join(";\n", SnowflakeDialect.INSTANCE.createRawTable("payments")), SNOWFLAKE.get("payments_raw_create"));
        for (String statement : SNOWFLAKE.get("payments_raw_create").split(";\n")) {
            snowflake.update(statement, List.of()); // again: a no-op, as the pipeline runs it on every run
        }
        assertEquals(List.of("object_key", "object_version", "line_no", "op", "change_seq", "commit_ts", "business_date",
                "record", "loaded_at"), snowflake.query("select lower(column_name) from information_schema.columns "
                + "where table_schema = 'RAW' and table_name = 'PAYMENTS' order by ordinal_position", List.of(),
                rs -> rs.getString(1)));
    }

    /**
     * The RAW insert skips lines already loaded: the same two lines inserted twice are there once, on both
     * warehouses, and so are the lines of the world loaded through the same statement in {@link World#load}.
     */
    @Test
    void insertingRawLinesAgainAddsNothing() throws SQLException {
        LocalDate nextDay = DATE.plusDays(1);
        List<Object> params = new ArrayList<>();
        for (int line = 1; line <= 2; line++) {
            params.addAll(java.util.Arrays.asList("landing/payments/2026-11-03/part-0.csv", "v7", line, "I",
                    line == 1 ? null : 6_000L + line, line == 1 ? null : Timestamp.from(Instant.parse("2026-11-03T01:00:00Z")),
                    nextDay, "{\"payment_id\": \"P-900" + line + "\", \"amount_minor\": 125, \"currency\": \"EUR\"}",
                    Timestamp.from(Instant.parse("2026-11-03T02:00:00Z"))));
        }
        for (long expected : List.of(2L, 0L)) {
            assertEquals(expected, snowflake.update(SNOWFLAKE.get("payments_raw_insert"), params));
            assertEquals(expected, Jdbc.update(postgres, POSTGRES.get("payments_raw_insert"), params));
        }
        String read = "select line_no, op, change_seq, commit_ts, %s, %s from raw.payments where business_date = ? "
                + "order by line_no";
        Jdbc.RowMapper<String> text = rs -> rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getObject(3) + "|"
                + (rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant()) + "|" + rs.getString(5) + "|"
                + rs.getBigDecimal(6).longValueExact();
        List<String> onEmulator = snowflake.query(read.formatted(SnowflakeDialect.INSTANCE.jsonText("record", "payment_id"),
                SnowflakeDialect.INSTANCE.toNumber(SnowflakeDialect.INSTANCE.jsonText("record", "amount_minor"))),
                List.of(nextDay), text);
        assertEquals(List.of("1|I|null|null|P-9001|125", "2|I|6002|2026-11-03T01:00:00Z|P-9002|125"), onEmulator);
        assertEquals(Jdbc.query(postgres, read.formatted(PostgresDialect.INSTANCE.jsonText("record", "payment_id"),
                PostgresDialect.INSTANCE.toNumber(PostgresDialect.INSTANCE.jsonText("record", "amount_minor"))),
                List.of(nextDay), text), onEmulator);

        long before = snowflake.query("select count(*) from raw.payments", List.of(), rs -> rs.getLong(1)).get(0);
        WORLD.insertRaw(SnowflakeDialect.INSTANCE, (sql, p) -> snowflake.update(sql, p));
        assertEquals(before, snowflake.query("select count(*) from raw.payments", List.of(), rs -> rs.getLong(1)).get(0),
                "the world's lines loaded again");
    }

    @Test
    void aClosedPeriodsCloneHoldsTheCuratedRows() {
        assertEquals("create schema if not exists closed;\ncreate table closed.transactions_202611 clone curated.transactions",
                SNOWFLAKE.get("transactions_period_clone"));
        snowflake.cloneTable("curated", "transactions", "closed", "transactions_202611");
        // CREATE SCHEMA makes the new schema the session's current one (Snowflake does so too), which is
        // why every table the product names in the warehouse is schema-qualified
        assertEquals("CLOSED", snowflake.query("select current_schema()", List.of(), rs -> rs.getString(1)).get(0));
        String sums = "select count(*), sum(amount_minor), min(payment_id), max(created_at) from ";
        Jdbc.RowMapper<String> text = rs -> rs.getLong(1) + "|" + rs.getBigDecimal(2) + "|" + rs.getString(3) + "|"
                + rs.getTimestamp(4).toInstant();
        assertEquals(snowflake.query(sums + "curated.transactions", List.of(), text),
                snowflake.query(sums + "closed.transactions_202611", List.of(), text));
    }

    /** Known answer: these (key, change sequence) rows fingerprint to this value in Java, PostgreSQL and the emulator. */
    @Test
    void theSameRowsGiveTheSameFingerprintInJavaPostgresqlAndTheEmulator() throws SQLException {
        String[][] rows = {{"P-0001", "1"}, {"P-0002", "2"}, {"P-0003", "1733140800123456"}, {"zürich-7", "42"},
                {"", "0"}, {"PAY|9", "18446744073709551615"}};
        long expected = 2_598_418_681_989_031_479L; // worked out apart, with Python's hashlib

        Fingerprint java = new Fingerprint();
        StringBuilder values = new StringBuilder();
        for (String[] row : rows) {
            java.add(List.of(row[0]), row[1]);
            values.append(values.isEmpty() ? "" : ", ").append("('").append(row[0]).append("', '").append(row[1]).append("')");
        }
        String sql = "select %s from (select %s as h from (values " + values + ") as v(k, s)) x";
        WarehouseDialect p = PostgresDialect.INSTANCE;
        WarehouseDialect s = SnowflakeDialect.INSTANCE;
        long pg = wrap(Jdbc.query(postgres, sql.formatted(p.sumHashes("h"), p.hash64(List.of("k", "s"))), List.of(),
                rs -> rs.getBigDecimal(1)).get(0));
        long emulated = wrap(snowflake.query(onEmulator(sql.formatted(s.sumHashes("h"), s.hash64(List.of("k", "s"))),
                List.of()), List.of(), rs -> rs.getBigDecimal(1)).get(0));

        // the emulator dialect of the prodlike profile sums the hash from its hex digits: same value, no substitution
        WarehouseDialect e = SnowflakeDialect.EMULATOR;
        long portable = wrap(snowflake.query(sql.formatted(e.sumHashes("h"), e.hash64(List.of("k", "s"))), List.of(),
                rs -> rs.getBigDecimal(1)).get(0));

        assertEquals(expected, java.value(), "Java");
        assertEquals(expected, pg, "PostgreSQL");
        assertEquals(expected, emulated, "the emulator");
        assertEquals(expected, portable, "the emulator dialect's portable hash");
    }

    // --- running statements on the emulator ---

    private static List<Map<String, Object>> emulatorQuery(String name, List<Object> params) {
        return snowflake.query(onEmulator(SNOWFLAKE.get(name), params), params, SnowflakeOnEmulatorTest::row);
    }

    private static long emulatorUpdate(String sql, List<Object> params) {
        return snowflake.update(onEmulator(sql, params), params);
    }

    /** The statement as the emulator runs it: unchanged, or with the hash replaced after showing that it must be. */
    static String onEmulator(String sql, List<Object> params) {
        String[] hash = SnowflakeDialect.INSTANCE.md5Prefix64("\u0000").split("\u0000");
        if (!sql.contains(hash[0])) {
            return sql;
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> snowflake.query(sql, params, rs -> 1),
                "the emulator evaluates the hash now: drop the replacement");
        assertTrue(HASH_NOT_RUN_BY_EMULATOR.matcher(e.getMessage()).find(), e.getMessage());
        return FakesnowServer.withEmulatorHash(sql);
    }

    // --- results ---

    private static Map<String, Object> row(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String column = md.getColumnLabel(i).toLowerCase();
            BigDecimal value = column.equals("currency") ? null : rs.getBigDecimal(i);
            if (column.equals("currency")) {
                row.put(column, rs.getString(i));
            } else if (column.endsWith("_fp")) {
                row.put(column, wrap(value));
            } else if (column.endsWith("_amount")) {
                row.put(column, value == null ? null : value.stripTrailingZeros().toPlainString());
            } else {
                row.put(column, value == null ? null : value.longValueExact());
            }
        }
        return row;
    }

    private static List<String> canonical(List<Map<String, Object>> rows) {
        return rows.stream().map(Map::toString).sorted().toList();
    }

    private static Map<String, Object> total(List<Map<String, Object>> perCurrency) {
        Map<String, Object> total = new TreeMap<>();
        for (Map<String, Object> row : perCurrency) {
            row.forEach((column, value) -> {
                if (column.endsWith("_amount")) {
                    total.merge(column, value, (a, b) -> new BigDecimal((String) a).add(new BigDecimal((String) b))
                            .stripTrailingZeros().toPlainString());
                } else if (value instanceof Long l) {
                    total.merge(column, l, (a, b) -> (Long) a + (Long) b); // fingerprints add mod 2^64 too
                }
            });
        }
        return total;
    }

    /** A sum of 64-bit hashes, mod 2^64, as a signed long (what ControlTotalService keeps). */
    private static long wrap(BigDecimal sum) {
        return sum == null ? 0 : sum.toBigInteger().longValue();
    }

    interface Query {
        List<String> run(String sql, List<Object> params, Jdbc.RowMapper<String> mapper) throws SQLException;
    }

    private static List<String> quarantine(Query q, String dataset) throws SQLException {
        return q.run("""
                select dataset, partition_key, rule_name, row_key, reason, first_evaluation_id, last_evaluation_id,
                       still_failing
                from quarantine.quarantined_row where dataset = ? order by rule_name, row_key""", List.of(dataset), rs -> rs.getString(1) + "|"
                + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|" + rs.getString(5) + "|"
                + rs.getLong(6) + "|" + rs.getLong(7) + "|" + rs.getBoolean(8));
    }

    // --- the rows both warehouses hold ---

    interface Update {
        long run(String sql, List<Object> params) throws SQLException;
    }

    /**
     * A seeded day of payments as DMS lands them: versions of each payment in change order, some
     * replayed (landed twice), some deleted, a few breaking rules (an unknown currency and processor,
     * an amount out of range, a missing field, text where a number belongs); STAGING and CURATED
     * built from them as the models do; processor Alpha's transactions, some disagreeing with the ledger.
     */
    record World(List<RawRow> raw, int duplicates, List<Map<String, Object>> staging, List<Object[]> alpha) {

        record RawRow(String objectKey, int lineNo, String op, long changeSeq, Map<String, Object> record) {
        }

        static World generate(long seed) {
            Random random = new Random(seed);
            List<RawRow> raw = new ArrayList<>();
            Map<String, RawRow> latest = new TreeMap<>();
            long seq = 5_000;
            String[] currencies = {"EUR", "GBP", "USD"};
            for (int p = 1; p <= 40; p++) {
                String id = "P-%04d".formatted(p);
                String currency = p == 7 ? "JPY" : currencies[random.nextInt(3)];
                Instant created = Instant.parse("2026-11-02T00:00:00Z").plusSeconds(random.nextInt(86_400));
                int versions = 1 + random.nextInt(3);
                for (int v = 0; v < versions; v++) {
                    String op = v == 0 ? "I" : p % 13 == 0 && v == versions - 1 ? "D" : "U";
                    Map<String, Object> record = new LinkedHashMap<>();
                    record.put("payment_id", id);
                    record.put("merchant_id", "M-" + (100 + random.nextInt(20)));
                    record.put("processor", p == 11 ? "gamma" : random.nextBoolean() ? "alpha" : "beta");
                    record.put("card_pan", "tok_" + Long.toHexString(random.nextLong()) + (1000 + random.nextInt(9000)));
                    record.put("amount_minor", p == 5 ? 0 : 100 + random.nextInt(500_000));
                    record.put("currency", currency);
                    record.put("status", v == versions - 1 ? "CAPTURED" : "AUTHORIZED");
                    record.put("created_at", created.toString());
                    record.put("business_date", DATE.toString());
                    if (p == 9) {
                        record.remove("merchant_id");
                    }
                    if (p == 17 && v == 0) {
                        record.put("amount_minor", "12x");
                        record.put("created_at", "2026-13-02T10:00:00Z");
                    }
                    RawRow row = new RawRow("landing/payments/2026-11-02/part-" + (p % 4) + ".json", raw.size() + 1, op,
                            seq++, record);
                    raw.add(row);
                    latest.put(id, row);
                }
            }
            int duplicates = 0;
            for (RawRow row : List.copyOf(raw)) {
                if (random.nextInt(10) == 0) { // a DMS restart lands the change again, in another object
                    raw.add(new RawRow(row.objectKey().replace(".json", "-replay.json"), row.lineNo(), row.op(),
                            row.changeSeq(), row.record()));
                    duplicates++;
                }
            }
            List<Map<String, Object>> staging = new ArrayList<>();
            for (RawRow row : latest.values()) {
                if (!row.op().equals("D")) {
                    Map<String, Object> typed = new LinkedHashMap<>(row.record());
                    typed.putIfAbsent("merchant_id", null);
                    typed.put("change_seq", row.changeSeq());
                    staging.add(typed);
                }
            }
            List<Object[]> alpha = new ArrayList<>();
            for (Map<String, Object> payment : staging) {
                if ("alpha".equals(payment.get("processor"))) {
                    boolean differs = alpha.size() % 4 == 1;
                    alpha.add(new Object[] {"T-" + payment.get("payment_id"), payment.get("payment_id"),
                            ((Number) payment.get("amount_minor")).longValue() + (differs ? 1 : 0), payment.get("currency")});
                }
            }
            return new World(raw, duplicates, staging, alpha);
        }

        long rawFingerprint() {
            Fingerprint f = new Fingerprint();
            raw.forEach(r -> f.add(List.of((String) r.record().get("payment_id")), Long.toString(r.changeSeq())));
            return f.value();
        }

        long stagingFingerprint() {
            Fingerprint f = new Fingerprint();
            staging.forEach(s -> f.add(List.of((String) s.get("payment_id")), s.get("change_seq").toString()));
            return f.value();
        }

        long deletedKeys() {
            Map<String, String> lastOp = new TreeMap<>();
            raw.stream().sorted(java.util.Comparator.comparingLong(RawRow::changeSeq))
                    .forEach(r -> lastOp.put((String) r.record().get("payment_id"), r.op()));
            return lastOp.values().stream().filter("D"::equals).count();
        }

        /** Creates the tables as the product expects them in the dialect's warehouse and loads the rows. */
        void load(WarehouseDialect d, Update update) throws SQLException {
            boolean snowflake = d instanceof SnowflakeDialect;
            String ts = snowflake ? "timestamp_tz" : "timestamptz";
            for (String schema : List.of("raw", "staging", "curated")) {
                update.run("create schema if not exists " + schema, List.of());
            }
            for (String statement : d.createRawTable("payments")) {
                update.run(statement, List.of());
            }
            String stagingColumns = """
                    payment_id varchar primary key, merchant_id varchar, processor varchar, card_pan varchar,
                    amount_minor bigint, currency varchar, status varchar, created_at %s, business_date date""".formatted(ts);
            update.run("create table staging.payments (" + stagingColumns + ", change_seq bigint)", List.of());
            update.run("create table curated.transactions (" + stagingColumns.replace("card_pan", "card_token") + ")", List.of());
            update.run("""
                    create table staging.alpha_transactions (txn_id varchar primary key, payment_reference varchar,
                        amount_minor bigint, currency varchar, status varchar, business_date date)""", List.of());
            // the quarantine as the product creates it in each warehouse
            for (String statement : d.createQuarantine()) {
                update.run(statement, List.of());
            }

            insertRaw(d, update);
            for (Map<String, Object> s : staging) {
                List<Object> values = new ArrayList<>();
                values.add(s.get("payment_id"));
                values.add(s.get("merchant_id") == null ? "" : s.get("merchant_id"));
                values.addAll(List.of(s.get("processor"), s.get("card_pan"), ((Number) s.get("amount_minor")).longValue(),
                        s.get("currency"), s.get("status"), Timestamp.from(Instant.parse((String) s.get("created_at"))), DATE));
                String columns = "payment_id, merchant_id, processor, %s, amount_minor, currency, status, created_at, business_date";
                // a missing field lands as a null column: nullif keeps the bound parameters non-null
                String select = "select ?, nullif(?, ''), ?, ?, ?, ?, ?, ?, ?";
                update.run("insert into staging.payments (" + columns.formatted("card_pan") + ", change_seq) "
                        + select + ", ?", append(values, s.get("change_seq")));
                update.run("insert into curated.transactions (" + columns.formatted("card_token") + ") " + select, values);
            }
            for (Object[] a : alpha) {
                // captures, as the processor reports them (its refunds are matched by the refunds rules)
                update.run("insert into staging.alpha_transactions (txn_id, payment_reference, amount_minor, currency,"
                        + " status, business_date) select ?, ?, ?, ?, 'CAPTURED', ?", List.of(a[0], a[1], a[2], a[3], DATE));
            }
        }

        /** RAW lines go in as the RAW loader inserts them, 50 to a statement. */
        void insertRaw(WarehouseDialect d, Update update) throws SQLException {
            for (int from = 0; from < raw.size(); from += 50) {
                List<RawRow> rows = raw.subList(from, Math.min(raw.size(), from + 50));
                List<Object> params = new ArrayList<>();
                for (RawRow r : rows) {
                    params.addAll(java.util.Arrays.asList(r.objectKey(), "v1", r.lineNo(), r.op(), r.changeSeq(), null,
                            DATE, toJson(r.record()), Timestamp.from(Instant.parse("2026-11-02T23:00:00Z"))));
                }
                update.run(d.insertRaw("payments", rows.size()), params);
            }
        }

        private static List<Object> append(List<Object> values, Object last) {
            List<Object> all = new ArrayList<>(values);
            all.add(last);
            return all;
        }

        private static String toJson(Map<String, Object> record) {
            StringBuilder json = new StringBuilder("{");
            record.forEach((k, v) -> json.append(json.length() == 1 ? "" : ", ").append('"').append(k).append("\": ")
                    .append(v instanceof Number ? v.toString() : "\"" + v + "\""));
            return json.append('}').toString();
        }
    }
}
