package com.finledger.integrity.readiness;

import com.finledger.integrity.platform.CrashPoints;
import com.finledger.integrity.platform.Jdbc;
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
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.sql.DataSource;

/**
 * The two-person override of a BLOCKED partition: one user asks, with a reason; a different user
 * approves, with a reason; only then does the partition become READY_WITH_EXCEPTION. The approval is
 * for the block as it stood when asked: if the partition was re-evaluated since, it is refused.
 */
@ApplicationScoped
public class OverrideService {

    @Inject
    DataSource dataSource;

    @Inject
    ReadinessService readiness;

    @Inject
    AuditLog auditLog;

    @Inject
    ReadinessCache cache;

    @Inject
    Clock clock;

    @Inject
    jakarta.enterprise.event.Event<PartitionChangeRequested> changes;

    public record Override(long id, String dataset, String partition, String requestedBy, String requestReason,
                           Instant requestedAt, long blockedVersion, String decidedBy, String decision,
                           String decisionReason, Instant decidedAt) {
    }

    public Override request(String dataset, String partition, String user, String reason) {
        requireReason(reason);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                PartitionReadiness current = readiness.lockOrCreate(c, dataset, partition);
                if (current.state() != ReadinessState.BLOCKED) {
                    throw new IllegalStateException(dataset + " " + partition + " is " + current.state().label()
                            + "; only a blocked partition can be overridden");
                }
                changes.fire(new PartitionChangeRequested(c, dataset, partition, user, "override"));
                long id;
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into readiness_override (dataset, partition_key, requested_by, request_reason, requested_at,
                                                        blocked_version)
                        values (?, ?, ?, ?, ?, ?) returning id""")) {
                    ps.setString(1, dataset);
                    ps.setString(2, partition);
                    ps.setString(3, user);
                    ps.setString(4, reason);
                    ps.setTimestamp(5, Timestamp.from(clock.instant()));
                    ps.setLong(6, current.version());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                } catch (SQLException e) {
                    if ("23505".equals(e.getSQLState())) {
                        throw new IllegalStateException("an override of " + dataset + " " + partition
                                + " is already waiting for a decision");
                    }
                    throw e;
                }
                auditLog.append(c, user, "override.requested", "partition", dataset + "/" + partition, reason,
                        Map.of("override_id", id, "blocked_version", current.version()));
                c.commit();
                return find(id);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public Override decide(long id, String user, boolean approve, String reason) {
        requireReason(reason);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Override o = lock(c, id);
                if (o.decision() != null) {
                    throw new IllegalStateException("override " + id + " was already " + o.decision().toLowerCase());
                }
                if (o.requestedBy().equals(user)) {
                    throw new SecurityException("the requester of an override cannot decide it; a second person must");
                }
                PartitionReadiness current = readiness.lockOrCreate(c, o.dataset(), o.partition());
                if (approve && (current.state() != ReadinessState.BLOCKED || current.version() != o.blockedVersion())) {
                    throw new IllegalStateException(o.dataset() + " " + o.partition() + " changed since the override was "
                            + "asked (now " + current.state().label() + ", version " + current.version()
                            + "); ask again for the block as it stands");
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        update readiness_override set decided_by = ?, decision = ?, decision_reason = ?, decided_at = ?
                        where id = ?""")) {
                    ps.setString(1, user);
                    ps.setString(2, approve ? "APPROVED" : "REJECTED");
                    ps.setString(3, reason);
                    ps.setTimestamp(4, Timestamp.from(clock.instant()));
                    ps.setLong(5, id);
                    ps.executeUpdate();
                }
                auditLog.append(c, user, approve ? "override.approved" : "override.rejected", "partition",
                        o.dataset() + "/" + o.partition(), reason, Map.of("override_id", id, "requested_by",
                                o.requestedBy()));
                if (approve) {
                    readiness.transition(c, current, ReadinessState.READY_WITH_EXCEPTION, user,
                            "override " + id + " asked by " + o.requestedBy() + " (" + o.requestReason()
                                    + "), approved by " + user + " (" + reason + ")", null, null);
                    CrashPoints.reach(CrashPoints.OVERRIDE_APPROVED);
                }
                c.commit();
                cache.invalidate(o.dataset(), o.partition());
                return find(id);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Every override still waiting for a second person, oldest first (the approvals inbox). */
    public List<Override> waiting() {
        return Jdbc.query(dataSource, SELECT + " where decision is null order by requested_at, id", List.of(),
                OverrideService::read);
    }

    public List<Override> forPartition(String dataset, String partition) {
        return Jdbc.query(dataSource, SELECT + " where dataset = ? and partition_key = ? order by id desc",
                List.of(dataset, partition), OverrideService::read);
    }

    public Override find(long id) {
        try (Connection c = dataSource.getConnection()) {
            return lock(c, id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String SELECT = """
            select id, dataset, partition_key, requested_by, request_reason, requested_at, blocked_version, decided_by,
                   decision, decision_reason, decided_at
            from readiness_override""";

    private static Override lock(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " where id = ?" + (c.getAutoCommit() ? "" : " for update"))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NoSuchElementException("no override " + id);
                }
                return read(rs);
            }
        }
    }

    private static Override read(ResultSet rs) throws SQLException {
        Timestamp decided = rs.getTimestamp(11);
        return new Override(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getTimestamp(6).toInstant(), rs.getLong(7), rs.getString(8), rs.getString(9), rs.getString(10),
                decided == null ? null : decided.toInstant());
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required");
        }
    }
}
