package com.finledger.integrity.readiness;

import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.platform.Jdbc;
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
import java.util.Optional;
import javax.sql.DataSource;

/** Reads partition readiness and moves it through the state machine, auditing every move. */
@ApplicationScoped
public class ReadinessService {

    @Inject
    DataSource dataSource;

    @Inject
    AuditLog auditLog;

    @Inject
    Clock clock;

    @Inject
    jakarta.enterprise.event.Event<PartitionDataArrived> arrivals;

    public Optional<PartitionReadiness> find(String dataset, String partition) {
        try (Connection c = dataSource.getConnection()) {
            return find(c, dataset, partition, false);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read readiness: " + e.getMessage(), e);
        }
    }

    /** Many partitions in one query (for sensors polling in bulk and for the board). */
    public List<PartitionReadiness> findAll(List<String[]> datasetPartitions) {
        if (datasetPartitions.isEmpty()) {
            return List.of();
        }
        String[] datasets = datasetPartitions.stream().map(p -> p[0]).toArray(String[]::new);
        String[] partitions = datasetPartitions.stream().map(p -> p[1]).toArray(String[]::new);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select r.dataset, r.partition_key, r.state, r.version, r.updated_at, r.last_evaluation_id,
                       r.checks_summary::text
                from partition_readiness r
                join unnest(?::text[], ?::text[]) as wanted(dataset, partition_key)
                  on wanted.dataset = r.dataset and wanted.partition_key = r.partition_key""")) {
            ps.setArray(1, c.createArrayOf("text", datasets));
            ps.setArray(2, c.createArrayOf("text", partitions));
            List<PartitionReadiness> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(read(rs));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read readiness: " + e.getMessage(), e);
        }
    }

    /** The most recent business-date partitions of every dataset, for the board. */
    public List<PartitionReadiness> recent(int partitionsPerDataset) {
        return Jdbc.query(dataSource, """
                select dataset, partition_key, state, version, updated_at, last_evaluation_id, checks_summary::text
                from (select r.*, row_number() over (partition by dataset order by partition_key desc) as n
                      from partition_readiness r where partition_key not like '%T%') ranked
                where n <= ? order by dataset, partition_key""", List.of(partitionsPerDataset), ReadinessService::read);
    }

    /** The micro-batch window partitions of a dataset's business date, in time order. */
    public List<PartitionReadiness> windows(String dataset, String businessDate) {
        return Jdbc.query(dataSource, """
                select dataset, partition_key, state, version, updated_at, last_evaluation_id, checks_summary::text
                from partition_readiness where dataset = ? and partition_key like ? order by partition_key""",
                List.of(dataset, businessDate + "T%"), ReadinessService::read);
    }

    /** Per dataset and business date: how many window partitions there are and how many are usable. */
    public Map<String, long[]> windowCounts() {
        Map<String, long[]> counts = new java.util.HashMap<>();
        Jdbc.query(dataSource, """
                select dataset, left(partition_key, 10), count(*),
                       count(*) filter (where state in ('READY', 'READY_WITH_EXCEPTION'))
                from partition_readiness where partition_key like '%T%' group by 1, 2""", List.of(),
                rs -> counts.put(rs.getString(1) + "/" + rs.getString(2), new long[] {rs.getLong(3), rs.getLong(4)}));
        return counts;
    }

    /** The partition's row, created PENDING if new; locked for the caller's transaction. */
    PartitionReadiness lockOrCreate(Connection c, String dataset, String partition) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into partition_readiness (dataset, partition_key, state, version, updated_at)
                values (?, ?, 'PENDING', 1, ?) on conflict do nothing""")) {
            ps.setString(1, dataset);
            ps.setString(2, partition);
            ps.setTimestamp(3, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        }
        return find(c, dataset, partition, true).orElseThrow();
    }

    /**
     * Moves a partition to a new state inside the caller's transaction, or refuses a move the state
     * machine does not allow. Returns the updated readiness.
     */
    PartitionReadiness transition(Connection c, PartitionReadiness current, ReadinessState target, String actor,
                                  String reason, Long evaluationId, String checksSummary) throws SQLException {
        if (!current.state().canMoveTo(target)) {
            throw new IllegalStateException(current.dataset() + " " + current.partition() + " cannot move from "
                    + current.state() + " to " + target);
        }
        Instant now = clock.instant();
        String summary = checksSummary == null ? current.checksSummary() : checksSummary;
        try (PreparedStatement ps = c.prepareStatement("""
                update partition_readiness
                set state = ?, version = version + 1, updated_at = ?, last_evaluation_id = coalesce(?, last_evaluation_id),
                    checks_summary = ?::jsonb
                where dataset = ? and partition_key = ?""")) {
            ps.setString(1, target.name());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, evaluationId);
            ps.setString(4, summary);
            ps.setString(5, current.dataset());
            ps.setString(6, current.partition());
            ps.executeUpdate();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("from", current.state().name());
        details.put("to", target.name());
        details.put("version", current.version() + 1);
        if (evaluationId != null) {
            details.put("evaluation_id", evaluationId);
        }
        auditLog.append(c, actor, "readiness." + target.name().toLowerCase(), "partition",
                current.dataset() + "/" + current.partition(), reason, details);
        return new PartitionReadiness(current.dataset(), current.partition(), target, current.version() + 1, now,
                evaluationId == null ? current.lastEvaluationId() : evaluationId, summary);
    }

    /** Records an evaluation that changed nothing a poller cares about: same state, same checks. */
    void touch(Connection c, PartitionReadiness current, long evaluationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update partition_readiness set last_evaluation_id = ? where dataset = ? and partition_key = ?")) {
            ps.setLong(1, evaluationId);
            ps.setString(2, current.dataset());
            ps.setString(3, current.partition());
            ps.executeUpdate();
        }
    }

    /** New data arrived for a partition: PENDING and BLOCKED start loading, usable partitions re-open. */
    /**
     * A partition that should exist although nothing has landed for it (a hole in the pull-window
     * tiling): created PENDING if it is new, so that evaluation finds it and says why.
     */
    public void expect(Connection c, String dataset, String partition) throws SQLException {
        lockOrCreate(c, dataset, partition);
    }

    public void dataArrived(Connection c, String dataset, String partition, String actor, String what)
            throws SQLException {
        PartitionReadiness current = lockOrCreate(c, dataset, partition);
        arrivals.fire(new PartitionDataArrived(c, dataset, partition, actor, what));
        switch (current.state()) {
            case PENDING, BLOCKED -> transition(c, current, ReadinessState.LOADING, actor, what, null, null);
            case READY, READY_WITH_EXCEPTION -> transition(c, current, ReadinessState.REOPENED, actor,
                    "late data: " + what, null, null);
            default -> {
                // already loading, validating or reopened: the coming evaluation will see the new data
            }
        }
    }

    private Optional<PartitionReadiness> find(Connection c, String dataset, String partition, boolean lock)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select dataset, partition_key, state, version, updated_at, last_evaluation_id, checks_summary::text
                from partition_readiness where dataset = ? and partition_key = ?""" + (lock ? " for update" : ""))) {
            ps.setString(1, dataset);
            ps.setString(2, partition);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static PartitionReadiness read(ResultSet rs) throws SQLException {
        return new PartitionReadiness(rs.getString(1), rs.getString(2), ReadinessState.valueOf(rs.getString(3)),
                rs.getLong(4), rs.getTimestamp(5).toInstant(), (Long) rs.getObject(6), rs.getString(7));
    }
}
