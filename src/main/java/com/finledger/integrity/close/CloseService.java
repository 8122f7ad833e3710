package com.finledger.integrity.close;

import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.close.ClosePeriod.State;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.platform.Sha256;
import com.finledger.integrity.readiness.PartitionChangeRequested;
import com.finledger.integrity.readiness.PartitionDataArrived;
import com.finledger.integrity.readiness.PartitionTotalsComputed;
import com.finledger.integrity.controls.Amounts;
import com.finledger.integrity.controls.ControlTotal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The month-end close workflow. Maker-checker is enforced here, by user name, whatever roles a user holds
 * and whatever a page shows: the approver of a sign-off is never its preparer, and whoever asked for a
 * reopen does not grant it. Every step writes the period's history and the hash-chained audit log in the
 * same transaction. Sign-off stores the numbers as signed and pins the raw objects they were built from,
 * so later evaluations, overrides or data never change what was signed.
 */
@ApplicationScoped
public class CloseService {

    private static final Logger LOG = Logger.getLogger(CloseService.class);
    public static final String SUBJECT = "close_period";

    @Inject
    DataSource dataSource;

    @Inject
    AuditLog auditLog;

    @Inject
    CloseChecklist checklist;

    @Inject
    EvidencePack evidence;

    @Inject
    Clock clock;

