package com.finledger.integrity.operations;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One run of a {@link PipelineJob} (a Glue job run id, an AppFlow execution id). */
@Entity
@Table(name = "pipeline_job_run")
public class PipelineJobRun extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "job_id")
    public Long jobId;

    @Column(name = "run_id")
    public String runId;

    /** Glue's retry attempts carry {@code _attempt_N} in their run id; 0 for the first attempt. */
    public int attempt;

    public String state;

    @Column(name = "state_at")
    public Instant stateAt;

    @Column(name = "state_rank")
    public int stateRank;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "records_processed")
    public Long recordsProcessed;

    @Column(name = "last_event_id")
    public String lastEventId;

    public String message;

    public static Optional<PipelineJobRun> find(long jobId, String runId) {
        return find("jobId = ?1 and runId = ?2", jobId, runId).firstResultOptional();
    }

    public static List<PipelineJobRun> ofJob(long jobId) {
        return list("jobId = ?1 order by stateAt desc, id desc", jobId);
    }
}
