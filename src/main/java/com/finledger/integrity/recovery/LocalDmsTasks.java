package com.finledger.integrity.recovery;

import com.finledger.integrity.platform.Jdbc;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;

/**
 * The local DMS stand-in's tasks: a row in {@code local_dms_task} says a task is stopped or failed (and the
 * stand-in lands nothing for it); starting it marks it running, and the next landing catches up from its
 * checkpoint. A full reload is not simulated: the stand-in's change files are keyed by change ranges, so
 * landing everything again would put a second copy of each change into RAW.
 */
public class LocalDmsTasks implements DmsTasks {

    private final DataSource dataSource;
    private final Clock clock;

    public LocalDmsTasks(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public String status(String taskIdentifier) {
        return Jdbc.query(dataSource, "select status from local_dms_task where task_identifier = ?", List.of(taskIdentifier),
                rs -> rs.getString(1)).stream().findFirst().orElse("running");
    }

    @Override
    public String start(String taskIdentifier, StartType type) {
        if (type == StartType.RELOAD_TARGET) {
            throw new IllegalArgumentException("params.start_type: the local DMS stand-in cannot reload its target; "
                    + "use resume-processing (AWS DMS does reload-target in production)");
        }
        set(taskIdentifier, "running", null, null);
        return "running";
    }

    /** Stops a task (or marks it failed with a message), as DMS would after an error; the demo world and tests inject this. */
    public void stop(String taskIdentifier, boolean failed, String reason) {
        set(taskIdentifier, failed ? "failed" : "stopped", failed ? null : reason, failed ? reason : null);
    }

    private void set(String task, String status, String stopReason, String failure) {
        try (java.sql.Connection c = dataSource.getConnection()) {
            Jdbc.update(c, """
                insert into local_dms_task (task_identifier, status, stop_reason, last_failure_message, updated_at)
                values (?, ?, ?, ?, ?)
                on conflict (task_identifier) do update set status = excluded.status, stop_reason = excluded.stop_reason,
                    last_failure_message = excluded.last_failure_message, updated_at = excluded.updated_at""",
                java.util.Arrays.asList(task, status, stopReason, failure, Timestamp.from(clock.instant())));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot record the state of task " + task + ": " + e.getMessage(), e);
        }
    }
}
