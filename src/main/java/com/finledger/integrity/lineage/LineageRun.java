package com.finledger.integrity.lineage;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One run of a job; its state is its highest-ranked event (a terminal state outranks START and RUNNING). */
@Entity
@Table(name = "lineage_run")
public class LineageRun extends PanacheEntityBase {

    @Id
    public Long id;
    @Column(name = "run_uuid")
    public UUID runUuid;
    @Column(name = "job_id")
    public Long jobId;
    /** The OpenLineage event type that decided the state (START, RUNNING, COMPLETE, FAIL, ABORT, OTHER), or null. */
    public String state;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "ended_at")
    public Instant endedAt;
    @Column(name = "nominal_start")
    public Instant nominalStart;
    @Column(name = "nominal_end")
    public Instant nominalEnd;
    @Column(name = "parent_run_uuid")
    public UUID parentRunUuid;
}
