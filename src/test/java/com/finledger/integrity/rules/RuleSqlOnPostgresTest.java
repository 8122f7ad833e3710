package com.finledger.integrity.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.catalog.Catalog.Column;
import com.finledger.integrity.rules.Rule.Layer;
import com.finledger.integrity.rules.Rule.Severity;
import com.finledger.integrity.rules.Rule.Type;
import com.finledger.integrity.warehouse.Warehouse;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every fusable rule type, compiled for PostgreSQL and run on a small table with one known violation
 * each: the fused scan counts exactly those rows, and the quarantine receives them with card numbers
 * masked.
 */
@QuarkusTest
class RuleSqlOnPostgresTest {

    private static final LocalDate DAY = LocalDate.of(2031, 1, 2);

    @Inject
    Warehouse warehouse;

    @Test
    void eachRuleTypeCountsExactlyItsViolations() {
        warehouse.update("create schema if not exists staging", List.of());
        warehouse.update("drop table if exists staging.probe", List.of());
        warehouse.update("drop table if exists staging.probe_parent", List.of());
        warehouse.update("create table staging.probe_parent (merchant_id text primary key)", List.of());
        warehouse.update("insert into staging.probe_parent values ('M-001'), ('M-002')", List.of());
        warehouse.update("""
                create table staging.probe (id text primary key, merchant_id text, card_pan text, amount_minor bigint,
                                            currency text, status text, business_date date)""", List.of());
        warehouse.update("""
                insert into staging.probe values
                  ('1', 'M-001', 'tok_0123456789abcdef0123456789abcdef_4242', 100, 'EUR', 'CAPTURED', '2031-01-02'),
                  ('2', 'M-002', 'tok_0123456789abcdef0123456789abcdef_1111', 200, 'XXX', 'CAPTURED', '2031-01-02'),
                  ('3', 'M-001', 'tok_0123456789abcdef0123456789abcdef_2222', -5, 'EUR', 'CAPTURED', '2031-01-02'),
                  ('4', 'M-002', 'tok_0123456789abcdef0123456789abcdef_3333', 400, 'GBP', null, '2031-01-02'),
                  ('5', 'M-999', 'tok_0123456789abcdef0123456789abcdef_5555', 500, 'USD', 'CAPTURED', '2031-01-02'),
                  ('6', 'M-001', 'tok_0123456789abcdef0123456789abcdef_4242', 600, 'EUR', 'DECLINED', '2031-01-02'),
                  ('7', null,    'tok_0123456789abcdef0123456789abcdef_7777', 700, 'EUR', 'CAPTURED', '2031-01-03')""",
                List.of());
        List<Column> contract = List.of(new Column("id", "string", false, false),
                new Column("merchant_id", "string", true, false), new Column("card_pan", "string", false, true),
                new Column("amount_minor", "bigint", false, false), new Column("currency", "string", false, false),
                new Column("status", "string", false, false), new Column("business_date", "date", false, false));
        RuleTable table = new RuleTable(Layer.STAGING, "probe", "staging.probe", "business_date", List.of("id"), contract);
        List<Rule> rules = List.of(
                rule("probe_status_required", Type.NOT_NULL, List.of("status"), List.of(), null, null, null),
                rule("probe_currency_accepted", Type.ACCEPTED_VALUES, List.of("currency"), List.of("EUR", "GBP", "USD"),
                        null, null, null),
                rule("probe_amount_positive", Type.RANGE, List.of("amount_minor"), List.of(), BigDecimal.ONE, null, null),
                rule("probe_merchant_known", Type.RELATIONSHIPS, List.of("merchant_id"), List.of(), null, null,
                        "probe_parent.merchant_id"),
                rule("probe_card_unique", Type.UNIQUE, List.of("card_pan"), List.of(), null, null, null),
                rule("probe_id_unique", Type.UNIQUE, List.of("id"), List.of(), null, null, null));
        List<RuleSql.Flag> flags = RuleSql.flags(warehouse.dialect(), table, rules);

        Map<String, Long> counts = warehouse.query(RuleSql.fusedQuery(warehouse.dialect(), table, flags), List.of(DAY),
                rs -> {
                    Map<String, Long> m = new HashMap<>();
                    m.put("rows", rs.getLong("row_count"));
                    for (RuleSql.Flag f : flags) {
                        m.put(f.rule().name(), rs.getLong(f.alias()));
                    }
                    return m;
                }).get(0);

        assertEquals(6L, counts.get("rows"), "only the partition's rows are scanned");
        assertEquals(1L, counts.get("probe_status_required"));
        assertEquals(1L, counts.get("probe_currency_accepted"));
        assertEquals(1L, counts.get("probe_amount_positive"));
        assertEquals(1L, counts.get("probe_merchant_known"));
        assertEquals(1L, counts.get("probe_card_unique"), "the second use of a card is the duplicate");
        assertEquals(0L, counts.get("probe_id_unique"));

        long evaluation = warehouse.query("insert into evaluation (dataset, partition_key, triggered_by, started_at) "
                + "values ('probe', ?, 'test', now()) returning id", List.of(DAY.toString()), rs -> rs.getLong(1)).get(0);
        RuleSql.Flag card = flags.stream().filter(f -> f.rule().name().equals("probe_card_unique")).findFirst()
                .orElseThrow();
        long inserted = warehouse.update(RuleSql.quarantineInsert(warehouse.dialect(), table, flags, card),
                List.of("probe", DAY.toString(), "probe_card_unique", evaluation, evaluation, "unique: card used twice",
                        Timestamp.from(Instant.now()), DAY));
        assertEquals(1, inserted);
        String sample = warehouse.query("select masked_sample::text from quarantine.quarantined_row where dataset = 'probe' "
                + "and rule_name = 'probe_card_unique'", List.of(), rs -> rs.getString(1)).get(0);
        assertTrue(sample.contains("\"card_pan\": \"•••• •••• •••• 4242\""), sample);
        assertTrue(!sample.contains("tok_"), "no token, let alone a card number, in a sample: " + sample);
        assertEquals(1, warehouse.update(RuleSql.quarantineInsert(warehouse.dialect(), table, flags, card),
                List.of("probe", DAY.toString(), "probe_card_unique", evaluation, evaluation, "unique: card used twice",
                        Timestamp.from(Instant.now()), DAY)), "re-running marks the same row again, no second row");
        assertEquals(1L, warehouse.query("select count(*) from quarantine.quarantined_row where dataset = 'probe'", List.of(),
                rs -> rs.getLong(1)).get(0));
    }

