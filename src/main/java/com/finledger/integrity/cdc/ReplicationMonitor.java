package com.finledger.integrity.cdc;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the CDC replication service reports about itself: its tasks, per-table change counters and
 * its events (restarts, failures). AWS DMS in production, the local DMS stand-in on this machine.
 * Every method either answers completely or throws {@link ReplicationMonitorException}.
 */
public interface ReplicationMonitor {

    List<ReplicationTask> tasks();

    /** Table statistics of one task, identified by its identifier (not its ARN). */
    List<TableStatistics> tableStatistics(String taskIdentifier);

    /** Events of replication tasks since the given time, oldest first. */
    List<ReplicationEvent> events(Instant since);

    default Optional<TableStatistics> tableStatistics(String taskIdentifier, String schema, String table) {
        return tableStatistics(taskIdentifier).stream()
                .filter(t -> t.schema().equals(schema) && t.table().equals(table)).findFirst();
    }

    record ReplicationTask(String identifier, String arn, String status, String migrationType, String stopReason,
                           String lastFailureMessage, Instant startedAt, String recoveryCheckpoint) {

        public boolean failed() {
            return "failed".equalsIgnoreCase(status) || (lastFailureMessage != null && !lastFailureMessage.isBlank()
                    && !"running".equalsIgnoreCase(status));
        }
    }

    /**
     * DMS counters for one table: changes captured since the task run started (a fresh start or a
     * restart resets them, a resume does not), by kind, and the rows of its full load, which a table
     * reload starts again at {@code fullLoadStarted} (null when the table never had a full load).
     */
    record TableStatistics(String schema, String table, long inserts, long updates, long deletes, long ddls,
                           long fullLoadRows, String tableState, Instant lastUpdated, Instant fullLoadStarted) {

        public long changes() {
            return inserts + updates + deletes;
        }
    }

    record ReplicationEvent(String taskIdentifier, Instant at, String message, List<String> categories) {
    }
}
