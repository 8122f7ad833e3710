package com.finledger.integrity.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogLoader;
import com.finledger.integrity.controls.ControlTotalQueries;
import com.finledger.integrity.intake.LocalObjectStore;
import com.finledger.integrity.intake.ObjectStore.StoredObject;
import com.finledger.integrity.standins.FakesnowServer;
import com.finledger.integrity.warehouse.PostgresDialect;
import com.finledger.integrity.warehouse.PostgresWarehouse;
import com.finledger.integrity.warehouse.SnowflakeDialect;
import com.finledger.integrity.warehouse.SnowflakeWarehouse;
import com.finledger.integrity.warehouse.Warehouse;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RAW loader against the Snowflake emulator (fakesnow, through snowflake-jdbc) and against PostgreSQL:
 * DMS change files of the payments ledger, loaded twice (a crash between the RAW insert and marking the
 * object loaded makes the next run load it again), are in RAW once per line, with the same control totals.
 */
class RawLoaderOnEmulatorTest {

    private static final LocalDate DATE = LocalDate.of(2026, 11, 2);
    private static final Catalog CATALOG = CatalogLoader.load(Path.of("ingestion-config"));
    private static final Catalog.Dataset PAYMENTS = CATALOG.dataset("payments");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-02T23:30:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path landing;

    private static FakesnowServer fakesnow;
    private static SnowflakeWarehouse snowflake;
    private static EmbeddedPostgres embedded;
    private static PostgresWarehouse postgres;
    private static LocalObjectStore store;
    private static List<LandedObjects.Landed> landed;
    private static long linesOfTheDate;

    @BeforeAll
    static void start() throws Exception {
        fakesnow = FakesnowServer.start();
        snowflake = fakesnow.warehouse("FINLEDGER", "PUBLIC");
        embedded = EmbeddedPostgres.builder().start();
        postgres = new PostgresWarehouse(embedded.getPostgresDatabase());
        store = new LocalObjectStore(landing);
        land();
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

    /**
     * Three change files as DMS writes them: over 1,000 lines in all (several 500-row statements and a
     * shorter one on Snowflake), versions and deletes, some changes replayed in a later file, nulls, text
     * needing quotes, and lines of the next business date that belong to another partition.
     */
    private static void land() {
        Random random = new Random(20261102);
        List<String> header = new ArrayList<>(LocalDms.DMS_COLUMNS);
        PAYMENTS.columns().forEach(c -> header.add(c.name()));
        String[] currencies = {"EUR", "GBP", "USD"};
        List<List<String>> previous = List.of();
        landed = new ArrayList<>();
        long seq = 9_000;
        int[] sizes = {730, 420, 61};
        for (int file = 0; file < sizes.length; file++) {
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < sizes[file]; i++) {
                boolean replay = !previous.isEmpty() && random.nextInt(15) == 0;
                if (replay) {
                    rows.add(previous.get(random.nextInt(previous.size())));
                    continue;
                }
                Instant commit = Instant.parse("2026-11-02T00:00:00Z").plusSeconds(random.nextInt(86_400));
                LocalDate date = random.nextInt(40) == 0 ? DATE.plusDays(1) : DATE;
                String op = random.nextInt(10) == 0 ? "D" : random.nextInt(3) == 0 ? "U" : "I";
                rows.add(List.of(op, commit.toString(), Long.toString(seq++), "P-%05d".formatted(random.nextInt(600)),
                        random.nextInt(12) == 0 ? "" : "M-\"" + random.nextInt(50) + "\", o'neil", // DMS writes null as ""
                        random.nextBoolean() ? "alpha" : "beta", "tok_" + Long.toHexString(random.nextLong()),
                        Long.toString(random.nextInt(2_000_000)), currencies[random.nextInt(3)], "CAPTURED",
                        commit.toString(), date.toString()));
            }
            StoredObject object = store.put("landing/payments_ledger/payments/business_date=" + DATE + "/changes-" + file
                    + ".csv", LandingFiles.csv(header, rows), CLOCK.instant(), Map.of());
            landed.add(new LandedObjects.Landed(file + 1, "payments", DATE, object.key(), object.versionId(),
                    object.arrivedAt()));
            linesOfTheDate += rows.stream().filter(r -> r.get(r.size() - 1).equals(DATE.toString())).count();
            previous = rows;
        }
    }

