package com.finledger.integrity.close;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A reproducible rerun of a signed month, persisted as a job: which steps are done, what they found.
 * QUEUED → RUNNING → REPRODUCED | DIFFERENT | FAILED; a restart resumes a QUEUED or RUNNING one at its next step.
 */
@Entity
@Table(name = "close_rerun")
public class CloseRerun extends PanacheEntityBase {

    public enum State {
        QUEUED, RUNNING, REPRODUCED, DIFFERENT, FAILED;

        public boolean finished() {
            return this == REPRODUCED || this == DIFFERENT || this == FAILED;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "period_id")
    public long periodId;

    @Column(name = "signoff_round")
    public int signoffRound;

    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "requested_at")
    public Instant requestedAt;

    @Enumerated(EnumType.STRING)
    public State state;

    @Column(name = "steps_done")
    public int stepsDone;

    @Column(name = "steps_total")
    public int stepsTotal;

    @Column(name = "step_label")
    public String stepLabel;

    public int attempts;

    @Column(name = "scratch_schema")
    public String scratchSchema;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "rerun_millis")
    public Long rerunMillis;

    /** What the steps found so far (JSON): objects verified, rows copied, the comparison, the row diffs. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String result;

    public String error;

    @Version
    @Column(name = "row_version")
    public int rowVersion;

    public int percent() {
        return stepsTotal == 0 ? 0 : stepsDone * 100 / stepsTotal;
    }

    public static Optional<CloseRerun> latestOf(long periodId) {
        return find("periodId = ?1 order by id desc", periodId).firstResultOptional();
    }

    public static List<CloseRerun> unfinished() {
        return list("state in ?1 order by id", List.of(State.QUEUED, State.RUNNING));
    }
}
