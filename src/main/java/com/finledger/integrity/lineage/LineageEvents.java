package com.finledger.integrity.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/** Validates and stores OpenLineage run events (the raw event first; projections come from it). */
@ApplicationScoped
public class LineageEvents {

    static final Set<String> EVENT_TYPES = Set.of("START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER");

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    public record Stored(long id, boolean created) {
    }

    public Stored store(JsonNode event, String receivedBy) {
        List<String> problems = validate(event);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("not a valid OpenLineage run event: " + String.join("; ", problems));
        }
        String runId = event.at("/run/runId").asText();
        String type = event.path("eventType").asText();
        OffsetDateTime time = OffsetDateTime.parse(event.path("eventTime").asText());
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into lineage_event (run_id, event_type, event_time, job_namespace, job_name, producer, event,
                                               received_at, received_by)
                    values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                    on conflict (run_id, event_type, event_time) do nothing returning id""")) {
                ps.setString(1, runId);
                ps.setString(2, type);
                ps.setTimestamp(3, Timestamp.from(time.toInstant()));
                ps.setString(4, event.at("/job/namespace").asText());
                ps.setString(5, event.at("/job/name").asText());
                ps.setString(6, event.path("producer").asText());
                ps.setString(7, event.toString());
                ps.setTimestamp(8, Timestamp.from(clock.instant()));
                ps.setString(9, receivedBy);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new Stored(rs.getLong(1), true);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "select id from lineage_event where run_id = ? and event_type = ? and event_time = ?")) {
                ps.setString(1, runId);
                ps.setString(2, type);
                ps.setTimestamp(3, Timestamp.from(time.toInstant()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Stored(rs.getLong(1), false);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the lineage event: " + e.getMessage(), e);
        }
    }

    /** The fields of the OpenLineage RunEvent we rely on, each reported with its JSON path. */
    static List<String> validate(JsonNode event) {
        List<String> problems = new ArrayList<>();
        if (event == null || !event.isObject()) {
            return List.of("the body must be a JSON object");
        }
        String type = event.path("eventType").asText("");
        if (!EVENT_TYPES.contains(type)) {
            problems.add("/eventType must be one of " + EVENT_TYPES.stream().sorted().toList() + ", not '" + type + "'");
        }
        try {
            OffsetDateTime.parse(event.path("eventTime").asText(""));
        } catch (DateTimeParseException e) {
            problems.add("/eventTime must be an ISO-8601 time with offset, not '" + event.path("eventTime").asText("")
                    + "'");
        }
        try {
            UUID.fromString(event.at("/run/runId").asText(""));
        } catch (IllegalArgumentException e) {
            problems.add("/run/runId must be a UUID");
        }
        for (String path : List.of("/job/namespace", "/job/name", "/producer")) {
            if (event.at(path).asText("").isBlank()) {
                problems.add(path + " is required");
            }
        }
        for (String list : List.of("inputs", "outputs")) {
            JsonNode datasets = event.path(list);
            if (!datasets.isMissingNode() && !datasets.isArray()) {
                problems.add("/" + list + " must be a list of datasets");
            } else {
                for (int i = 0; i < datasets.size(); i++) {
                    if (datasets.get(i).path("namespace").asText("").isBlank()
                            || datasets.get(i).path("name").asText("").isBlank()) {
                        problems.add("/" + list + "/" + i + " needs a namespace and a name");
                    }
                }
            }
        }
        return problems;
    }
}
