package com.finledger.integrity.warehouse;

import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.platform.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** The local warehouse: RAW/STAGING/CURATED schemas in the application's PostgreSQL. */
@ApplicationScoped
@Typed(PostgresWarehouse.class)
public class PostgresWarehouse implements Warehouse {

    @Inject
    DataSource dataSource;

    @Override
    public WarehouseDialect dialect() {
        return PostgresDialect.INSTANCE;
    }

    @Override
    public <T> List<T> query(String sql, List<Object> parameters, Jdbc.RowMapper<T> mapper) {
        return Jdbc.query(dataSource, sql, parameters, mapper);
    }

    @Override
    public long update(String sql, List<Object> parameters) {
        try (Connection c = dataSource.getConnection()) {
            return Jdbc.update(c, sql, parameters);
        } catch (SQLException e) {
            throw new IllegalStateException("warehouse update failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean tableExists(String schema, String table) {
        try (Connection c = dataSource.getConnection()) {
            return Sql.tableExists(c, schema, table);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
