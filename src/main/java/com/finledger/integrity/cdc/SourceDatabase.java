package com.finledger.integrity.cdc;

import com.finledger.integrity.platform.Jdbc;
import java.util.List;

/**
 * One ledger's database, read-only: the source of truth the CDC controls count against. In
 * production each ledger is its own PostgreSQL read replica; locally the demo world's ledgers are
 * schemas of the embedded database. Reads only small, pushed-down results (totals, gap samples).
 */
public interface SourceDatabase extends com.finledger.integrity.platform.SqlReader {

    /** The catalog source this database belongs to (named in every error). */
    String source();

    /**
     * Runs a select; a database that is down, refuses the login or times out fails with a
     * {@link SourceUnavailableException} naming the source, never a half-read result.
     */
    <T> List<T> query(String sql, List<Object> parameters, Jdbc.RowMapper<T> mapper);

    /** A source database could not answer. */
    class SourceUnavailableException extends IllegalStateException {

        public SourceUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
