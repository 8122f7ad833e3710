package com.finledger.integrity.rules;

import com.finledger.integrity.audit.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The quarantine: rows rules rejected, with a masked sample and the reason, kept for good. Ops can
 * release rows they have checked (a resend confirmed, replays acknowledged); released rows stop
 * failing their rule at the next evaluation. Every release is audited.
 */
@ApplicationScoped
public class QuarantineService {

    @Inject
    DataSource dataSource;

    @Inject
    AuditLog auditLog;

    @Inject
    Clock clock;

    public record QuarantinedRow(long id, String rule, String rowKey, String reason, String maskedSample,
                                 Instant quarantinedAt, boolean stillFailing, String releasedBy, Instant releasedAt,
                                 String releaseReason) {
    }

    public record Page(List<QuarantinedRow> rows, long total, int page, int pageSize) {

        public boolean hasNext() {
            return (long) (page + 1) * pageSize < total;
        }
    }

    public Page list(String dataset, String partition, String rule, int page, int pageSize) {
        String filter = " where dataset = ? and partition_key = ?" + (rule == null ? "" : " and rule_name = ?");
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement("select count(*) from quarantined_row" + filter)) {
                bind(ps, dataset, partition, rule);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<QuarantinedRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select id, rule_name, row_key, reason, masked_sample::text, quarantined_at, still_failing,
                           released_by, released_at, release_reason
                    from quarantined_row""" + filter + " order by rule_name, row_key limit ? offset ?")) {
                int i = bind(ps, dataset, partition, rule);
                ps.setInt(i++, pageSize);
                ps.setLong(i, (long) page * pageSize);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Timestamp released = rs.getTimestamp(9);
                        rows.add(new QuarantinedRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getBoolean(7), rs.getString(8),
                                released == null ? null : released.toInstant(), rs.getString(10)));
                    }
                }
            }
            return new Page(rows, total, page, pageSize);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Releases every unreleased row of one rule in one partition; returns how many. */
    public long release(String dataset, String partition, String rule, String user, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required to release quarantined rows");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    update quarantined_row set released_at = ?, released_by = ?, release_reason = ?
                    where dataset = ? and partition_key = ? and rule_name = ? and released_at is null""")) {
                ps.setTimestamp(1, Timestamp.from(clock.instant()));
                ps.setString(2, user);
                ps.setString(3, reason);
                ps.setString(4, dataset);
                ps.setString(5, partition);
                ps.setString(6, rule);
                long released = ps.executeLargeUpdate();
                if (released == 0) {
                    c.rollback();
                    throw new IllegalStateException("no unreleased rows of " + rule + " in " + dataset + " " + partition);
                }
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("rule", rule);
                details.put("rows", released);
                auditLog.append(c, user, "quarantine.released", "partition", dataset + "/" + partition, reason, details);
                c.commit();
                return released;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int bind(PreparedStatement ps, String dataset, String partition, String rule) throws SQLException {
        int i = 1;
        ps.setString(i++, dataset);
        ps.setString(i++, partition);
        if (rule != null) {
            ps.setString(i++, rule);
        }
        return i;
    }
}
