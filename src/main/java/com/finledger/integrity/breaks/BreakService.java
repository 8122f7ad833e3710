package com.finledger.integrity.breaks;

import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.breaks.BreakCase.State;
import com.finledger.integrity.matching.MatchEngine;
import com.finledger.integrity.matching.MatchEngine.Residue;
import com.finledger.integrity.matching.MatchRule;
import com.finledger.integrity.matching.MatchRule.Reason;
import com.finledger.integrity.matching.MatchRule.Severity;
import com.finledger.integrity.matching.MatchRun;
import com.finledger.integrity.matching.MatchScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.sql.DataSource;

/**
 * Breaks: made and closed by matching runs, worked by people. Every change writes the break's own
 * history and the hash-chained audit log in the same transaction. A write-off is requested by one
 * person and approved by another; the service refuses the same person doing both, whatever the page shows.
 */
@ApplicationScoped
public class BreakService {

    public static final String SYSTEM = "system:matching";

    @Inject
    DataSource dataSource;

    @Inject
    AuditLog auditLog;

    @Inject
    Clock clock;

    /** What a run changed among the breaks. */
    public record SyncResult(int found, List<Long> opened, List<Long> reopened, List<Long> closed, Long maxLagSeconds,
                             boolean lagFromSourceCommit) {
    }

