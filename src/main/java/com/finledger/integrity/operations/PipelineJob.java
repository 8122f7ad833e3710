package com.finledger.integrity.operations;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A job an AWS service runs for the pipeline (DMS task, Glue job, AppFlow flow), identified by kind and
 * name; its state is the one of the latest event (by event time, then state rank), never an older one.
 */
@Entity
@Table(name = "pipeline_job")
public class PipelineJob extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Enumerated(EnumType.STRING)
    public AwsEvent.JobKind kind;

    public String name;

    public String state;

    @Column(name = "state_at")
    public Instant stateAt;

    @Column(name = "state_rank")
    public int stateRank;

    @Column(name = "last_event_id")
    public String lastEventId;

    @Column(name = "last_run_id")
    public String lastRunId;

    public String message;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Optional<PipelineJob> find(AwsEvent.JobKind kind, String name) {
        return find("kind = ?1 and name = ?2", kind, name).firstResultOptional();
    }

    /** Jobs whose latest state is a failure: what the recovery console lists. */
    public static List<PipelineJob> failed() {
        return list("state in ('FAILED', 'TIMEOUT', 'ERROR') order by stateAt desc");
    }
}
