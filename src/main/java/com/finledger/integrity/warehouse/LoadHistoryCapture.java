package com.finledger.integrity.warehouse;

import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.platform.Jdbc;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Copies the warehouse's load history of every RAW table into the control plane's {@code
 * warehouse_load}, where it is kept for good (Snowflake's COPY_HISTORY only goes back 14 days).
 * Each capture re-reads from a day before the newest load it already holds, so a late-committed
 * load is not missed; the natural key (table, file, load time) makes the overlap harmless.
 */
@ApplicationScoped
public class LoadHistoryCapture {

    private static final Logger LOG = Logger.getLogger(LoadHistoryCapture.class);
    static final Duration OVERLAP = Duration.ofDays(1);
    static final Duration WAREHOUSE_RETENTION = Duration.ofDays(14);

    @Inject
    Warehouse warehouse;

    @Inject
    CatalogService catalogService;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @Scheduled(identity = "load-history-capture", every = "${finledger.warehouse.load-history-every:1h}",
            delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        capture();
    }

    /**
     * Captures every RAW table's history; returns the number of loads newly recorded. A warehouse without
     * a load history (the emulator) records nothing: a warning, not a failed pipeline run.
     */
    public int capture() {
        int added = 0;
        for (Dataset dataset : catalogService.catalog().datasets().toList()) {
            if (warehouse.tableExists("raw", dataset.name())) {
                try {
                    added += capture("raw", dataset.name());
                } catch (Warehouse.LoadHistoryUnavailable e) {
                    LOG.warnf("load history not captured: %s", e.getMessage());
                    return added;
                }
            }
        }
        return added;
    }

    int capture(String schema, String table) {
        String name = schema + "." + table;
        Instant since = Jdbc.query(dataSource, "select max(last_load_time) from warehouse_load where table_name = ?",
                List.of(name), rs -> rs.getTimestamp(1)).stream().filter(java.util.Objects::nonNull).findFirst()
                .map(t -> t.toInstant().minus(OVERLAP))
                .orElse(clock.instant().minus(WAREHOUSE_RETENTION));
        List<Warehouse.LoadRecord> loads = warehouse.loadHistory(schema, table, since);
        int added = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into warehouse_load (table_name, file_name, last_load_time, row_count, row_parsed, file_size,
                                            status, first_error, error_count, pipe_name, captured_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (table_name, file_name, last_load_time) do nothing""")) {
            for (Warehouse.LoadRecord load : loads) {
                ps.setString(1, name);
                ps.setString(2, load.fileName());
                ps.setTimestamp(3, Timestamp.from(load.lastLoadTime()));
                ps.setLong(4, load.rowCount());
                ps.setObject(5, load.rowParsed());
                ps.setObject(6, load.fileSize());
                ps.setString(7, load.status());
                ps.setString(8, load.firstError());
                ps.setLong(9, load.errorCount());
                ps.setString(10, load.pipeName());
                ps.setTimestamp(11, Timestamp.from(clock.instant()));
                added += ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the load history of " + name + ": " + e.getMessage(), e);
        }
        if (added > 0) {
            LOG.infof("load history of %s: %d new load(s) recorded", name, added);
        }
        return added;
    }

    public record Load(String table, String fileName, Instant lastLoadTime, long rowCount, String status,
                       String firstError, long errorCount, Instant capturedAt) {
    }

    public List<Load> loads(String table, int limit) {
        return Jdbc.query(dataSource, """
                select table_name, file_name, last_load_time, row_count, status, first_error, error_count, captured_at
                from warehouse_load where (? = '' or table_name = ?) order by last_load_time desc, id desc limit ?""",
                List.of(table, table, limit), rs -> new Load(rs.getString(1), rs.getString(2),
                        rs.getTimestamp(3).toInstant(), rs.getLong(4), rs.getString(5), rs.getString(6), rs.getLong(7),
                        rs.getTimestamp(8).toInstant()));
    }

}