    /**
     * Makes the breaks of one run agree with its residue: a residue item not yet a break opens one (or
     * reopens one a run had closed); an open break of the run's scope that is no longer in the residue
     * closes with the run (its late data arrived, or it was corrected). Runs inside the caller's transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public SyncResult sync(MatchRun run, MatchRule rule, MatchScope scope, MatchEngine.Result result, Instant now) {
        return sync(run, rule, scope, result, Map.of(), now);
    }

    /**
     * As {@link #sync(MatchRun, MatchRule, MatchScope, MatchEngine.Result, Instant)}, with the time each residue
     * item last changed at its source: a new break's lag (source change to break visible) is measured from it,
     * and only from the record's own business time where the source's change time is unknown.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public SyncResult sync(MatchRun run, MatchRule rule, MatchScope scope, MatchEngine.Result result,
                           Map<String, Instant> sourceChangedAt, Instant now) {
        Map<String, Residue> current = new LinkedHashMap<>();
        for (Residue r : result.residue()) {
            current.put(r.itemKey(), r);
        }
        List<Long> opened = new ArrayList<>();
        List<Long> reopened = new ArrayList<>();
        List<Long> closed = new ArrayList<>();
        Long maxLag = null;
        boolean fromCommit = true;
        Map<String, BreakCase> known = new LinkedHashMap<>();
        List<String> keys = List.copyOf(current.keySet());
        for (int from = 0; from < keys.size(); from += 1000) {
            // in chunks: a day the processor never delivered is a break per payment
            for (BreakCase b : BreakCase.<BreakCase>list("ruleName = ?1 and breakKey in ?2", rule.name(),
                    keys.subList(from, Math.min(keys.size(), from + 1000)))) {
                known.put(b.breakKey, b);
            }
        }
        for (Residue r : current.values()) {
            BreakCase b = known.get(r.itemKey());
            if (b == null) {
                b = newBreak(rule, r, run, now);
                b.sourceChangedAt = sourceChangedAt.get(r.itemKey());
                b.persist();
                event(b, SYSTEM, "found", null, State.OPEN, b.reason.label() + " found by run " + run.id, run.id, now);
                opened.add(b.id);
                Instant changed = b.sourceChangedAt != null ? b.sourceChangedAt : b.occurredAt;
                if (changed != null) {
                    long lag = java.time.Duration.between(changed, now).toSeconds();
                    maxLag = maxLag == null ? lag : Math.max(maxLag, lag);
                    fromCommit &= b.sourceChangedAt != null;
                }
                continue;
            }
            b.lastSeenRunId = run.id;
            b.lastSeenAt = now;
            if (b.state.closed() && b.closedByRunId != null) {
                State from = b.state;
                b.state = State.OPEN;
                b.closedAt = null;
                b.closedBy = null;
                b.closedByRunId = null;
                b.resolution = null;
                event(b, SYSTEM, "reopened", from, State.OPEN, "found again by run " + run.id, run.id, now);
                reopened.add(b.id);
            }
        }
        List<BreakCase> openInScope = scope.cadence() == MatchRule.Cadence.BUSINESS_DATE
                ? BreakCase.list("ruleName = ?1 and state in ?2 and businessDate = ?3", rule.name(),
                        List.of(State.OPEN, State.INVESTIGATING), scope.date())
                : BreakCase.list("ruleName = ?1 and state in ?2 and occurredAt >= ?3 and occurredAt < ?4", rule.name(),
                        List.of(State.OPEN, State.INVESTIGATING), scope.from(), scope.to());
        for (BreakCase b : openInScope) {
            if (!current.containsKey(b.breakKey)) {
                State from = b.state;
                b.state = State.RESOLVED;
                b.closedAt = now;
                b.closedBy = SYSTEM;
                b.closedByRunId = run.id;
                b.resolution = "matched by run " + run.id + " (no longer a difference)";
                b.writeOffRequestedBy = null;
                b.writeOffRequestedAt = null;
                b.writeOffReason = null;
                event(b, SYSTEM, "closed_by_run", from, State.RESOLVED, b.resolution, run.id, now);
                closed.add(b.id);
            }
        }
        return new SyncResult(current.size(), opened, reopened, closed, maxLag, maxLag != null && fromCommit);
    }

    private BreakCase newBreak(MatchRule rule, Residue r, MatchRun run, Instant now) {
        BreakCase b = new BreakCase();
        b.ruleName = rule.name();
        b.breakKey = r.itemKey();
        b.reason = reason(rule, r.outcome());
        b.state = State.OPEN;
        MatchEngine.Item first = r.left() != null ? r.left() : r.right();
        b.businessDate = first.businessDate();
        b.occurredAt = first.at();
        b.processor = r.processor();
        b.partner = r.partner();
        b.leftDataset = rule.left().dataset();
        b.rightDataset = rule.right().dataset();
        if (r.left() != null) {
            b.leftItem = r.left().id();
            b.leftAmountMinor = r.left().amountMinor();
            b.leftCurrency = r.left().currency();
        }
        if (r.right() != null) {
            b.rightItem = r.right().id();
            b.rightAmountMinor = r.right().amountMinor();
            b.rightCurrency = r.right().currency();
        }
        AtRisk risk = atRisk(rule, r);
        b.amountAtRiskMinor = risk.minor();
        b.currency = risk.currency() == null ? "???" : risk.currency();
        b.severity = rule.severity();
        if (b.amountAtRiskMinor >= rule.highSeverityFromMinor() && b.severity.ordinal() < Severity.HIGH.ordinal()) {
            b.severity = Severity.HIGH;
        }
        b.firstSeenRunId = run.id;
        b.lastSeenRunId = run.id;
        b.firstSeenAt = now;
        b.lastSeenAt = now;
        b.dueAt = now.plus(rule.sla());
        return b;
    }

    static Reason reason(MatchRule rule, String outcome) {
        return switch (outcome) {
            case "UNMATCHED_LEFT" -> rule.unmatchedLeft();
            case "UNMATCHED_RIGHT" -> rule.unmatchedRight();
            default -> Reason.valueOf(outcome);
        };
    }

    record AtRisk(long minor, String currency) {
    }

    /**
     * What the break puts at risk, in exact minor units: the whole amount of a record the other side lacks,
     * the difference of a mismatch (after the rule's reference rate where the bank settled in another
     * currency, rounded half-even to the minor unit), a duplicate group's excess over the other side.
     */
    static AtRisk atRisk(MatchRule rule, Residue r) {
        MatchEngine.Item l = r.left();
        MatchEngine.Item rt = r.right();
        long la = l == null || l.amountMinor() == null ? 0 : l.amountMinor();
        long ra = rt == null || rt.amountMinor() == null ? 0 : rt.amountMinor();
        if (l == null) {
            return new AtRisk(Math.abs(ra), rt.currency());
        }
        if (rt == null) {
            return new AtRisk(Math.abs(la), l.currency());
        }
        switch (r.outcome()) {
            case "AMOUNT_MISMATCH" -> {
                if (l.currency() != null && !l.currency().equals(rt.currency()) && rule.fx().isPresent()) {
                    BigDecimal rate = rule.fx().get().rates().get(MatchRule.Fx.pair(l.currency(), rt.currency()));
                    if (rate != null) {
                        long converted = BigDecimal.valueOf(la).multiply(rate).setScale(0, RoundingMode.HALF_EVEN)
                                .longValueExact();
                        return new AtRisk(Math.abs(converted - ra), rt.currency());
                    }
                }
                return new AtRisk(Math.abs(la - ra), l.currency());
            }
            case "DUPLICATE" -> {
                return l.count() > 1 ? new AtRisk(Math.abs(la - ra), l.currency())
                        : new AtRisk(Math.abs(ra - la), rt.currency());
            }
            default -> {
                return new AtRisk(Math.abs(la), l.currency() != null ? l.currency() : rt.currency());
            }
        }
    }