    @Test
    void schemaDriftIsFoundFieldByField() {
        warehouse.update("create schema if not exists raw", List.of());
        warehouse.update("drop table if exists raw.probe", List.of());
        warehouse.update("""
                create table raw.probe (object_key text, object_version text, line_no int, op char(1), change_seq bigint,
                                        commit_ts timestamptz, business_date date, record jsonb, loaded_at timestamptz)""",
                List.of());
        warehouse.update("""
                insert into raw.probe values
                  ('k', 'v', 1, 'I', 1, null, '2031-01-02', '{"id": "1", "amount_minor": "100", "currency": "EUR"}', now()),
                  ('k', 'v', 2, 'I', 2, null, '2031-01-02', '{"id": "2", "amount_minor": "12.5x", "currency": "EUR"}', now()),
                  ('k', 'v', 3, 'I', 3, null, '2031-01-02', '{"id": "3", "amount_minor": "300", "ccy": "EUR"}', now())""",
                List.of());
        List<Column> contract = List.of(new Column("id", "string", false, false),
                new Column("amount_minor", "bigint", false, false), new Column("currency", "string", false, false));
        RuleTable table = new RuleTable(Layer.RAW, "probe", "raw.probe", "business_date",
                List.of("object_key", "object_version", "line_no"), contract);
        List<RuleSql.Flag> flags = RuleSql.flags(warehouse.dialect(), table,
                List.of(rule("probe_schema", Type.SCHEMA, List.of(), List.of(), null, null, null)));

        Map<String, Long> counts = warehouse.query(RuleSql.fusedQuery(warehouse.dialect(), table, flags), List.of(DAY),
                rs -> {
                    Map<String, Long> m = new HashMap<>();
                    for (RuleSql.Flag f : flags) {
                        m.put(f.detail() == null ? "all" : f.detail(), rs.getLong(f.alias()));
                    }
                    return m;
                }).get(0);
        List<String> fields = warehouse.query(warehouse.dialect().distinctJsonFields("raw.probe", "record",
                "business_date = ?") + " order by 1", List.of(DAY), rs -> rs.getString(1));

        assertEquals(2L, counts.get("all"));
        assertEquals(1L, counts.get("retyped:amount_minor"));
        assertEquals(1L, counts.get("missing:currency"));
        assertEquals(0L, counts.get("missing:id"));
        assertEquals(List.of("amount_minor", "ccy", "currency", "id"), fields);
    }

    private static Rule rule(String name, Type type, List<String> columns, List<String> values, BigDecimal min,
                             BigDecimal max, String to) {
        return new Rule(name, "probe", type, Severity.BLOCK, "test", name, type == Type.SCHEMA ? Layer.RAW : Layer.STAGING,
                columns, values, Optional.ofNullable(min), Optional.ofNullable(max), Optional.ofNullable(to),
                Optional.empty(), Optional.empty(), "test", 1);
    }
}
