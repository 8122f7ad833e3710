package com.finledger.integrity.platform;

import java.util.List;

/** Anything that answers a pushed-down select: the warehouse, a source database. */
public interface SqlReader {

    <T> List<T> query(String sql, List<Object> parameters, Jdbc.RowMapper<T> mapper);
}
