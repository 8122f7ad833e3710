package com.finledger.integrity.warehouse;

/** PostgreSQL 17: the local warehouse and the FinLedger source ledgers. */
public class PostgresDialect implements WarehouseDialect {

    public static final PostgresDialect INSTANCE = new PostgresDialect();

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String countIf(String predicate) {
        return "count(*) filter (where " + predicate + ")";
    }

    @Override
    public String jsonText(String column, String field) {
        return column + "->>'" + field + "'";
    }

    @Override
    public String jsonHasField(String column, String field) {
        return "jsonb_exists(" + column + ", '" + field + "')";
    }

    @Override
    public String text(String expression) {
        return "(" + expression + ")::text";
    }

    @Override
    public String matches(String expression, String regex) {
        return "(" + expression + ") ~ '^(" + regex.replace("'", "''") + ")$'";
    }

    @Override
    public String toNumber(String textExpression) {
        return "(case when (" + textExpression + ") ~ '^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$' then (" + textExpression
                + ")::numeric end)";
    }

    @Override
    public String md5Prefix64(String textExpression) {
        return "('x' || substr(md5(" + textExpression + "), 1, 16))::bit(64)::bigint";
    }

    @Override
    public String distinctJsonFields(String table, String column, String filter) {
        return "select distinct jsonb_object_keys(" + column + ") as field from " + table + " where " + filter;
    }

    @Override
    public String jsonObjectFunction() {
        return "jsonb_build_object";
    }

    @Override
    public String jsonType() {
        return "jsonb";
    }

    @Override
    public String upsertQuarantine(String select) {
        return """
                insert into quarantined_row (dataset, partition_key, rule_name, row_key, first_evaluation_id,
                                             last_evaluation_id, reason, masked_sample, quarantined_at)
                %s
                on conflict (dataset, partition_key, rule_name, row_key)
                do update set last_evaluation_id = excluded.last_evaluation_id, still_failing = true,
                              reason = excluded.reason""".formatted(select);
    }
}
