package com.finledger.integrity.close;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** One step of a period's workflow, for its page (the audit log holds the same step, hash-chained). */
@Entity
@Table(name = "close_event")
public class CloseEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "period_id")
    public long periodId;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    public String actor;

    public String kind;

    @Column(name = "from_state")
    public String fromState;

    @Column(name = "to_state")
    public String toState;

    public String reason;

    public static List<CloseEvent> of(long periodId) {
        return list("periodId = ?1 order by id", periodId);
    }
}
