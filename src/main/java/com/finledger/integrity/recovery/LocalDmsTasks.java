package com.finledger.integrity.recovery;

import com.finledger.integrity.operations.LocalAwsEvents;
import com.finledger.integrity.platform.Jdbc;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
    private final LocalAwsEvents events;

    public LocalDmsTasks(DataSource dataSource, Clock clock) {
        this(dataSource, clock, null);
    }

    /**
     * With {@code events}: every state change is also announced as the DMS Replication Task State Change event
     * AWS would publish, so job state and the dms-task-failing alert follow the stand-in as they follow DMS.
     */
    public LocalDmsTasks(DataSource dataSource, Clock clock, LocalAwsEvents events) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.events = events;
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
        Instant at = next(taskIdentifier);
        set(taskIdentifier, "running", null, null, at);
        announce(taskIdentifier, "REPLICATION_TASK_STARTED", "Replication task started (" + type.dms() + ")", at);
        return "running";
    }

    /** Stops a task (or marks it failed with a message), as DMS would after an error; the demo world and tests inject this. */
    public void stop(String taskIdentifier, boolean failed, String reason) {
        Instant at = next(taskIdentifier);
        set(taskIdentifier, failed ? "failed" : "stopped", failed ? null : reason, failed ? reason : null, at);
        announce(taskIdentifier, failed ? "REPLICATION_TASK_FAILED" : "REPLICATION_TASK_STOPPED", reason, at);
    }

    /**
     * The instant of the task's next state change: now, but at least one second after its last one. Event times
     * have whole seconds and, at equal times, a failure outranks a start, so a resume in the second of the failure
     * would otherwise be taken for an older event and the task would stay FAILED.
     */
    private Instant next(String task) {
        Instant now = clock.instant();
        Instant last = Jdbc.query(dataSource, "select updated_at from local_dms_task where task_identifier = ?",
                List.of(task), rs -> rs.getTimestamp(1).toInstant()).stream().findFirst().orElse(null);
        if (last != null && !now.truncatedTo(ChronoUnit.SECONDS).isAfter(last.truncatedTo(ChronoUnit.SECONDS))) {
            return last.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        }
        return now;
    }

    private void announce(String task, String eventType, String message, Instant at) {
        if (events != null) {
            events.dmsTask(task, eventType, message, at);
        }
    }

    private void set(String task, String status, String stopReason, String failure, Instant at) {
        try (java.sql.Connection c = dataSource.getConnection()) {
            Jdbc.update(c, """
                insert into local_dms_task (task_identifier, status, stop_reason, last_failure_message, updated_at)
                values (?, ?, ?, ?, ?)
                on conflict (task_identifier) do update set status = excluded.status, stop_reason = excluded.stop_reason,
                    last_failure_message = excluded.last_failure_message, updated_at = excluded.updated_at""",
                java.util.Arrays.asList(task, status, stopReason, failure, Timestamp.from(at)));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot record the state of task " + task + ": " + e.getMessage(), e);
        }
    }
}
