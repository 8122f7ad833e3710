package com.finledger.integrity.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.lineage.SqlColumnLineage.Kind;
import com.finledger.integrity.lineage.SqlColumnLineage.Result;
import com.finledger.integrity.lineage.SqlColumnLineage.Source;
import com.finledger.integrity.warehouse.WarehouseDialect;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Column lineage read from SQL shaped as our dbt models compile (PostgreSQL and Snowflake macros). */
class SqlColumnLineageTest {

    private static final Map<String, List<String>> KNOWN = Map.of(
            "postgres.raw.payments", WarehouseDialect.RAW_COLUMNS,
            "finledger.raw.payments", WarehouseDialect.RAW_COLUMNS,
            "postgres.curated.transactions", List.of("payment_id", "merchant_id", "processor", "card_token",
                    "amount_minor", "currency", "status", "created_at", "business_date"),
            "postgres.curated.refunds", List.of("refund_id", "payment_id", "amount_minor", "currency", "reason",
                    "created_at", "business_date"));

    private static Result analyse(String sql) {
        return SqlColumnLineage.analyse(sql, relation -> Optional.ofNullable(KNOWN.get(relation)));
    }

    private static final String STG_PAYMENTS_PG = """
            -- stg_payments: one row per payment as the ledger last recorded it.
            with landed as (
                select * from "postgres"."raw"."payments"
            ),
            latest as (
                select * from (
                    select landed.*, row_number() over (partition by record->>'payment_id' order by change_seq desc) as finledger_recency
                    from landed as landed
                ) ranked
                where finledger_recency = 1
            ),
            typed as (
                select
                    -- ids
                    record->>'payment_id'                      as payment_id,
                    record->>'merchant_id'                     as merchant_id,
                    cast(record->>'amount_minor' as bigint)    as amount_minor,
                    cast(record->>'created_at' as timestamptz)      as created_at,
                    cast(record->>'business_date' as date)     as business_date,
                    change_seq,
                    op
                from latest
            )
            select
                payment_id, merchant_id, amount_minor, created_at, business_date,
                change_seq
            from typed
            where op <> 'D'
            """;

    @Test
    void aStagingModelReadsEachColumnFromTheRawRecordThroughCtesAndASubquery() {
        Result r = analyse(STG_PAYMENTS_PG);

        assertTrue(r.complete(), SqlColumnLineage.describe(r));
        assertEquals(List.of("payment_id", "merchant_id", "amount_minor", "created_at", "business_date", "change_seq"),
                r.columns());
        assertEquals(List.of("postgres.raw.payments"), r.relations());
        assertEquals(Set.of(new Source("postgres.raw.payments", "record", Kind.TRANSFORMATION)),
                r.lineage().get("payment_id"));
        assertEquals(Set.of(new Source("postgres.raw.payments", "change_seq", Kind.IDENTITY)),
                r.lineage().get("change_seq"), "passed through unchanged, not from the window's partition key");
    }

    @Test
    void snowflakePathsAndCastsAreNotTakenForColumns() {
        Result r = analyse("""
                with landed as (select * from finledger.raw.payments),
                typed as (
                    select record:"payment_id"::varchar as payment_id,
                           cast(record:"amount_minor"::varchar as numeric(18, 2)) as amount,
                           cast(record:"created_at"::varchar as timestamp_tz) created_at
                    from landed
                )
                select payment_id, amount, created_at from typed""");

        assertTrue(r.complete(), SqlColumnLineage.describe(r));
        for (String column : List.of("payment_id", "amount", "created_at")) {
            assertEquals(Set.of(new Source("finledger.raw.payments", "record", Kind.TRANSFORMATION)),
                    r.lineage().get(column), column);
        }
    }

    @Test
    void aggregatesThroughCtesAndBothSidesOfAFullJoinAreFollowed() {
        Result r = analyse("""
                with transactions as (
                    select * from "postgres"."curated"."transactions" where status = 'CAPTURED'
                ),
                refunds as (
                    select transactions.merchant_id, refunds.business_date, refunds.currency, refunds.amount_minor
                    from "postgres"."curated"."refunds" as refunds
                    join "postgres"."curated"."transactions" as transactions on transactions.payment_id = refunds.payment_id
                ),
                captured as (
                    select merchant_id, business_date, currency, sum(amount_minor) as captured_minor, count(*) as payment_count
                    from transactions group by 1, 2, 3
                ),
                refunded as (
                    select merchant_id, business_date, currency, sum(amount_minor) as refunded_minor, count(*) as refund_count
                    from refunds group by 1, 2, 3
                )
                select
                    coalesce(captured.merchant_id, refunded.merchant_id)       as merchant_id,
                    cast(coalesce(captured.captured_minor, 0) - coalesce(refunded.refunded_minor, 0) as bigint) as net_minor,
                    coalesce(captured.payment_count, 0)                         as payment_count
                from captured
                full outer join refunded
                    on refunded.merchant_id = captured.merchant_id
                   and refunded.currency = captured.currency""");

        assertTrue(r.complete(), SqlColumnLineage.describe(r));
        assertEquals(List.of("postgres.curated.refunds", "postgres.curated.transactions"), r.relations());
        assertEquals(Set.of(new Source("postgres.curated.transactions", "merchant_id", Kind.TRANSFORMATION)),
                r.lineage().get("merchant_id"), "both sides' merchant comes from transactions (refunds join it)");
        assertEquals(Set.of(new Source("postgres.curated.transactions", "amount_minor", Kind.AGGREGATION),
                new Source("postgres.curated.refunds", "amount_minor", Kind.AGGREGATION)), r.lineage().get("net_minor"));
        assertEquals(Set.of(), r.lineage().get("payment_count"), "count(*) reads no column");
    }

    @Test
    void aUnionTakesItsColumnsFromBothBranchesByPosition() {
        Result r = SqlColumnLineage.analyse("""
                with alpha as (select 'alpha' as processor, txn_id, card_pan from "postgres"."staging"."alpha_transactions"),
                beta as (select 'beta' as processor, txn_id, card_pan from "postgres"."staging"."beta_transactions"),
                unioned as (select * from alpha union all select * from beta)
                select processor, txn_id, card_pan as card_token from unioned""",
                relation -> Optional.of(List.of("txn_id", "card_pan")));

        assertTrue(r.complete(), SqlColumnLineage.describe(r));
        assertEquals(List.of("processor", "txn_id", "card_token"), r.columns());
        assertEquals(Set.of(), r.lineage().get("processor"), "a literal");
        assertEquals(Set.of(new Source("postgres.staging.alpha_transactions", "card_pan", Kind.IDENTITY),
                new Source("postgres.staging.beta_transactions", "card_pan", Kind.IDENTITY)), r.lineage().get("card_token"));
    }

    @Test
    void whatCannotBeResolvedIsSaidNotGuessed() {
        Result star = analyse("select * from \"postgres\".\"staging\".\"unknown\"");
        assertFalse(star.complete(), "* over a relation whose columns are unknown");
        assertEquals(List.of("postgres.staging.unknown"), star.relations(), "the input is still known");

        Result ambiguous = analyse("""
                select payment_id from "postgres"."curated"."transactions" t
                join "postgres"."curated"."refunds" r on r.payment_id = t.payment_id""");
        assertFalse(ambiguous.complete(), "payment_id is in both relations");

        Result unnamed = analyse("select upper(status) from \"postgres\".\"curated\".\"transactions\"");
        assertFalse(unnamed.complete(), "a computed column without a name");

        Result notSql = analyse("merge into x using y on true when matched then delete");
        assertFalse(notSql.complete());
    }
}
