package com.finledger.integrity.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.CuratedDataset;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.standins.FakesnowServer;
import com.finledger.integrity.warehouse.SnowflakeWarehouse;
import com.finledger.integrity.warehouse.Warehouse;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one dbt project runs on both dialects: the demo world's RAW rows, built into STAGING and
 * CURATED by dbt-postgres in the local pipeline, are copied into the Snowflake emulator (fakesnow,
 * reached over its HTTP protocol by dbt-snowflake) and built there by the same models, macros and
 * materialization; every table then has the same rows, keys and amounts on both. What the emulator
 * cannot run is named in {@link #EMULATOR_CANNOT_RUN}, and none of the project needs it today.
 */
@QuarkusTest
class DbtOnEmulatorTest {

    /** Parts of the project the emulator cannot run (statement → why); each would be skipped there. */
    static final Map<String, String> EMULATOR_CANNOT_RUN = Map.of();

    @Inject
    DemoWorldFixture fixture;

    @Inject
    CatalogService catalogService;

    @Inject
    Warehouse local;

    @Test
    void theModelsBuildTheSameTablesOnTheSnowflakeEmulatorAsOnPostgres() throws Exception {
        fixture.ensureDefaultWorld();
        Catalog catalog = catalogService.catalog();
        try (FakesnowServer fakesnow = FakesnowServer.start()) {
            SnowflakeWarehouse emulator = fakesnow.warehouse("FINLEDGER", "PUBLIC");
            emulator.update("create schema if not exists FINLEDGER.RAW", List.of());
            for (Dataset dataset : catalog.datasets().toList()) {
                copyRaw(dataset.name(), emulator);
            }

            DbtRunner onEmulator = new DbtRunner();
            onEmulator.executable = Path.of("target", "venvs", "dbt", "bin", "dbt");
            onEmulator.target = "emulator";
            onEmulator.emulatorPort = fakesnow.port();
            onEmulator.workDir = Path.of("target", "dbt-emulator");
            onEmulator.timeout = java.time.Duration.ofMinutes(10);
            DbtRunner.Invocation first = onEmulator.build(catalogService.root());
            DbtRunner.Invocation second = onEmulator.build(catalogService.root());

            assertTrue(first.nodes().stream().filter(DbtRunner.NodeResult::isModel).count() >= 11,
                    "every model ran: " + first.nodes());
            assertTrue(first.rowsChanged() > 0);
            for (Dataset dataset : catalog.datasets().toList()) {
                assertSameTable("staging", dataset.name(), dataset.primaryKey(), dataset.amount().column(), emulator);
            }
            for (CuratedDataset curated : catalog.curated()) {
                assertSameTable("curated", curated.name(), curated.primaryKey(), curated.amount().column(), emulator);
            }
            assertEquals(0, second.nodes().stream().filter(n -> n.isModel() && n.rowsAffected() != null
                    && n.rowsAffected() > 0 && n.uniqueId().contains(".stg_")).count(),
                    "building again changes no staging row on the emulator: " + second.nodes());
        }
    }

    /** RAW as landed, row for row: the record as VARIANT, everything else as it is. */
    private void copyRaw(String table, SnowflakeWarehouse emulator) {
        emulator.update("""
                create or replace table raw.%s (object_key varchar, object_version varchar, line_no number, op varchar,
                    change_seq number, commit_ts timestamp_tz, business_date date, record variant,
                    loaded_at timestamp_tz)""".formatted(table), List.of());
        List<String> rows = local.query("select object_key, object_version, line_no, op, change_seq, commit_ts, "
                + "business_date, record::text, loaded_at from raw." + table + " order by object_key, line_no",
                List.of(), rs -> "(" + String.join(", ", literal(rs.getString(1)), literal(rs.getString(2)),
                        rs.getString(3), literal(rs.getString(4)), rs.getObject(5) == null ? "null" : rs.getString(5),
                        literal(rs.getObject(6) == null ? null : rs.getTimestamp(6).toInstant().toString()),
                        literal(rs.getString(7)), literal(rs.getString(8)),
                        literal(rs.getTimestamp(9).toInstant().toString())) + ")");
        for (int from = 0; from < rows.size(); from += 500) {
            emulator.update("insert into raw." + table + " select column1, column2, column3, column4, column5, "
                    + "cast(column6 as timestamp_tz), cast(column7 as date), parse_json(column8), "
                    + "cast(column9 as timestamp_tz) from values " + String.join(", ",
                    rows.subList(from, Math.min(rows.size(), from + 500))), List.of());
        }
        assertEquals((long) rows.size(), emulator.query("select count(*) from raw." + table, List.of(),
                rs -> rs.getLong(1)).get(0));
    }

    private void assertSameTable(String schema, String table, List<String> key, String amount,
                                 SnowflakeWarehouse emulator) {
        String keys = String.join(" || '|' || ", key.stream().map(k -> "coalesce(cast(" + k + " as varchar), '')")
                .toList());
        String sql = "select " + keys + " as k, cast(" + amount + " as decimal(38, 2)) as a from " + schema + "."
                + table + " order by 1";
        Map<String, BigDecimal> onPostgres = rows(local, sql);
        Map<String, BigDecimal> onEmulator = rows(emulator, sql);
        assertTrue(!onPostgres.isEmpty(), schema + "." + table + " has rows");
        assertEquals(onPostgres.size(), onEmulator.size(), schema + "." + table + " rows");
        List<String> differing = new ArrayList<>();
        onPostgres.forEach((k, a) -> {
            BigDecimal other = onEmulator.get(k);
            if (other == null || (a == null ? other != null : a.compareTo(other) != 0)) {
                differing.add(k + ": " + a + " vs " + other);
            }
        });
        assertEquals(List.of(), differing.subList(0, Math.min(5, differing.size())), schema + "." + table);
    }

    private static Map<String, BigDecimal> rows(Warehouse where, String sql) {
        Map<String, BigDecimal> rows = new LinkedHashMap<>();
        where.query(sql, List.of(), rs -> rows.put(rs.getString(1), rs.getBigDecimal(2)));
        return rows;
    }

    private static String literal(String value) {
        return value == null ? "null" : "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
