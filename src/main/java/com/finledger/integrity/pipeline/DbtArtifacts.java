package com.finledger.integrity.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.platform.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * dbt's own artifacts of a run, taken in: {@code run_results.json} stored verbatim and projected per
 * node (status, rows changed, timing, message), with each node's relation and upstream nodes from
 * {@code manifest.json}. The local pipeline records its runs here; in production Airflow's dbt task
 * posts the same two files. An invocation is recorded once (dbt's invocation id); the same content
 * again is acknowledged, different content under the same id refused.
 */
@ApplicationScoped
public class DbtArtifacts {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AuditLog auditLog;

    @Inject
    Clock clock;

    /** What recording an invocation did. */
    public record Recorded(String invocationId, boolean duplicate, int nodes, boolean succeeded) {
    }

    public record NodeRow(String uniqueId, String resourceType, String relation, String status, Long rowsAffected,
                          BigDecimal executionSeconds, String message, List<String> dependsOn) {
    }

    public record InvocationRow(String invocationId, String command, String target, String dbtVersion,
                                java.time.Instant generatedAt, BigDecimal elapsedSeconds, boolean succeeded,
                                String registeredBy, java.time.Instant registeredAt, List<NodeRow> nodes) {
    }

    /** Records a local run from the files dbt wrote. */
    public Recorded record(Connection c, DbtRunner.Invocation invocation, String actor) throws SQLException {
        try {
            JsonNode runResults = JSON.readTree(Files.readString(invocation.runResults(), StandardCharsets.UTF_8));
            JsonNode manifest = Files.exists(invocation.manifest()) ? JSON.readTree(invocation.manifest().toFile())
                    : null;
            return record(c, runResults, manifest, actor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dbt artifacts: " + e.getMessage(), e);
        }
    }

    /** Records one invocation; refuses run results that are not dbt's (a specific error, nothing stored). */
    public Recorded record(Connection c, JsonNode runResults, JsonNode manifest, String actor) throws SQLException {
        List<String> problems = validate(runResults);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("not dbt run results: " + String.join("; ", problems));
        }
        JsonNode metadata = runResults.path("metadata");
        String invocationId = metadata.path("invocation_id").asText();
        String sha = Sha256.hex(runResults.toString().getBytes(StandardCharsets.UTF_8));
        try (PreparedStatement ps = c.prepareStatement(
                "select payload_sha256 from dbt_invocation where invocation_id = ?")) {
            ps.setString(1, invocationId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (!rs.getString(1).equals(sha)) {
                        throw new IllegalStateException("dbt invocation " + invocationId
                                + " was already recorded with different run results");
                    }
                    return new Recorded(invocationId, true, runResults.path("results").size(), succeeded(runResults));
                }
            }
        }
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        if (manifest != null) {
            manifest.path("nodes").fields().forEachRemaining(e -> nodes.put(e.getKey(), e.getValue()));
        }
        JsonNode args = runResults.path("args");
        boolean succeeded = succeeded(runResults);
        try (PreparedStatement ps = c.prepareStatement("""
                insert into dbt_invocation (invocation_id, command, target, dbt_version, generated_at, elapsed_seconds,
                                            succeeded, payload_sha256, run_results, registered_by, registered_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)""")) {
            ps.setString(1, invocationId);
            ps.setString(2, text(args, "which"));
            ps.setString(3, text(args, "target"));
            ps.setString(4, text(metadata, "dbt_version"));
            ps.setTimestamp(5, Optional.ofNullable(text(metadata, "generated_at"))
                    .map(t -> Timestamp.from(OffsetDateTime.parse(t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")
                            ? t : t + "Z").toInstant())).orElse(null));
            ps.setBigDecimal(6, runResults.path("elapsed_time").decimalValue());
            ps.setBoolean(7, succeeded);
            ps.setString(8, sha);
            ps.setString(9, runResults.toString());
            ps.setString(10, actor);
            ps.setTimestamp(11, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into dbt_node_result (invocation_id, unique_id, resource_type, relation, status, rows_affected,
                                             execution_seconds, message, depends_on)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (JsonNode r : runResults.path("results")) {
                String uniqueId = r.path("unique_id").asText();
                JsonNode node = nodes.get(uniqueId);
                JsonNode rows = r.path("adapter_response").path("rows_affected");
                List<String> dependsOn = new ArrayList<>();
                if (node != null) {
                    node.path("depends_on").path("nodes").forEach(n -> dependsOn.add(n.asText()));
                }
                ps.setString(1, invocationId);
                ps.setString(2, uniqueId);
                ps.setString(3, uniqueId.substring(0, Math.max(0, uniqueId.indexOf('.'))));
                ps.setString(4, node == null || node.path("relation_name").isNull() ? null : relation(node));
                ps.setString(5, r.path("status").asText());
                ps.setObject(6, rows.isNumber() ? rows.asLong() : null);
                ps.setBigDecimal(7, r.path("execution_time").decimalValue());
                ps.setString(8, r.path("message").isNull() ? null : r.path("message").asText(null));
                ps.setArray(9, c.createArrayOf("text", dependsOn.toArray()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("invocation_id", invocationId);
        details.put("nodes", runResults.path("results").size());
        details.put("succeeded", succeeded);
        auditLog.append(c, actor, "dbt.run_recorded", "dbt_invocation", invocationId, null, details);
        return new Recorded(invocationId, false, runResults.path("results").size(), succeeded);
    }

    public List<InvocationRow> recent(Connection c, int limit) throws SQLException {
        return invocations(c, "order by id desc limit ?", limit);
    }

    public Optional<InvocationRow> find(Connection c, String invocationId) throws SQLException {
        return invocations(c, "where invocation_id = ?", invocationId).stream().findFirst();
    }

    private List<InvocationRow> invocations(Connection c, String clause, Object parameter) throws SQLException {
        List<InvocationRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select invocation_id, command, target, dbt_version, generated_at, elapsed_seconds, succeeded,
                       registered_by, registered_at
                from dbt_invocation""" + " " + clause)) {
            ps.setObject(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp generated = rs.getTimestamp(5);
                    rows.add(new InvocationRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            generated == null ? null : generated.toInstant(), rs.getBigDecimal(6), rs.getBoolean(7),
                            rs.getString(8), rs.getTimestamp(9).toInstant(), nodes(c, rs.getString(1))));
                }
            }
        }
        return rows;
    }

    private static List<NodeRow> nodes(Connection c, String invocationId) throws SQLException {
        List<NodeRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select unique_id, resource_type, relation, status, rows_affected, execution_seconds, message, depends_on
                from dbt_node_result where invocation_id = ? order by unique_id""")) {
            ps.setString(1, invocationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new NodeRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            (Long) rs.getObject(5), rs.getBigDecimal(6), rs.getString(7),
                            List.of((String[]) rs.getArray(8).getArray())));
                }
            }
        }
        return rows;
    }

    private static List<String> validate(JsonNode runResults) {
        List<String> problems = new ArrayList<>();
        if (runResults == null || !runResults.isObject()) {
            return List.of("$: must be the JSON object of run_results.json");
        }
        if (!runResults.path("metadata").path("invocation_id").isTextual()
                || runResults.path("metadata").path("invocation_id").asText().isBlank()) {
            problems.add("$.metadata.invocation_id: required");
        }
        if (!runResults.path("results").isArray()) {
            problems.add("$.results: must be an array");
        } else {
            int i = 0;
            for (JsonNode r : runResults.path("results")) {
                if (!r.path("unique_id").isTextual() || !r.path("unique_id").asText().contains(".")) {
                    problems.add("$.results[" + i + "].unique_id: required (resource_type.package.name)");
                }
                if (!r.path("status").isTextual()) {
                    problems.add("$.results[" + i + "].status: required");
                }
                if (!r.path("execution_time").isNumber()) {
                    problems.add("$.results[" + i + "].execution_time: must be a number");
                }
                i++;
            }
        }
        return problems;
    }

    private static boolean succeeded(JsonNode runResults) {
        for (JsonNode r : runResults.path("results")) {
            if (!List.of("success", "pass", "skipped").contains(r.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    /** A node's relation as schema.table, without the database or quoting. */
    private static String relation(JsonNode node) {
        String schema = node.path("schema").asText("");
        String alias = node.path("alias").asText(node.path("name").asText(""));
        return (schema + "." + alias).toLowerCase();
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isValueNode() && !node.path(field).isNull() ? node.path(field).asText() : null;
    }
}
