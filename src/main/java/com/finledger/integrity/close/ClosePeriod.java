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
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * A month's close: OPEN → SIGNED_OFF (a preparer) → CLOSED (a different approver); a rejection sends it
 * back to OPEN with the reason; data arriving later for a signed or closed month, or a person, asks for
 * a reopen (REOPEN_REQUESTED), which an approver grants (OPEN) or refuses (back where it was).
 */
@Entity
@Table(name = "close_period")
public class ClosePeriod extends PanacheEntityBase {

    public enum State {
        OPEN, SIGNED_OFF, CLOSED, REOPEN_REQUESTED;

        /** Its numbers are signed: nothing may change them without a reopen. */
        public boolean locked() {
            return this != OPEN;
        }

        public String label() {
            return switch (this) {
                case OPEN -> "Open";
                case SIGNED_OFF -> "Signed off, awaiting approval";
                case CLOSED -> "Closed (approved)";
                case REOPEN_REQUESTED -> "Reopen requested";
            };
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String period;

    @Enumerated(EnumType.STRING)
    public State state;

    @Column(name = "signoff_round")
    public int signoffRound;

    @Column(name = "signed_off_by")
    public String signedOffBy;

    @Column(name = "signed_off_at")
    public Instant signedOffAt;

    @Column(name = "signoff_note")
    public String signoffNote;

    @Column(name = "approved_by")
    public String approvedBy;

    @Column(name = "approved_at")
    public Instant approvedAt;

    @Column(name = "rejected_by")
    public String rejectedBy;

    @Column(name = "rejected_at")
    public Instant rejectedAt;

    @Column(name = "rejection_reason")
    public String rejectionReason;

    @Enumerated(EnumType.STRING)
    @Column(name = "reopen_from_state")
    public State reopenFromState;

    @Column(name = "reopen_requested_by")
    public String reopenRequestedBy;

    @Column(name = "reopen_requested_at")
    public Instant reopenRequestedAt;

    @Column(name = "reopen_cause")
    public String reopenCause;

    @Column(name = "created_at")
    public Instant createdAt;

    @Version
    @Column(name = "row_version")
    public int rowVersion;

    public YearMonth month() {
        return YearMonth.parse(period);
    }

    public static Optional<ClosePeriod> byPeriod(String period) {
        return find("period", period).firstResultOptional();
    }

    public static List<ClosePeriod> newestFirst() {
        return list("order by period desc");
    }
}
