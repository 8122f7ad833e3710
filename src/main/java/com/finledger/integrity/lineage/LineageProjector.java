package com.finledger.integrity.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Projects stored raw events into the lineage graph, one projector at a time (a transaction-scoped
 * advisory lock), from the durable queue {@code lineage_projection_queue} that the storing
 * transaction fills. A request calls {@link #drain()} after its events are committed and returns
 * only once they are projected, by itself or by the projection that held the lock before it: the
 * graph holds every acknowledged event, as before. Because whoever holds the lock projects all that
 * is queued, concurrent requests' events are projected together (one set-based write per table for
 * many requests), and projections never wait on each other's row locks or deadlock. A crash after
 * the raw events committed leaves their queue rows; the scheduled drain (and the next request)
 * projects them.
 */
@ApplicationScoped
public class LineageProjector {

    /** The advisory lock key of the projector ('lnpj'). */
    static final long LOCK = 0x6c6e706aL;

    /** Events per projection transaction. */
    static final int CHUNK = 2000;

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    /** Projects everything queued; returns how many events were projected. */
    public int drain() {
        int total = 0;
        for (int attempt = 1; ; ) {
            try {
                int n = drainChunk();
                if (n == 0) {
                    return total;
                }
                total += n;
            } catch (SQLException e) {
                if (!"40P01".equals(e.getSQLState()) && !"40001".equals(e.getSQLState()) || attempt++ == 3) {
                    throw new IllegalStateException("cannot project the lineage events: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Leftovers of a crash between storing and projecting (normally there are none). */
    @Scheduled(identity = "lineage-projection-drain", every = "${finledger.lineage.projection-drain-every:1m}",
            delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledDrain() {
        drain();
    }

    /** Events still waiting for projection (0 once every acknowledged request returned). */
    public long queued() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from lineage_projection_queue")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the lineage projection queue: " + e.getMessage(), e);
        }
    }

    private int drainChunk() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("select pg_advisory_xact_lock(" + LOCK + ")");
                }
                List<Long> ids = new ArrayList<>();
                LineageProjection projection = new LineageProjection();
                try (PreparedStatement ps = c.prepareStatement("""
                        select q.event_id, e.kind, e.event_type, e.run_id, e.job_namespace, e.job_name, e.producer,
                               e.event::text, e.content_sha256, e.size_bytes
                        from lineage_projection_queue q left join lineage_event e on e.id = q.event_id
                        order by q.event_id limit ?""")) {
                    ps.setInt(1, CHUNK);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                            if (rs.getString(2) == null) {
                                continue; // its raw event was truncated away (the demo world's reset)
                            }
                            projection.add(event(rs));
                        }
                    }
                }
                if (ids.isEmpty()) {
                    c.commit();
                    return 0;
                }
                projection.write(c);
                try (PreparedStatement ps = c.prepareStatement(
                        "delete from lineage_projection_queue where event_id = any(?)")) {
                    ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                    ps.executeUpdate();
                }
                c.commit();
                return ids.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** The stored event as the projection reads it: its columns, and the time as the event wrote it. */
    private OpenLineageEvent event(ResultSet rs) throws SQLException {
        JsonNode tree;
        try {
            tree = json.readTree(rs.getString(8));
        } catch (IOException e) {
            throw new IllegalStateException("stored lineage event " + rs.getLong(1) + " is not JSON", e);
        }
        String run = rs.getString(4);
        return new OpenLineageEvent(OpenLineageEvent.Kind.valueOf(rs.getString(2)), rs.getString(3),
                OpenLineageEvent.parseTime(tree.get("eventTime").asText()), run == null ? null : UUID.fromString(run),
                rs.getString(5), rs.getString(6), rs.getString(7), tree, null, rs.getString(9).trim(), rs.getInt(10));
    }
}
