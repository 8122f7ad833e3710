package com.finledger.integrity.warehouse;

import com.finledger.integrity.platform.Jdbc;
import java.util.List;

/**
 * The warehouse that holds RAW, STAGING and CURATED: the embedded PostgreSQL locally, Snowflake in
 * production. All the control plane asks of it is to run pushed-down SQL and return small results.
 */
public interface Warehouse extends com.finledger.integrity.platform.SqlReader {

    WarehouseDialect dialect();

    <T> List<T> query(String sql, List<Object> parameters, Jdbc.RowMapper<T> mapper);

    /** Runs a statement that changes data (quarantine inserts); returns the rows affected. */
    long update(String sql, List<Object> parameters);

    /**
     * Runs one statement once per parameter list, sent as one JDBC batch and committed together; returns
     * the rows affected in all. For bulk inserts (RAW loads).
     */
    long insertBatch(String sql, List<List<Object>> rows);

    boolean tableExists(String schema, String table);

    /** One file the warehouse loaded into a table, as its load history reports it. */
    record LoadRecord(String table, String fileName, java.time.Instant lastLoadTime, long rowCount, Long rowParsed,
                      Long fileSize, String status, String firstError, long errorCount, String pipeName) {
    }

    /** The warehouse has no load history to read (the Snowflake emulator has no COPY_HISTORY). */
    class LoadHistoryUnavailable extends RuntimeException {
        public LoadHistoryUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The loads of a table since a moment; throws {@link LoadHistoryUnavailable} where there is no history. */
    default List<LoadRecord> loadHistory(String schema, String table, java.time.Instant since) {
        return query(dialect().loadHistory(schema, table), List.of(java.sql.Timestamp.from(since)),
                rs -> new LoadRecord(schema + "." + table, rs.getString("file_name"),
                        rs.getTimestamp("last_load_time").toInstant(), rs.getLong("row_count"),
                        (Long) longOrNull(rs.getObject("row_parsed")), (Long) longOrNull(rs.getObject("file_size")),
                        rs.getString("status"), rs.getString("first_error_message"), rs.getLong("error_count"),
                        rs.getString("pipe_name")));
    }

    /** Creates the quarantine table if it is not there yet (idempotent). */
    default void ensureQuarantine() {
        for (String statement : dialect().createQuarantine()) {
            update(statement, List.of());
        }
    }

    /** Creates a dataset's RAW table if it is not there yet (idempotent). */
    default void ensureRawTable(String dataset) {
        for (String statement : dialect().createRawTable(dataset)) {
            update(statement, List.of());
        }
    }

    /** Runs the statements of a clone (one per line of the dialect's script) in order. */
    default void cloneTable(String schema, String table, String targetSchema, String cloneName) {
        for (String statement : dialect().cloneTable(schema, table, targetSchema, cloneName).split(";\n")) {
            update(statement, List.of());
        }
    }

    private static Object longOrNull(Object value) {
        return value instanceof Number n ? n.longValue() : null;
    }
}
