package com.finledger.integrity.warehouse;

/** Snowflake: RAW records are VARIANT columns, hashes come out unsigned (sums agree mod 2^64). */
public class SnowflakeDialect implements WarehouseDialect {

    public static final SnowflakeDialect INSTANCE = new SnowflakeDialect(false);

    /**
     * For the Snowflake emulator of the prodlike profile (fakesnow), which lacks two functions and
     * differs in one: the 64-bit hash is summed from its 16 hex digits instead of
     * {@code to_number(…, 'XXXX…')}, text timestamps are read with {@code try_cast} instead of
     * {@code try_to_timestamp_tz}, and a JSON field is also looked up by its upper-case name (the
     * emulator upper-cases OBJECT_CONSTRUCT's keys). All are valid Snowflake and give the same values
     * for the same input (known-answer tested); production keeps the single-call forms.
     */
    public static final SnowflakeDialect EMULATOR = new SnowflakeDialect(true);

    private static final String HEX_DIGITS = "'0123456789abcdef'";

    private final boolean emulator;

    private SnowflakeDialect(boolean emulator) {
        this.emulator = emulator;
    }

    @Override
    public String name() {
        return "snowflake";
    }

    @Override
    public String countIf(String predicate) {
        return "count_if(" + predicate + ")";
    }

    @Override
    public String jsonText(String column, String field) {
        if (emulator) {
            // the emulator upper-cases the keys OBJECT_CONSTRUCT writes (Snowflake keeps them as given)
            return "coalesce(" + column + ":\"" + field + "\"::string, " + column + ":\""
                    + field.toUpperCase(java.util.Locale.ROOT) + "\"::string)";
        }
        return column + ":\"" + field + "\"::string";
    }

    @Override
    public String jsonHasField(String column, String field) {
        return column + ":\"" + field + "\" is not null";
    }

    @Override
    public String text(String expression) {
        return "to_varchar(" + expression + ")";
    }

    @Override
    public String matches(String expression, String regex) {
        return "regexp_like(" + expression + ", '" + regex.replace("'", "''") + "')";
    }

    @Override
    public String toNumber(String textExpression) {
        return "try_to_decimal(" + textExpression + ", 38, 6)";
    }

    @Override
    public String windowBucket(String expression, boolean isText, long windowSeconds) {
        String ts = !isText ? expression : emulator ? "try_cast(" + expression + " as timestamp_tz)"
                : "try_to_timestamp_tz(" + expression + ")";
        // milliseconds, not seconds: a second that is not whole must not round into the next window
        return "floor(date_part(epoch_millisecond, " + ts + ") / " + windowSeconds * 1000 + ")";
    }

    @Override
    public String md5Prefix64(String textExpression) {
        if (!emulator) {
            return "to_number(substr(md5(" + textExpression + "), 1, 16), 'XXXXXXXXXXXXXXXX')";
        }
        StringBuilder sum = new StringBuilder("(");
        java.math.BigInteger weight = java.math.BigInteger.ONE.shiftLeft(60);
        for (int digit = 1; digit <= 16; digit++, weight = weight.shiftRight(4)) {
            sum.append(digit == 1 ? "" : " + ").append("to_decimal(position(substr(md5(").append(textExpression)
                    .append("), ").append(digit).append(", 1), ").append(HEX_DIGITS).append(") - 1, 38, 0) * ")
                    .append(weight);
        }
        return sum.append(")").toString();
    }

    /**
     * Typed as NUMBER(38, 0) before summing: the same on Snowflake, and it keeps the emulator (fakesnow,
     * which sums other expressions as doubles) exact. 38 digits hold 10^19 hashes of up to 2^64.
     */
    @Override
    public String sumHashes(String expression) {
        return "sum(to_decimal(" + expression + ", 38, 0))";
    }

    @Override
    public String distinctJsonFields(String table, String column, String filter) {
        return "select distinct f.key as field from " + table + " t, lateral flatten(input => t." + column
                + ") f where " + filter;
    }

    @Override
    public String jsonObjectFunction() {
        return "object_construct";
    }

    @Override
    public String jsonType() {
        return "variant";
    }

