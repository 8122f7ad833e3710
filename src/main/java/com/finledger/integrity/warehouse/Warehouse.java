package com.finledger.integrity.warehouse;

import com.finledger.integrity.platform.Jdbc;
import java.util.List;

/**
 * The warehouse that holds RAW, STAGING and CURATED: the embedded PostgreSQL locally, Snowflake in
 * production. All the control plane asks of it is to run pushed-down SQL and return small results.
 */
public interface Warehouse {

    WarehouseDialect dialect();

    <T> List<T> query(String sql, List<Object> parameters, Jdbc.RowMapper<T> mapper);

    /** Runs a statement that changes data (quarantine inserts); returns the rows affected. */
    long update(String sql, List<Object> parameters);

    boolean tableExists(String schema, String table);
}
