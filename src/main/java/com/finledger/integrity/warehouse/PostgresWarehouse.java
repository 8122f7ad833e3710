package com.finledger.integrity.warehouse;

import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.platform.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** The local warehouse: RAW/STAGING/CURATED schemas in the application's PostgreSQL. */
@ApplicationScoped
@Typed(PostgresWarehouse.class)
public class PostgresWarehouse implements Warehouse {

    @Inject
    DataSource dataSource;

    public PostgresWarehouse() {
    }

    /** Outside CDI (tests): the warehouse in the database behind this data source. */
    public PostgresWarehouse(DataSource dataSource) {
        this.dataSource = dataSource;
    }

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

    /**
     * One transaction per batch when the connection is ours to commit (not enlisted in a caller's), so
     * the rows are visible to other connections (dbt) as soon as this returns.
     */
    @Override
    public long insertBatch(String sql, List<List<Object>> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (List<Object> row : rows) {
                    for (int i = 0; i < row.size(); i++) {
                        ps.setObject(i + 1, row.get(i));
                    }
                    ps.addBatch();
                }
                long affected = 0;
                for (int n : ps.executeBatch()) {
                    affected += Math.max(n, 0);
                }
                if (autoCommit) {
                    c.commit();
                }
                return affected;
            } catch (SQLException e) {
                if (autoCommit) {
                    c.rollback();
                }
                throw e;
            } finally {
                if (autoCommit) {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("warehouse batch failed: " + e.getMessage(), e);
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