    /** Snowflake does not enforce the unique key: the MERGE on it is what keeps one row per failing row. */
    @Override
    public java.util.List<String> createQuarantine() {
        return java.util.List.of("create schema if not exists quarantine", """
                create table if not exists quarantine.quarantined_row (
                    id                  number autoincrement,
                    dataset             varchar       not null,
                    partition_key       varchar       not null,
                    rule_name           varchar       not null,
                    row_key             varchar       not null,
                    first_evaluation_id number        not null,
                    last_evaluation_id  number        not null,
                    reason              varchar       not null,
                    masked_sample       variant       not null,
                    quarantined_at      timestamp_tz  not null,
                    still_failing       boolean       default true not null,
                    released_at         timestamp_tz,
                    released_by         varchar,
                    release_reason      varchar,
                    unique (dataset, partition_key, rule_name, row_key)
                )""");
    }

    @Override
    public String upsertQuarantine(String select) {
        return """
                merge into quarantine.quarantined_row q
                using (
                %s
                ) s
                on q.dataset = s.dataset and q.partition_key = s.partition_key and q.rule_name = s.rule_name
                   and q.row_key = s.row_key
                when matched then update set last_evaluation_id = s.last_evaluation_id, still_failing = true,
                                             reason = s.reason
                when not matched then insert (dataset, partition_key, rule_name, row_key, first_evaluation_id,
                                              last_evaluation_id, reason, masked_sample, quarantined_at)
                     values (s.dataset, s.partition_key, s.rule_name, s.row_key, s.first_evaluation_id,
                             s.last_evaluation_id, s.reason, s.masked_sample, s.quarantined_at)""".formatted(select);
    }

    /**
     * COPY_HISTORY of the table (Snowflake keeps 14 days of it; the control plane keeps it for good).
     * Covers both bulk COPY and Snowpipe loads.
     */
    @Override
    public String loadHistory(String schema, String table) {
        return """
                select file_name, last_load_time, row_count, row_parsed, file_size, status, first_error_message,
                       error_count, pipe_name
                from table(information_schema.copy_history(
                    table_name => '%s', start_time => to_timestamp_ltz(?)))
                order by last_load_time, file_name""".formatted((schema + "." + table).toUpperCase());
    }

    /** Zero-copy clone: metadata only, the micro-partitions are shared until either table changes. */
    @Override
    public String cloneTable(String schema, String table, String targetSchema, String cloneName) {
        return "create schema if not exists " + targetSchema + ";\n"
                + "create table " + targetSchema + "." + cloneName + " clone " + schema + "." + table;
    }

    /** No primary key: Snowflake would not enforce it; the insert itself skips lines already loaded. */
    @Override
    public java.util.List<String> createRawTable(String dataset) {
        return java.util.List.of("create schema if not exists raw", """
                create table if not exists %s (
                    object_key     varchar       not null,
                    object_version varchar       not null,
                    line_no        integer       not null,
                    op             char(1)       not null,
                    change_seq     bigint,
                    commit_ts      timestamp_tz,
                    business_date  date          not null,
                    record         variant       not null,
                    loaded_at      timestamp_tz  not null
                )""".formatted(com.finledger.integrity.platform.Sql.qualified("raw", dataset)));
    }

    /**
     * Many rows per statement (each statement is a round trip and a query in the warehouse). VALUES takes
     * no function calls, so the record is parsed and the bound text typed in the select; a line already
     * loaded is skipped by its (object_key, object_version, line_no), as no key is enforced.
     */
    @Override
    public String insertRaw(String dataset, int rows) {
        String table = com.finledger.integrity.platform.Sql.qualified("raw", dataset);
        String row = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
        return """
                insert into %1$s (%2$s)
                select v.object_key, v.object_version, v.line_no, v.op, cast(v.change_seq as bigint),
                       cast(v.commit_ts as timestamp_tz), cast(v.business_date as date), parse_json(v.record),
                       cast(v.loaded_at as timestamp_tz)
                from (values %3$s) as v (%2$s)
                where not exists (
                    select 1 from %1$s r
                    where r.object_key = v.object_key and r.object_version = v.object_version
                      and r.line_no = v.line_no)""".formatted(table, String.join(", ", RAW_COLUMNS),
                String.join(",\n             ", java.util.Collections.nCopies(rows, row)));
    }

    @Override
    public int rawRowsPerStatement() {
        return 500;
    }

    @Override
    public String secondsBetween(String from, String to) {
        return "datediff(second, cast(" + from + " as timestamp_tz), cast(" + to + " as timestamp_tz))";
    }

    @Override
    public String normalizeReference(String expression) {
        return "upper(regexp_replace(" + expression + ", '[^A-Za-z0-9]', ''))";
    }

    @Override
    public String instantType() {
        return "timestamp_tz";
    }
}
