package com.finledger.integrity.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Validates OpenLineage events, stores each distinct one verbatim and projects the new ones into the
 * lineage graph, all in one transaction: a request is stored whole or not at all. A redelivery is
 * the same content (SHA-256 of the canonical JSON) and changes nothing; two different events that
 * share run, type and time are two events.
 */
@ApplicationScoped
public class LineageEvents {

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @Inject
    LineageConfig config;

    public record Stored(long id, boolean created) {
    }

    /** One event of a request: where it was, what it was stored as, whether it was new. */
    public record Outcome(int index, long id, boolean created, String kind, String sha256) {
    }

    /** Events refused, each problem with its JSON path (and index, in a batch). Nothing was stored. */
    public static class Rejected extends IllegalArgumentException {
        private final transient List<OpenLineageEvent.Problem> problems;

        public Rejected(List<OpenLineageEvent.Problem> problems) {
            super("not a valid OpenLineage event: " + String.join("; ", problems.stream().map(Object::toString)
                    .toList()));
            this.problems = problems;
        }

        public List<OpenLineageEvent.Problem> problems() {
            return problems;
        }
    }

    /** An event or a batch over the configured size. Nothing was stored. */
    public static class TooLarge extends RuntimeException {
        public TooLarge(String message) {
            super(message);
        }
    }

    /** The contract's entry point (L2's own emitters call it): validate, store, project one event. */
    public Stored store(JsonNode event, String receivedBy) {
        Outcome o = storeAll(List.of(event), receivedBy, false).get(0);
        return new Stored(o.id(), o.created());
    }

