package com.finledger.integrity.rules;

import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.warehouse.Warehouse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The quarantine: rows rules rejected, with a masked sample and the reason, kept for good. It lives
 * in the warehouse beside the rows it holds back (rules copy failing rows into it there), and
 * everything about it goes through the warehouse: listing, releasing, the held-back counts. Ops can
 * release rows they have checked (a resend confirmed, replays acknowledged); released rows stop
 * failing their rule at the next evaluation. Every release is audited in the control plane's log.
 */
@ApplicationScoped
public class QuarantineService {

    static final String TABLE = "quarantine.quarantined_row";

    @Inject
    Warehouse warehouse;

    /** The control plane's own database (the audit log). */
    @Inject
    DataSource dataSource;

    @Inject
    AuditLog auditLog;

    @Inject
    Clock clock;

    private volatile boolean ensured;

    public record QuarantinedRow(long id, String rule, String rowKey, String reason, String maskedSample,
                                 Instant quarantinedAt, boolean stillFailing, String releasedBy, Instant releasedAt,
                                 String releaseReason) {
    }

    public record Page(List<QuarantinedRow> rows, long total, int page, int pageSize) {

        public boolean hasNext() {
            return (long) (page + 1) * pageSize < total;
        }
    }

    /** Creates the quarantine in the warehouse the first time it is needed (a warehouse may be down at start-up). */
    public void ensure() {
        if (!ensured) {
            synchronized (this) {
                if (!ensured) {
                    warehouse.ensureQuarantine();
                    ensured = true;
                }
            }
        }
    }

    public Page list(String dataset, String partition, String rule, int page, int pageSize) {
        ensure();
        String filter = " where dataset = ? and partition_key = ?" + (rule == null ? "" : " and rule_name = ?");
        List<Object> params = new ArrayList<>(List.of(dataset, partition));
        if (rule != null) {
            params.add(rule);
        }
        long total = warehouse.query("select count(*) from " + TABLE + filter, params, rs -> rs.getLong(1)).get(0);
        List<QuarantinedRow> rows = warehouse.query("select id, rule_name, row_key, reason, "
                + warehouse.dialect().text("masked_sample") + ", quarantined_at, still_failing, released_by, "
                + "released_at, release_reason from " + TABLE + filter + " order by rule_name, row_key limit "
                + pageSize + " offset " + (long) page * pageSize, params, rs -> {
                    Timestamp released = rs.getTimestamp(9);
                    return new QuarantinedRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getBoolean(7), rs.getString(8),
                            released == null ? null : released.toInstant(), rs.getString(10));
                });
        return new Page(rows, total, page, pageSize);
    }

    /** Quarantined rows of one rule in a partition: how many, how many still unreleased, one reason. */
    public record RuleGroup(String rule, long rows, long unreleased, String sampleReason) {
    }

    /** A partition's quarantine grouped by rule, the largest group first (the page lists rows per rule). */
    public List<RuleGroup> byRule(String dataset, String partition) {
        ensure();
        return warehouse.query("select rule_name, count(*), sum(case when released_at is null then 1 else 0 end), "
                + "min(reason) from " + TABLE + " where dataset = ? and partition_key = ? group by rule_name "
                + "order by count(*) desc, rule_name", List.of(dataset, partition),
                rs -> new RuleGroup(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4)));
    }

    /**
     * Releases every unreleased row of one rule in one partition; returns how many. The audit entry is
     * written in the same control-plane transaction that is committed only after the warehouse
     * applied the release; if that commit fails the release is undone in the warehouse, so no
     * release ever stands unaudited.
     */
    public long release(String dataset, String partition, String rule, String user, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required to release quarantined rows");
        }
        ensure();
        Timestamp at = Timestamp.from(clock.instant());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long released = warehouse.update("update " + TABLE + " set released_at = ?, released_by = ?, "
                    + "release_reason = ? where dataset = ? and partition_key = ? and rule_name = ? "
                    + "and released_at is null", List.of(at, user, reason, dataset, partition, rule));
            if (released == 0) {
                c.rollback();
                throw new IllegalStateException("no unreleased rows of " + rule + " in " + dataset + " " + partition);
            }
            try {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("rule", rule);
                details.put("rows", released);
                auditLog.append(c, user, "quarantine.released", "partition", dataset + "/" + partition, reason,
                        details);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                warehouse.update("update " + TABLE + " set released_at = null, released_by = null, "
                        + "release_reason = null where dataset = ? and partition_key = ? and rule_name = ? "
                        + "and released_at = ? and released_by = ?", List.of(dataset, partition, rule, at, user));
                throw e;
            }
            return released;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Distinct rows of a partition that the named rules hold back as of an evaluation: still failing,
     * not released.
     */
    public long heldBack(String dataset, String partition, long evaluationId, Collection<String> rules) {
        if (rules.isEmpty()) {
            return 0;
        }
        ensure();
        List<Object> params = new ArrayList<>(List.of(dataset, partition, evaluationId));
        params.addAll(rules);
        return warehouse.query("select count(distinct row_key) from " + TABLE + " where dataset = ? and "
                + "partition_key = ? and last_evaluation_id = ? and still_failing and released_at is null and "
                + "rule_name in (" + rules.stream().map(r -> "?").collect(Collectors.joining(", ")) + ")", params,
                rs -> rs.getLong(1)).get(0);
    }
}
