package com.finledger.integrity.breaks;

import com.finledger.integrity.matching.MatchRule.Reason;
import com.finledger.integrity.matching.MatchRule.Severity;
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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A record that does not agree across systems: found by a matching run, worked by operations
 * (OPEN → INVESTIGATING → RESOLVED | WRITTEN_OFF), closed by a later run when the late data lands.
 * Identified for good by its rule and the ids of the records it is about.
 */
@Entity
@Table(name = "break_case")
public class BreakCase extends PanacheEntityBase {

    public enum State {
        OPEN, INVESTIGATING, RESOLVED, WRITTEN_OFF;

        public boolean closed() {
            return this == RESOLVED || this == WRITTEN_OFF;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "rule_name")
    public String ruleName;

    @Column(name = "break_key")
    public String breakKey;

    @Enumerated(EnumType.STRING)
    public Reason reason;

    @Enumerated(EnumType.STRING)
    public Severity severity;

    @Enumerated(EnumType.STRING)
    public State state;

    @Column(name = "business_date")
    public LocalDate businessDate;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    /** When the newest record behind the break changed at its source (commit, API change, file arrival). */
    @Column(name = "source_changed_at")
    public Instant sourceChangedAt;

    public String processor;

    public String partner;

    @Column(name = "left_dataset")
    public String leftDataset;

    @Column(name = "left_item")
    public String leftItem;

    @Column(name = "left_amount_minor")
    public Long leftAmountMinor;

    @Column(name = "left_currency")
    public String leftCurrency;

    @Column(name = "right_dataset")
    public String rightDataset;

    @Column(name = "right_item")
    public String rightItem;

    @Column(name = "right_amount_minor")
    public Long rightAmountMinor;

    @Column(name = "right_currency")
    public String rightCurrency;

    @Column(name = "amount_at_risk_minor")
    public long amountAtRiskMinor;

    public String currency;

    public String owner;

    @Column(name = "first_seen_run_id")
    public long firstSeenRunId;

    @Column(name = "last_seen_run_id")
    public long lastSeenRunId;

    @Column(name = "closed_by_run_id")
    public Long closedByRunId;

    @Column(name = "first_seen_at")
    public Instant firstSeenAt;

    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    @Column(name = "due_at")
    public Instant dueAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    @Column(name = "closed_by")
    public String closedBy;

    public String resolution;

    @Column(name = "write_off_requested_by")
    public String writeOffRequestedBy;

    @Column(name = "write_off_requested_at")
    public Instant writeOffRequestedAt;

    @Column(name = "write_off_reason")
    public String writeOffReason;

    @Version
    @Column(name = "row_version")
    public int rowVersion;

    public static Optional<BreakCase> byKey(String ruleName, String breakKey) {
        return find("ruleName = ?1 and breakKey = ?2", ruleName, breakKey).firstResultOptional();
    }

    /** How long the break has been known (until it closed). */
    public Duration age(Instant now) {
        return Duration.between(firstSeenAt, closedAt != null ? closedAt : now);
    }

    /** Past its SLA and still open. */
    public boolean overdue(Instant now) {
        return !state.closed() && now.isAfter(dueAt);
    }
}
