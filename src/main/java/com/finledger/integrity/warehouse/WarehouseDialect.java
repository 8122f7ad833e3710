package com.finledger.integrity.warehouse;

import java.util.List;

/**
 * The SQL differences between the warehouses we push work down to. Control-total and rule SQL is
 * generated once, through this port, for PostgreSQL (the local warehouse and the source ledgers) and
 * Snowflake (production); generated Snowflake SQL is golden-tested.
 */
public interface WarehouseDialect {

    String name();

    /** Rows of the group where the predicate holds. */
    String countIf(String predicate);

    /** A field of the landed JSON record, as text (null when absent). */
    String jsonText(String column, String field);

    /** Whether the landed JSON record has the field at all. */
    String jsonHasField(String column, String field);

    /** Text of any expression. */
    String text(String expression);

    /** Full-match regular expression test. */
    String matches(String expression, String regex);

    /** A number from text, null when the text is not a number (never an error mid-scan). */
    String toNumber(String textExpression);

    /**
     * The micro-batch window number (epoch seconds / window seconds) of a timestamp given as text
     * (landed records) or as a timestamp column; null when the text is not a timestamp.
     */
    String windowBucket(String expression, boolean isText, long windowSeconds);

    /** First 64 bits of MD5 of the {@code |}-joined parts, as an integer (see {@code Fingerprint}). */
    default String hash64(List<String> textParts) {
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < textParts.size(); i++) {
            joined.append(i == 0 ? "" : " || '|' || ").append("coalesce(").append(textParts.get(i)).append(", '')");
        }
        return md5Prefix64("(" + joined + ")");
    }

    String md5Prefix64(String textExpression);

    /**
     * A table, under the given alias, read as a repeatable random sample of about the given percentage of
     * its rows without reading the rest; null when this dialect (or this relation, such as a subquery) has none.
     */
    default String sampled(String relation, String alias, double percent) {
        return null;
    }

    /** The exact sum of 64-bit hashes (or multiples of them): it must not be rounded, as it is compared mod 2^64. */
    default String sumHashes(String expression) {
        return "sum(" + expression + ")";
    }

    /** The function building a JSON object from name, value, name, value... */
    String jsonObjectFunction();

    /** A JSON object from name/expression pairs (for quarantined row samples). */
    default String jsonObject(java.util.Map<String, String> fields) {
        StringBuilder sql = new StringBuilder();
        fields.forEach((name, expression) -> sql.append(sql.isEmpty() ? "" : ", ").append("'").append(name)
                .append("', ").append(expression));
        return jsonObjectFunction() + "(" + sql + ")";
    }

    /**
     * Adds failing rows to the quarantine, or marks rows already there as failing again. The select
     * yields dataset, partition_key, rule_name, row_key, first_evaluation_id, last_evaluation_id, reason,
     * masked_sample, quarantined_at, in that order and with those names.
     */
    String upsertQuarantine(String select);

    /**
     * The quarantine lives in the warehouse, beside the rows it holds back, so rules copy failing rows
     * into it with set-based SQL and every reader (pages, releases, held-back counts) sees the same
     * table. Statements creating it if absent, in order.
     */
    List<String> createQuarantine();

    /** The SQL type name holding JSON documents. */
    String jsonType();

    /** One row per distinct top-level field name of the JSON records matching the filter. */
    String distinctJsonFields(String table, String column, String filter);

    /**
     * The warehouse's own load history of one RAW table since a moment, one row per loaded file, with
     * the columns file_name, last_load_time, row_count, row_parsed, file_size, status,
     * first_error_message, error_count, pipe_name. One parameter: the moment.
     */
    String loadHistory(String schema, String table);

    /** A copy of a table frozen under another name (zero-copy where the warehouse can). */
    String cloneTable(String schema, String table, String targetSchema, String cloneName);

    /** The columns of a RAW table, in the order {@link #insertRaw} takes its parameters. */
    List<String> RAW_COLUMNS = List.of("object_key", "object_version", "line_no", "op", "change_seq", "commit_ts",
            "business_date", "record", "loaded_at");

    /**
     * Statements creating a dataset's RAW table if absent, in order: one row per landed line, identified by
     * (object_key, object_version, line_no).
     */
    List<String> createRawTable(String dataset);

    /**
     * Inserts {@code rows} RAW rows, each given as the parameters of {@link #RAW_COLUMNS} (the record as JSON
     * text); a row whose (object_key, object_version, line_no) is already there is left as it is, so loading
     * an object again adds nothing.
     */
    String insertRaw(String dataset, int rows);

    /** How many rows one {@link #insertRaw} statement should hold (a JDBC batch repeats the statement). */
    int rawRowsPerStatement();

    /** Whole seconds from {@code from} to {@code to} (timestamps or dates), for match time windows. */
    String secondsBetween(String from, String to);

    /** A reference reduced to upper-case letters and digits, for the normalised-reference match strategy. */
    String normalizeReference(String expression);

    /** The SQL types of the reconciliation work table: text, whole number, exact decimal, instant. */
    default String textType() {
        return "varchar";
    }

    String instantType();

    /**
     * A fast 64-bit hash of a text for comparing two tables of the same dialect (table-diff); not stable
     * across dialects, so a diff across two dialects uses {@link #md5Prefix64} instead.
     */
    default String fastHash64(String textExpression) {
        return md5Prefix64(textExpression);
    }
}
