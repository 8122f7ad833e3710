package com.finledger.integrity.breaks;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** One step in a break's history: found, assigned, a comment, a state change, closed by a run. */
@Entity
@Table(name = "break_event")
public class BreakEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "break_id")
    public long breakId;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    public String actor;

    public String kind;

    @Column(name = "from_state")
    public String fromState;

    @Column(name = "to_state")
    public String toState;

    public String comment;

    @Column(name = "run_id")
    public Long runId;

    public static List<BreakEvent> of(long breakId) {
        return list("breakId = ?1 order by id", breakId);
    }
}
