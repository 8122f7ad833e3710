package com.finledger.integrity.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.warehouse.PostgresDialect;
import com.finledger.integrity.warehouse.PostgresWarehouse;
import com.finledger.integrity.warehouse.Warehouse;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Table-diff on PostgreSQL between two copies of 50,000 generated payments with five planted
 * differences over two partitions (odd numbers on 2026-11-03): exactly those keys and columns come back, after bisection, reading a small part of
 * the rows; identical copies need one summary query per side.
 */
class TableDiffTest {

    private static EmbeddedPostgres embedded;
    private static Warehouse db;

    @BeforeAll
    static void start() throws Exception {
        embedded = EmbeddedPostgres.builder().start();
        db = new PostgresWarehouse(embedded.getPostgresDatabase());
        for (String t : List.of("a", "b")) {
            db.update("create table " + t + " as select 'PAY-' || lpad(g::text, 7, '0') as payment_id, "
                    + "(g * 7919 % 50000) + 100 as amount_minor, (array['EUR','GBP','USD'])[1 + g % 3] as currency, "
                    + "date '2026-11-02' + (g % 2) as business_date from generate_series(1, 50000) g", List.of());
        }
        db.update("delete from b where payment_id = 'PAY-0000017'", List.of());
        db.update("insert into b values ('PAY-0099999', 500, 'EUR', date '2026-11-02')", List.of());
        db.update("update b set amount_minor = amount_minor + 1 where payment_id = 'PAY-0012345'", List.of());
        db.update("update b set currency = 'JPY' where payment_id = 'PAY-0031337'", List.of());
        db.update("update b set amount_minor = 0, currency = 'CHF' where payment_id = 'PAY-0040001'", List.of());
        db.update("update b set amount_minor = amount_minor + 1 where payment_id = 'PAY-0040002'", List.of()); // other day
    }

    @AfterAll
    static void stop() throws Exception {
        if (embedded != null) {
            embedded.close();
        }
    }

    private static TableDiff.Side side(String table) {
        return new TableDiff.Side(table, db, PostgresDialect.INSTANCE, table, "payment_id",
                List.of("amount_minor", "currency"), "business_date = cast(? as date)", List.of("2026-11-02"));
    }

    @Test
    void theDifferingKeysAndColumnsOfAPartitionAreNamed() {
        TableDiff.Result result = new TableDiff().diff(side("a"), side("b"), new TableDiff.Options(16, 4, 200, 6));

        assertEquals(List.of(), result.onlyLeft(), "PAY-0000017 is on the other day's partition");
        assertEquals(List.of("PAY-0099999"), result.onlyRight());
        assertEquals(List.of(new TableDiff.ChangedRow("PAY-0040002", List.of("amount_minor"))), result.changed());
        assertTrue(result.levels() > 1, "bisected: " + result.levels() + " levels");
        assertTrue(result.rowsListed() < 2_000, "listed only the suspect segments' rows: " + result.rowsListed());
    }

    @Test
    void theOtherPartitionToo() {
        TableDiff.Side a = new TableDiff.Side("a", db, PostgresDialect.INSTANCE, "a", "payment_id",
                List.of("amount_minor", "currency"), "business_date = cast(? as date)", List.of("2026-11-03"));
        TableDiff.Side b = new TableDiff.Side("b", db, PostgresDialect.INSTANCE, "b", "payment_id",
                List.of("amount_minor", "currency"), "business_date = cast(? as date)", List.of("2026-11-03"));
        TableDiff.Result result = new TableDiff().diff(a, b, TableDiff.Options.defaults());
        assertEquals(List.of("PAY-0000017"), result.onlyLeft());
        assertEquals(List.of(), result.onlyRight());
        assertEquals(List.of(new TableDiff.ChangedRow("PAY-0012345", List.of("amount_minor")),
                new TableDiff.ChangedRow("PAY-0031337", List.of("currency")),
                new TableDiff.ChangedRow("PAY-0040001", List.of("amount_minor", "currency"))), result.changed());
    }

    @Test
    void byKeyRangeTheSameKeysAndColumnsAreNamed() {
        // a and b have no index here: the ranges are still right, only not faster
        TableDiff.Result result = new TableDiff().diff(side("a"), side("b"), new TableDiff.Options(16, 4, 200, 6)
                .byKeyRange());
        assertEquals(List.of(), result.onlyLeft());
        assertEquals(List.of("PAY-0099999"), result.onlyRight());
        assertEquals(List.of(new TableDiff.ChangedRow("PAY-0040002", List.of("amount_minor"))), result.changed());
        assertTrue(result.levels() > 1, "cut finer: " + result.levels() + " levels, " + result.timings());
        assertTrue(result.rowsListed() < 2_000, "listed only the differing ranges' rows: " + result.rowsListed());
        assertTrue(result.timings().stream().anyMatch(t -> t.contains("key ranges")), result.timings().toString());

        TableDiff.Side a = new TableDiff.Side("a", db, PostgresDialect.INSTANCE, "a", "payment_id",
                List.of("amount_minor", "currency"), "business_date = cast(? as date)", List.of("2026-11-03"));
        TableDiff.Side b = new TableDiff.Side("b", db, PostgresDialect.INSTANCE, "b", "payment_id",
                List.of("amount_minor", "currency"), "business_date = cast(? as date)", List.of("2026-11-03"));
        TableDiff.Result other = new TableDiff().diff(a, b, TableDiff.Options.defaults().byKeyRange());
        assertEquals(List.of("PAY-0000017"), other.onlyLeft());
        assertEquals(List.of(), other.onlyRight());
        assertEquals(List.of(new TableDiff.ChangedRow("PAY-0012345", List.of("amount_minor")),
                new TableDiff.ChangedRow("PAY-0031337", List.of("currency")),
                new TableDiff.ChangedRow("PAY-0040001", List.of("amount_minor", "currency"))), other.changed());

        TableDiff.Result same = new TableDiff().diff(side("a"), side("a"), TableDiff.Options.defaults().byKeyRange());
        assertTrue(same.same());
        assertEquals(4, same.queries(), "a table sample (too small here), a key sample by hash, one summary per side: " + same.timings());
    }

    @Test
    void aKeyRangeEndsAtThePrefixRaised() {
        assertEquals("PAY-0013", TableDiff.rangeEnd("PAY-0012"));
        assertEquals("PAZ", TableDiff.rangeEnd("PAY\uffff"));
        assertEquals(null, TableDiff.rangeEnd("\uffff"));
    }

    @Test
    void identicalCopiesTakeOneQueryPerSide() {
        TableDiff.Result result = new TableDiff().diff(side("a"), side("a"), TableDiff.Options.defaults());
        assertTrue(result.same());
        assertEquals(2, result.queries());
    }
}
