package com.finledger.integrity.cdc;

import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.platform.Jdbc;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * The replication monitor of the local DMS stand-in: one running task per CDC source of the
 * catalog, and the counters and events the stand-in keeps as it lands change files.
 */
public class LocalReplicationMonitor implements ReplicationMonitor {

    private final DataSource dataSource;
    private final CatalogService catalogService;

    public LocalReplicationMonitor(DataSource dataSource, CatalogService catalogService) {
        this.dataSource = dataSource;
        this.catalogService = catalogService;
    }

    @Override
    public List<ReplicationTask> tasks() {
        // a task the recovery console stopped or marked failed has a row in local_dms_task; others run
        java.util.Map<String, String[]> states = new java.util.HashMap<>();
        Jdbc.query(dataSource, "select task_identifier, status, stop_reason, last_failure_message from local_dms_task",
                List.of(), rs -> states.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)}));
        return catalogService.catalog().sources().stream().filter(s -> s.kind() == SourceKind.POSTGRES_CDC)
                .map(Source::dmsTask).flatMap(java.util.Optional::stream)
                .map(task -> {
                    String[] state = states.getOrDefault(task, new String[] {"running", null, null});
                    return new ReplicationTask(task, "arn:local:dms:task:" + task, state[0], "full-load-and-cdc",
                            state[1], state[2], null, null);
                })
                .toList();
    }

    @Override
    public List<TableStatistics> tableStatistics(String taskIdentifier) {
        return Jdbc.query(dataSource, """
                select schema_name, table_name, inserts, updates, deletes, ddls, full_load_rows, table_state,
                       last_update_time
                from local_dms_table_stats where task_identifier = ? order by schema_name, table_name""",
                List.of(taskIdentifier), rs -> new TableStatistics(rs.getString(1), rs.getString(2), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getString(8),
                        rs.getTimestamp(9).toInstant(), null));
    }

    @Override
    public List<ReplicationEvent> events(Instant since) {
        return Jdbc.query(dataSource, """
                select task_identifier, occurred_at, message, categories from local_dms_event
                where occurred_at >= ? order by occurred_at, id""",
                List.of(Timestamp.from(since)), rs -> new ReplicationEvent(rs.getString(1),
                        rs.getTimestamp(2).toInstant(), rs.getString(3), List.of(rs.getString(4).split(","))));
    }
}
