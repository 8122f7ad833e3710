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
    public String windowBucket(String expression, boolean isText, long windowSeconds) {
        // shaped like a timestamp and valid as one (a 13th month must not abort the evaluation)
        String ts = isText ? "(case when (" + expression + ") ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}' "
                + "and pg_input_is_valid(" + expression + ", 'timestamptz') then (" + expression + ")::timestamptz end)"
                : expression;
        return "cast(floor(extract(epoch from " + ts + ") / " + windowSeconds + ") as bigint)";
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
    public java.util.List<String> createQuarantine() {
        return java.util.List.of("create schema if not exists quarantine", """
                create table if not exists quarantine.quarantined_row (
                    id                  bigserial   primary key,
                    dataset             text        not null,
                    partition_key       text        not null,
                    rule_name           text        not null,
                    row_key             text        not null,
                    first_evaluation_id bigint      not null,
                    last_evaluation_id  bigint      not null,
                    reason              text        not null,
                    masked_sample       jsonb       not null,
                    quarantined_at      timestamptz not null,
                    still_failing       boolean     not null default true,
                    released_at         timestamptz,
                    released_by         text,
                    release_reason      text,
                    unique (dataset, partition_key, rule_name, row_key)
                )""", """
                create index if not exists quarantined_row_partition
                    on quarantine.quarantined_row (dataset, partition_key, rule_name)""");
    }

    @Override
    public String upsertQuarantine(String select) {
        return """
                insert into quarantine.quarantined_row (dataset, partition_key, rule_name, row_key, first_evaluation_id,
                                             last_evaluation_id, reason, masked_sample, quarantined_at)
                %s
                on conflict (dataset, partition_key, rule_name, row_key)
                do update set last_evaluation_id = excluded.last_evaluation_id, still_failing = true,
                              reason = excluded.reason""".formatted(select);
    }

    /** RAW rows remember the object version they were loaded from, so the history is derived from them. */
    @Override
    public String loadHistory(String schema, String table) {
        return """
                select object_key || '?versionId=' || object_version as file_name, max(loaded_at) as last_load_time,
                       count(*) as row_count, count(*) as row_parsed, cast(null as bigint) as file_size,
                       'Loaded' as status, cast(null as text) as first_error_message, 0 as error_count,
                       cast(null as text) as pipe_name
                from %s where loaded_at >= ?
                group by object_key, object_version
                order by 2, 1""".formatted(com.finledger.integrity.platform.Sql.qualified(schema, table));
    }

    /** PostgreSQL has no zero-copy clone: the frozen copy is a full copy, indexes and all. */
    @Override
    public String cloneTable(String schema, String table, String targetSchema, String cloneName) {
        String target = com.finledger.integrity.platform.Sql.qualified(targetSchema, cloneName);
        return "create schema if not exists " + com.finledger.integrity.platform.Sql.ident(targetSchema) + ";\n"
                + "create table " + target + " (like " + com.finledger.integrity.platform.Sql.qualified(schema, table)
                + " including all);\n"
                + "insert into " + target + " select * from " + com.finledger.integrity.platform.Sql.qualified(schema, table);
    }

    @Override
    public java.util.List<String> createRawTable(String dataset) {
        return java.util.List.of("create schema if not exists raw", """
                create table if not exists %s (
                    object_key     text        not null,
                    object_version text        not null,
                    line_no        integer     not null,
                    op             char(1)     not null,
                    change_seq     bigint,
                    commit_ts      timestamptz,
                    business_date  date        not null,
                    record         jsonb       not null,
                    loaded_at      timestamptz not null,
                    primary key (object_key, object_version, line_no)
                )""".formatted(com.finledger.integrity.platform.Sql.qualified("raw", dataset)));
    }

    /** The primary key makes a second insert of a line a no-op. */
    @Override
    public String insertRaw(String dataset, int rows) {
        String row = "(?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?)";
        return "insert into " + com.finledger.integrity.platform.Sql.qualified("raw", dataset) + " ("
                + String.join(", ", RAW_COLUMNS) + ")\nvalues " + String.join(",\n       ", java.util.Collections.nCopies(rows, row))
                + "\non conflict (object_key, object_version, line_no) do nothing";
    }

    /** One row per statement: the driver sends a JDBC batch of them in one round trip. */
    @Override
    public int rawRowsPerStatement() {
        return 1;
    }

    @Override
    public String secondsBetween(String from, String to) {
        return "cast(extract(epoch from (cast(" + to + " as timestamptz) - cast(" + from + " as timestamptz))) as bigint)";
    }

    @Override
    public String normalizeReference(String expression) {
        return "upper(regexp_replace(" + expression + ", '[^A-Za-z0-9]', '', 'g'))";
    }

    @Override
    public String textType() {
        return "text";
    }

    @Override
    public String instantType() {
        return "timestamptz";
    }

    @Override
    public String sampled(String relation, String alias, double percent) {
        return relation.strip().startsWith("(") ? null
                : relation + " " + alias + " tablesample bernoulli (" + java.math.BigDecimal.valueOf(percent).toPlainString()
                        + ") repeatable (0)";
    }

    @Override
    public String fastHash64(String textExpression) {
        return "hashtextextended(" + textExpression + ", 0)";
    }
}