    /**
     * Stores a request's events: all valid and within limits, or none. {@code batch} says whether the
     * problems name each event's index.
     */
    public List<Outcome> storeAll(List<JsonNode> json, String receivedBy, boolean batch) {
        if (json.size() > config.maxBatchEvents()) {
            throw new TooLarge("a batch holds at most " + config.maxBatchEvents() + " events, this one "
                    + json.size());
        }
        List<OpenLineageEvent> events = new ArrayList<>(json.size());
        List<OpenLineageEvent.Problem> problems = new ArrayList<>();
        List<String> tooLarge = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            OpenLineageEvent.Read read = OpenLineageEvent.read(json.get(i), batch ? i : null);
            problems.addAll(read.problems());
            if (read.event() != null) {
                int bytes = read.event().sizeBytes();
                if (bytes > config.maxEventBytes()) {
                    tooLarge.add((batch ? "event " + i + " is " : "the event is ") + bytes
                            + " bytes, more than the limit of " + config.maxEventBytes());
                }
                events.add(read.event());
            }
        }
        if (!problems.isEmpty()) {
            throw new Rejected(problems);
        }
        if (!tooLarge.isEmpty()) {
            throw new TooLarge(String.join("; ", tooLarge) + " (finledger.lineage.max-event-bytes)");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return write(events, receivedBy);
            } catch (SQLException e) {
                // two requests touching the same graph rows in another order: run it again
                if (!"40P01".equals(e.getSQLState()) && !"40001".equals(e.getSQLState()) || attempt == 3) {
                    throw new IllegalStateException("cannot store the lineage events: " + e.getMessage(), e);
                }
            }
        }
    }

    private List<Outcome> write(List<OpenLineageEvent> events, String receivedBy) throws SQLException {
        // one row per distinct content; a batch may repeat an event (its indexes share the outcome)
        Map<String, OpenLineageEvent> distinct = new LinkedHashMap<>();
        for (OpenLineageEvent e : events) {
            distinct.putIfAbsent(e.sha256(), e);
        }
        List<OpenLineageEvent> unique = List.copyOf(distinct.values());
        Map<String, Long> created = new HashMap<>();
        Map<String, Long> existing = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // one statement: insert what is new, and find what was there before this statement began
                try (PreparedStatement ps = c.prepareStatement("""
                        with x as (select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                                        ?::text[], ?::text[], ?::int[]) with ordinality
                                                 as x(r, t, et, jn, j, p, k, s, b, n)),
                             ev as (select * from jsonb_array_elements(?::jsonb) with ordinality as ev(e, n)),
                             ins as (insert into lineage_event (run_id, event_type, event_time, job_namespace, job_name,
                                                                producer, event, received_at, received_by, kind,
                                                                content_sha256, size_bytes)
                                     select r, t, et::timestamptz, jn, j, p, ev.e, ?::timestamptz, ?, k, s, b
                                     from x join ev on ev.n = x.n order by x.n
                                     on conflict (content_sha256) do nothing
                                     returning id, content_sha256)
                        select id, content_sha256, true from ins
                        union all
                        select l.id, l.content_sha256, false from lineage_event l join x on l.content_sha256 = x.s::bpchar""")) {
                    ps.setArray(1, texts(c, unique.stream().map(e -> e.runId() == null ? null : e.runId().toString())));
                    ps.setArray(2, texts(c, unique.stream().map(OpenLineageEvent::eventType)));
                    ps.setArray(3, texts(c, unique.stream().map(e -> e.eventTime().toString())));
                    ps.setArray(4, texts(c, unique.stream().map(OpenLineageEvent::jobNamespace)));
                    ps.setArray(5, texts(c, unique.stream().map(OpenLineageEvent::jobName)));
                    ps.setArray(6, texts(c, unique.stream().map(OpenLineageEvent::producer)));
                    ps.setArray(7, texts(c, unique.stream().map(e -> e.kind().name())));
                    ps.setArray(8, texts(c, unique.stream().map(OpenLineageEvent::sha256)));
                    ps.setArray(9, c.createArrayOf("integer", unique.stream().map(OpenLineageEvent::sizeBytes).toArray()));
                    // the canonical texts as one JSON array: no array-literal escaping of every character, and
                    // the server parses each event once, straight into the jsonb it stores
                    ps.setString(10, jsonArray(unique));
                    ps.setString(11, Instant.now(clock).toString());
                    ps.setString(12, receivedBy);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            (rs.getBoolean(3) ? created : existing).put(rs.getString(2), rs.getLong(1));
                        }
                    }
                }
                if (created.size() + existing.size() < unique.size()) {
                    // stored by a request that committed while this statement ran: visible to a new statement
                    try (PreparedStatement ps = c.prepareStatement(
                            "select id, content_sha256 from lineage_event where content_sha256 = any(?::bpchar[])")) {
                        ps.setArray(1, texts(c, unique.stream().map(OpenLineageEvent::sha256)
                                .filter(s -> !created.containsKey(s) && !existing.containsKey(s))));
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                existing.put(rs.getString(2), rs.getLong(1));
                            }
                        }
                    }
                }
                LineageProjection projection = new LineageProjection();
                unique.stream().filter(e -> created.containsKey(e.sha256())).forEach(projection::add);
                projection.write(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        List<Outcome> outcomes = new ArrayList<>(events.size());
        java.util.Set<String> reported = new java.util.HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            OpenLineageEvent e = events.get(i);
            boolean isNew = created.containsKey(e.sha256()) && reported.add(e.sha256());
            long id = created.containsKey(e.sha256()) ? created.get(e.sha256()) : existing.get(e.sha256());
            outcomes.add(new Outcome(i, id, isNew, e.kind().name(), e.sha256()));
        }
        return outcomes;
    }

    private static String jsonArray(List<OpenLineageEvent> events) {
        StringBuilder out = new StringBuilder(events.stream().mapToInt(e -> e.canonical().length() + 1).sum() + 2);
        out.append('[');
        for (int i = 0; i < events.size(); i++) {
            out.append(i == 0 ? "" : ",").append(events.get(i).canonical());
        }
        return out.append(']').toString();
    }

    private static java.sql.Array texts(Connection c, java.util.stream.Stream<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }
}