    public static YearMonth month(String period) {
        try {
            return YearMonth.parse(period == null ? "" : period.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("period: a month such as 2026-11, not '" + period + "'");
        }
    }

    /** The period, opened on first use. */
    @Transactional
    public ClosePeriod open(YearMonth month, String actor) {
        return ClosePeriod.byPeriod(month.toString()).orElseGet(() -> {
            ClosePeriod p = new ClosePeriod();
            p.period = month.toString();
            p.state = State.OPEN;
            p.createdAt = clock.instant();
            p.persist();
            step(p, actor, "opened", null, State.OPEN, null, Map.of());
            return p;
        });
    }

    public ClosePeriod find(YearMonth month) {
        return ClosePeriod.byPeriod(month.toString())
                .orElseThrow(() -> new NoSuchElementException("no close period " + month + " yet"));
    }

    @Transactional
    public ClosePeriod signOff(YearMonth month, String preparer, String note) {
        ClosePeriod p = lock(month, preparer);
        if (p.state != State.OPEN) {
            throw new IllegalStateException(month + " is " + p.state.label().toLowerCase() + "; only an open period can be signed off");
        }
        CloseChecklist.Checklist list = checklist.of(month);
        if (!list.clear()) {
            throw new IllegalStateException(month + " cannot be signed off: " + list.blocking().size() + " blocking item(s): "
                    + list.blocking().stream().limit(10).map(i -> i.dataset() + " " + i.partition() + " " + i.why())
                    .collect(Collectors.joining("; ")));
        }
        p.signoffRound++;
        Instant now = clock.instant();
        for (CloseChecklist.PartitionTotal t : list.totals()) {
            CloseSignedTotal s = new CloseSignedTotal();
            s.periodId = p.id;
            s.signoffRound = p.signoffRound;
            s.dataset = t.dataset();
            s.partitionKey = t.partition();
            s.layer = t.layer();
            s.rowCount = t.rows();
            s.distinctKeys = t.distinctKeys();
            s.keyFingerprint = t.keyFingerprint();
            s.amounts = t.amounts().toJson();
            s.persist();
        }
        int pinned = pin(p, month);
        State from = p.state;
        p.state = State.SIGNED_OFF;
        p.signedOffBy = preparer;
        p.signedOffAt = now;
        p.signoffNote = note;
        p.approvedBy = null;
        p.approvedAt = null;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("round", p.signoffRound);
        details.put("signed_totals_sha256", signedTotalsDigest(p));
        details.put("partitions", list.items().size());
        details.put("pinned_objects", pinned);
        details.put("exceptions", list.exceptions().size());
        details.put("open_breaks", list.openBreaks().size());
        details.put("at_risk_minor", list.atRisk().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toPlainString())));
        step(p, preparer, "signed_off", from, State.SIGNED_OFF, note, details);
        return p;
    }

    @Transactional
    public ClosePeriod approve(YearMonth month, String approver, String note) {
        ClosePeriod p = lock(month, approver);
        if (p.state != State.SIGNED_OFF) {
            throw new IllegalStateException(month + " is " + p.state.label().toLowerCase() + "; only a signed-off period can be approved");
        }
        if (approver.equals(p.signedOffBy)) {
            throw new SecurityException("the preparer who signed off " + month + " cannot approve it; a different approver must");
        }
        p.state = State.CLOSED;
        p.approvedBy = approver;
        p.approvedAt = clock.instant();
        p.rejectedBy = null;
        p.rejectionReason = null;
        p.rejectedAt = null;
        step(p, approver, "approved", State.SIGNED_OFF, State.CLOSED, note,
                Map.of("round", p.signoffRound, "signed_off_by", p.signedOffBy,
                        "signed_totals_sha256", signedTotalsDigest(p)));
        CloseEvidence e = evidence.build(p);
        step(p, approver, "evidence_sealed", null, null, null,
                Map.of("round", p.signoffRound, "seal_sha256", e.sealSha256, "size_bytes", e.sizeBytes));
        return p;
    }

    @Transactional
    public ClosePeriod reject(YearMonth month, String approver, String reason) {
        requireReason(reason);
        ClosePeriod p = lock(month, approver);
        if (p.state != State.SIGNED_OFF) {
            throw new IllegalStateException(month + " is " + p.state.label().toLowerCase() + "; only a signed-off period can be rejected");
        }
        if (approver.equals(p.signedOffBy)) {
            throw new SecurityException("the preparer who signed off " + month + " cannot decide on it; a different approver must");
        }
        p.state = State.OPEN;
        p.rejectedBy = approver;
        p.rejectedAt = clock.instant();
        p.rejectionReason = reason;
        step(p, approver, "rejected", State.SIGNED_OFF, State.OPEN, reason, Map.of("round", p.signoffRound));
        return p;
    }

    /** A person asks to reopen a signed or closed month (late data asks by itself, see {@link #onDataArrived}). */
    @Transactional
    public ClosePeriod requestReopen(YearMonth month, String user, String reason) {
        requireReason(reason);
        ClosePeriod p = lock(month, user);
        if (p.state != State.SIGNED_OFF && p.state != State.CLOSED) {
            throw new IllegalStateException(month + " is " + p.state.label().toLowerCase() + "; only a signed or closed period can be reopened");
        }
        State from = p.state;
        p.reopenFromState = from;
        p.state = State.REOPEN_REQUESTED;
        p.reopenRequestedBy = user;
        p.reopenRequestedAt = clock.instant();
        p.reopenCause = reason;
        step(p, user, "reopen_requested", from, State.REOPEN_REQUESTED, reason, Map.of("round", p.signoffRound));
        return p;
    }

    /** An approver grants a reopen (OPEN: sign off again) or refuses it (back to where it was). */
    @Transactional
    public ClosePeriod decideReopen(YearMonth month, String approver, boolean grant, String reason) {
        requireReason(reason);
        ClosePeriod p = lock(month, approver);
        if (p.state != State.REOPEN_REQUESTED) {
            throw new IllegalStateException(month + " is " + p.state.label().toLowerCase() + "; no reopen is waiting for a decision");
        }
        if (approver.equals(p.reopenRequestedBy)) {
            throw new SecurityException("whoever asked to reopen " + month + " cannot grant it; a second person must");
        }
        State to = grant ? State.OPEN : p.reopenFromState;
        p.state = to;
        step(p, approver, grant ? "reopened" : "reopen_refused", State.REOPEN_REQUESTED, to, reason,
                Map.of("round", p.signoffRound, "cause", String.valueOf(p.reopenCause)));
        if (grant) {
            p.approvedBy = null;
            p.approvedAt = null;
        }
        p.reopenFromState = null;
        return p;
    }

    /**
     * Data arrived for a partition (in the landing transaction): if it belongs to a signed or closed month
     * and to a dataset the month is built from, the month asks to be reopened, naming the cause. The signed
     * numbers stay as they were; the checklist shows the new ones beside them.
     */
    void onDataArrived(@Observes PartitionDataArrived e) {
        Optional<String> month = periodOf(e.dataset(), e.partition());
        if (month.isEmpty()) {
            return;
        }
        String period = month.get();
        String cause = "late data for " + e.dataset() + " " + e.partition() + ": " + e.what();
        flag(e.connection(), period, e.actor(), "late_data", cause, Map.of("dataset", e.dataset(), "partition",
                e.partition()), true);
    }

    /**
     * An evaluation stored a finance partition's control totals: if its month is signed or closed and any layer's
     * totals differ from the signed ones (rows, distinct keys, key fingerprint, amounts), the month asks to be
     * reopened, naming the layer and what moved.
     */
    void onTotalsComputed(@Observes PartitionTotalsComputed e) {
        if (!checklist.financeDatasets().contains(e.dataset()) || e.partition().contains("T")) {
            return;
        }
        Optional<String> month = periodOf(e.dataset(), e.partition());
        if (month.isEmpty()) {
            return;
        }
        try {
            Connection c = e.connection();
            List<Object[]> found = Jdbc.query(c, "select id, state, signoff_round from close_period where period = ?",
                    List.of(month.get()), rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getInt(3)});
            if (found.isEmpty() || !List.of("SIGNED_OFF", "CLOSED").contains((String) found.get(0)[1])) {
                return;
            }
            Map<String, String> signed = new TreeMap<>();
            Jdbc.query(c, """
                    select layer, row_count, distinct_keys, key_fingerprint, amounts::text from close_signed_total
                    where period_id = ? and signoff_round = ? and dataset = ? and partition_key = ?""",
                    List.of(found.get(0)[0], found.get(0)[2], e.dataset(), e.partition()), rs -> signed.put(rs.getString(1),
                            rs.getLong(2) + " rows, " + rs.getObject(3) + " keys, fingerprint " + rs.getObject(4) + ", "
                                    + Amounts.fromJson(rs.getString(5)).toJson()));
            List<String> moved = new ArrayList<>();
            for (ControlTotal t : e.totals()) {
                String was = signed.get(t.layer());
                Amounts amounts = t.amounts() == null ? t.rowAmounts() : t.amounts();
                String now = t.rowCount() + " rows, " + t.distinctKeys() + " keys, fingerprint " + t.keyFingerprint() + ", "
                        + amounts.toJson();
                if (was != null && !was.equals(now)) {
                    moved.add(t.layer() + " (signed " + was + "; now " + now + ")");
                }
            }
            if (!moved.isEmpty()) {
                flag(c, month.get(), e.actor(), "totals_changed", "control totals of " + e.dataset() + " " + e.partition()
                        + " differ from the signed ones: " + String.join("; ", moved),
                        Map.of("dataset", e.dataset(), "partition", e.partition()), false);
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("cannot compare with the signed totals of " + month.get() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Inside the caller's transaction: a signed or closed month becomes REOPEN_REQUESTED with the cause; one
     * already waiting for a reopen records the further cause when {@code alsoWhenRequested}.
     */
    private void flag(Connection c, String period, String actor, String kind, String cause, Map<String, ?> more,
                      boolean alsoWhenRequested) {
        try {
            List<Object[]> found = Jdbc.query(c, "select id, state, signoff_round from close_period where period = ? for update",
                    List.of(period), rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getInt(3)});
            if (found.isEmpty()) {
                return;
            }
            long id = (Long) found.get(0)[0];
            State state = State.valueOf((String) found.get(0)[1]);
            if (state == State.OPEN || (state == State.REOPEN_REQUESTED && !alsoWhenRequested)) {
                return;
            }
            Instant now = clock.instant();
            if (state == State.SIGNED_OFF || state == State.CLOSED) {
                Jdbc.update(c, """
                        update close_period set state = 'REOPEN_REQUESTED', reopen_from_state = ?, reopen_requested_by = ?,
                               reopen_requested_at = ?, reopen_cause = ?, row_version = row_version + 1 where id = ?""",
                        List.of(state.name(), actor, Timestamp.from(now), cause, id));
            }
            String to = State.REOPEN_REQUESTED.name();
            Jdbc.update(c, """
                    insert into close_event (period_id, occurred_at, actor, kind, from_state, to_state, reason)
                    values (?, ?, ?, ?, ?, ?, ?)""", List.of(id, Timestamp.from(now), actor, kind, state.name(), to, cause));
            Map<String, Object> details = new LinkedHashMap<>(more);
            details.put("from", state.name());
            details.put("to", to);
            details.put("round", found.get(0)[2]);
            auditLog.append(c, actor, "close." + kind, SUBJECT, period, cause, details);
            LOG.warnf("close period %s: %s (%s → %s)", period, cause, state, to);
        } catch (SQLException ex) {
            throw new IllegalStateException("cannot flag close period " + period + ": " + ex.getMessage(), ex);
        }
    }

    /** A signed or closed month is read-only: an override of one of its partitions waits for a granted reopen. */
    void onChangeRequested(@Observes PartitionChangeRequested e) {
        Optional<String> period = periodOf(e.dataset(), e.partition());
        if (period.isEmpty()) {
            return;
        }
        try {
            List<String> state = Jdbc.query(e.connection(), "select state from close_period where period = ?",
                    List.of(period.get()), rs -> rs.getString(1));
            if (!state.isEmpty() && State.valueOf(state.get(0)).locked()) {
                throw new IllegalStateException("the month " + period.get() + " is " + State.valueOf(state.get(0)).label()
                        .toLowerCase() + ": its numbers are signed, so " + e.what() + " of " + e.dataset() + " "
                        + e.partition() + " waits until a reopen is granted");
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("cannot read close period " + period.get() + ": " + ex.getMessage(), ex);
        }
    }

    /** The month a partition of a dataset the close covers belongs to. */
    private Optional<String> periodOf(String dataset, String partition) {
        if (partition.length() < 10) {
            return Optional.empty();
        }
        LocalDate date;
        try {
            date = LocalDate.parse(partition.substring(0, 10));
        } catch (DateTimeParseException ex) {
            return Optional.empty();
        }
        Set<String> relevant = new TreeSet<>(checklist.financeDatasets());
        relevant.addAll(checklist.rawDatasets());
        return relevant.contains(dataset) ? Optional.of(YearMonth.from(date).toString()) : Optional.empty();
    }

    private int pin(ClosePeriod p, YearMonth month) {
        List<ClosePinnedObject> objects = Jdbc.query(dataSource, """
                select dataset, business_date, object_key, version_id, sha256, size_bytes, row_count from landed_object
                where dataset = any(?::text[]) and business_date between ? and ?
                order by dataset, business_date, object_key, version_id""",
                List.of(checklist.rawDatasets().toArray(String[]::new), month.atDay(1), month.atEndOfMonth()), rs -> {
                    ClosePinnedObject o = new ClosePinnedObject();
                    o.periodId = p.id;
                    o.signoffRound = p.signoffRound;
                    o.dataset = rs.getString(1);
                    o.businessDate = rs.getObject(2, LocalDate.class);
                    o.objectKey = rs.getString(3);
                    o.versionId = rs.getString(4);
                    o.sha256 = rs.getString(5);
                    o.sizeBytes = rs.getLong(6);
                    o.rowCount = rs.getLong(7);
                    return o;
                });
        objects.forEach(o -> o.persist());
        return objects.size();
    }

    /** A digest of the numbers as signed in the period's round, recorded in the audit log with the sign-off. */
    static String signedTotalsDigest(ClosePeriod p) {
        StringBuilder s = new StringBuilder();
        for (CloseSignedTotal t : CloseSignedTotal.of(p.id, p.signoffRound)) {
            s.append(t.dataset).append('|').append(t.partitionKey).append('|').append(t.layer).append('|')
                    .append(t.rowCount).append('|').append(t.distinctKeys).append('|').append(t.keyFingerprint)
                    .append('|').append(t.amounts).append('\n');
        }
        return Sha256.hex(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    private ClosePeriod lock(YearMonth month, String actor) {
        ClosePeriod p = ClosePeriod.byPeriod(month.toString()).orElse(null);
        if (p == null) {
            open(month, actor);
            p = ClosePeriod.byPeriod(month.toString()).orElseThrow();
        }
        ClosePeriod locked = ClosePeriod.findById(p.id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        return locked;
    }

    private void step(ClosePeriod p, String actor, String kind, State from, State to, String reason, Map<String, ?> details) {
        Instant now = clock.instant();
        CloseEvent event = new CloseEvent();
        event.periodId = p.id;
        event.occurredAt = now;
        event.actor = actor;
        event.kind = kind;
        event.fromState = from == null ? null : from.name();
        event.toState = to == null ? null : to.name();
        event.reason = reason;
        event.persist();
        Map<String, Object> all = new LinkedHashMap<>(details);
        if (from != null) {
            all.put("from", from.name());
        }
        if (to != null) {
            all.put("to", to.name());
        }
        // flush so that the audit entry, on the same connection, commits with the change it describes
        ClosePeriod.getEntityManager().flush();
        try (Connection c = dataSource.getConnection()) {
            auditLog.append(c, actor, "close." + kind, SUBJECT, p.period, reason, all);
        } catch (SQLException e) {
            throw new IllegalStateException("audit append failed: " + e.getMessage(), e);
        }
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason: a reason is required");
        }
    }
}
