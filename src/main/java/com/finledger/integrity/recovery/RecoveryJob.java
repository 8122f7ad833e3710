package com.finledger.integrity.recovery;

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
 * A recovery action an operator confirmed, persisted as a job: its steps (fixed from the dry-run plan when it
 * was requested), how many are done, what each found. QUEUED → RUNNING → SUCCEEDED | FAILED; a restart
 * resumes a QUEUED or RUNNING job at its next step.
 */
@Entity
@Table(name = "recovery_job")
public class RecoveryJob extends PanacheEntityBase {

    public enum State {
        QUEUED, RUNNING, SUCCEEDED, FAILED;

        public boolean finished() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String action;

    @Column(name = "target_key")
    public String targetKey;

    @JdbcTypeCode(SqlTypes.JSON)
    public String params;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    public String reason;

    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "requested_at")
    public Instant requestedAt;

    @Enumerated(EnumType.STRING)
    public State state;

    /** The steps as planned (JSON array of {kind, label, args}). */
    @JdbcTypeCode(SqlTypes.JSON)
    public String steps;

    @Column(name = "steps_done")
    public int stepsDone;

    @Column(name = "steps_total")
    public int stepsTotal;

    @Column(name = "step_label")
    public String stepLabel;

    public int attempts;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** What each step found (JSON object: {"steps": [...]}). */
    @JdbcTypeCode(SqlTypes.JSON)
    public String result;

    public String error;

    @Version
    @Column(name = "row_version")
    public int rowVersion;

    public int percent() {
        return stepsTotal == 0 ? 100 : stepsDone * 100 / stepsTotal;
    }

    public static Optional<RecoveryJob> byIdempotencyKey(String key) {
        return find("idempotencyKey", key).firstResultOptional();
    }

    public static Optional<RecoveryJob> activeFor(String targetKey) {
        return find("targetKey = ?1 and state in ?2", targetKey, List.of(State.QUEUED, State.RUNNING)).firstResultOptional();
    }

    public static List<RecoveryJob> unfinished() {
        return list("state in ?1 order by id", List.of(State.QUEUED, State.RUNNING));
    }

    public static List<RecoveryJob> newest(int limit) {
        return find("order by id desc").page(0, limit).list();
    }
}