    // ---- the workflow people drive ---------------------------------------------------------------

    @Transactional
    public List<BreakCase> assign(List<Long> ids, String owner, String actor) {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("owner: who the breaks are assigned to is required");
        }
        if (ids == null || ids.isEmpty()) {
            throw new IllegalArgumentException("ids: choose at least one break to assign");
        }
        Instant now = clock.instant();
        List<BreakCase> changed = new ArrayList<>();
        for (Long id : ids) {
            BreakCase b = find(id);
            if (b.state.closed()) {
                throw new IllegalStateException("break " + id + " is " + b.state + " and cannot be assigned");
            }
            String previous = b.owner;
            b.owner = owner.trim();
            event(b, actor, "assigned", b.state, b.state, "owner " + (previous == null ? "none" : previous) + " → "
                    + b.owner, null, now);
            audit(actor, "break.assigned", b, null, Map.of("owner", b.owner, "previous_owner",
                    previous == null ? "" : previous));
            changed.add(b);
        }
        return changed;
    }

    @Transactional
    public BreakCase investigate(long id, String actor) {
        BreakCase b = find(id);
        transition(b, State.OPEN, State.INVESTIGATING, actor, "investigating", null);
        if (b.owner == null) {
            b.owner = actor;
        }
        return b;
    }

    @Transactional
    public BreakCase comment(long id, String text, String actor) {
        BreakCase b = find(id);
        String comment = required(text, "comment");
        event(b, actor, "comment", b.state, b.state, comment, null, clock.instant());
        audit(actor, "break.commented", b, comment, Map.of());
        return b;
    }

    @Transactional
    public BreakCase resolve(long id, String resolution, String actor) {
        BreakCase b = find(id);
        String why = required(resolution, "resolution");
        transition(b, State.INVESTIGATING, State.RESOLVED, actor, "resolved", why);
        b.closedAt = clock.instant();
        b.closedBy = actor;
        b.resolution = why;
        return b;
    }

    @Transactional
    public BreakCase requestWriteOff(long id, String reason, String actor) {
        BreakCase b = find(id);
        String why = required(reason, "reason");
        if (b.state != State.INVESTIGATING) {
            throw new IllegalStateException("break " + id + " is " + b.state + "; a write-off is requested while INVESTIGATING");
        }
        if (b.writeOffRequestedBy != null) {
            throw new IllegalStateException("break " + id + " already has a write-off requested by " + b.writeOffRequestedBy);
        }
        Instant now = clock.instant();
        b.writeOffRequestedBy = actor;
        b.writeOffRequestedAt = now;
        b.writeOffReason = why;
        event(b, actor, "write_off_requested", b.state, b.state, why, null, now);
        audit(actor, "break.write_off_requested", b, why, Map.of("amount_at_risk_minor", b.amountAtRiskMinor,
                "currency", b.currency));
        return b;
    }

    /** The second person's approval: never the requester (server-side, whatever the roles). */
    @Transactional
    public BreakCase approveWriteOff(long id, String comment, String actor) {
        BreakCase b = find(id);
        if (b.writeOffRequestedBy == null || b.state != State.INVESTIGATING) {
            throw new IllegalStateException("break " + id + " has no write-off waiting for approval");
        }
        if (b.writeOffRequestedBy.equals(actor)) {
            throw new SecurityException("a write-off needs a second person: " + actor
                    + " requested it and cannot also approve it");
        }
        String why = comment == null || comment.isBlank() ? b.writeOffReason : comment.trim();
        transition(b, State.INVESTIGATING, State.WRITTEN_OFF, actor, "written_off", why);
        b.closedAt = clock.instant();
        b.closedBy = actor;
        b.resolution = "written off: " + b.writeOffReason + " (requested by " + b.writeOffRequestedBy
                + ", approved by " + actor + ")";
        return b;
    }

    @Transactional
    public BreakCase rejectWriteOff(long id, String reason, String actor) {
        BreakCase b = find(id);
        String why = required(reason, "reason");
        if (b.writeOffRequestedBy == null) {
            throw new IllegalStateException("break " + id + " has no write-off waiting for approval");
        }
        if (b.writeOffRequestedBy.equals(actor)) {
            throw new SecurityException("the requester withdraws a write-off by commenting; rejecting is the approver's");
        }
        event(b, actor, "write_off_rejected", b.state, b.state, why, null, clock.instant());
        audit(actor, "break.write_off_rejected", b, why, Map.of("requested_by", b.writeOffRequestedBy));
        b.writeOffRequestedBy = null;
        b.writeOffRequestedAt = null;
        b.writeOffReason = null;
        return b;
    }

    public BreakCase find(long id) {
        BreakCase b = BreakCase.findById(id);
        if (b == null) {
            throw new NoSuchElementException("no break " + id);
        }
        return b;
    }

    private void transition(BreakCase b, State from, State to, String actor, String kind, String comment) {
        if (b.state != from) {
            throw new IllegalStateException("break " + b.id + " is " + b.state + "; only a " + from + " break can become "
                    + to);
        }
        b.state = to;
        event(b, actor, kind, from, to, comment, null, clock.instant());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("from", from.name());
        details.put("to", to.name());
        details.put("rule", b.ruleName);
        details.put("break_key", b.breakKey);
        audit(actor, "break." + kind, b, comment, details);
    }

    private void event(BreakCase b, String actor, String kind, State from, State to, String comment, Long runId,
                       Instant now) {
        BreakEvent e = new BreakEvent();
        e.breakId = b.id;
        e.occurredAt = now;
        e.actor = actor;
        e.kind = kind;
        e.fromState = from == null ? null : from.name();
        e.toState = to == null ? null : to.name();
        e.comment = comment;
        e.runId = runId;
        e.persist();
    }

    /** Appends inside the current transaction: the change and its audit entry commit together. */
    void audit(String actor, String action, BreakCase b, String reason, Map<String, ?> details) {
        try (Connection c = dataSource.getConnection()) {
            auditLog.append(c, actor, action, "break_case", Long.toString(b.id), reason, details);
        } catch (SQLException e) {
            throw new IllegalStateException("audit append failed: " + e.getMessage(), e);
        }
    }

    private static String required(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + ": a non-empty text is required");
        }
        if (text.length() > 2000) {
            throw new IllegalArgumentException(field + ": at most 2000 characters");
        }
        return text.trim();
    }
}