    private static long loadTwice(Warehouse warehouse) {
        RawLoader loader = new RawLoader(store, CLOCK, warehouse);
        long read = 0;
        for (int run = 0; run < 2; run++) {
            loader.ensureTable(PAYMENTS);
            for (LandedObjects.Landed object : landed) {
                read += loader.load(CATALOG.sourceOf(PAYMENTS), PAYMENTS, object);
            }
        }
        return read;
    }

    @Test
    void linesLoadedTwiceAreInRawOnceWithTheSameTotalsAsOnPostgresql() {
        assertEquals(2 * linesOfTheDate, loadTwice(snowflake), "lines read on the emulator");
        assertEquals(2 * linesOfTheDate, loadTwice(postgres), "lines read on PostgreSQL");
        for (Warehouse warehouse : List.of(snowflake, postgres)) {
            String name = warehouse.dialect().name();
            assertEquals(linesOfTheDate, count(warehouse, "select count(*) from raw.payments"), name);
            assertEquals(0, count(warehouse, "select count(*) from (select object_key, object_version, line_no "
                    + "from raw.payments group by object_key, object_version, line_no having count(*) > 1) d"), name);
            assertEquals(count(warehouse, "select count(*) from raw.payments where change_seq is not null "
                    + "and commit_ts is not null and loaded_at is not null"), linesOfTheDate, name);
        }

        List<Map<String, Object>> onEmulator = snowflake.query(FakesnowServer.withEmulatorHash(
                ControlTotalQueries.raw(SnowflakeDialect.INSTANCE, PAYMENTS)), List.of(DATE), RawLoaderOnEmulatorTest::row);
        List<Map<String, Object>> onPostgres = postgres.query(ControlTotalQueries.raw(PostgresDialect.INSTANCE, PAYMENTS),
                List.of(DATE), RawLoaderOnEmulatorTest::row);
        assertEquals(sorted(onPostgres), sorted(onEmulator));
        assertEquals(3, onEmulator.size(), "one row per currency: " + onEmulator);
        assertEquals(linesOfTheDate, onEmulator.stream().mapToLong(r -> (Long) r.get("row_count")).sum());
        assertTrue(onEmulator.stream().mapToLong(r -> (Long) r.get("dup_rows")).sum() > 0, "replays are counted");

        // the records as landed: quotes, commas and DMS's empty field (null) survive the trip
        String nulls = "select count(*) from raw.payments where %s is null";
        assertEquals(count(postgres, nulls.formatted(PostgresDialect.INSTANCE.jsonText("record", "merchant_id"))),
                count(snowflake, nulls.formatted(SnowflakeDialect.INSTANCE.jsonText("record", "merchant_id"))));
        String quoted = "select count(*) from raw.payments where %s like 'M-\"%%\", o''neil'";
        long withQuotes = count(postgres, quoted.formatted(PostgresDialect.INSTANCE.jsonText("record", "merchant_id")));
        assertTrue(withQuotes > 0);
        assertEquals(withQuotes, count(snowflake, quoted.formatted(SnowflakeDialect.INSTANCE.jsonText("record", "merchant_id"))));
    }

    private static long count(Warehouse warehouse, String sql) {
        return warehouse.query(sql, List.of(), rs -> rs.getLong(1)).get(0);
    }

    private static List<String> sorted(List<Map<String, Object>> rows) {
        return rows.stream().map(Map::toString).sorted().toList();
    }

    /** A control-total row: fingerprints mod 2^64 (Snowflake's are unsigned), amounts without scale noise. */
    private static Map<String, Object> row(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String column = md.getColumnLabel(i).toLowerCase();
            if (column.equals("currency")) {
                row.put(column, rs.getString(i));
                continue;
            }
            BigDecimal value = rs.getBigDecimal(i);
            row.put(column, value == null ? null : column.endsWith("_fp") ? value.toBigInteger().longValue()
                    : column.endsWith("_amount") ? value.stripTrailingZeros().toPlainString() : value.longValueExact());
        }
        return row;
    }
}
