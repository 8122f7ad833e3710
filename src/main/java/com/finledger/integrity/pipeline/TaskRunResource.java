package com.finledger.integrity.pipeline;

import com.finledger.integrity.platform.Sha256;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.controls.Amounts;
import com.finledger.integrity.readiness.ReadinessCache;
import com.finledger.integrity.readiness.ReadinessResource;
import com.finledger.integrity.readiness.ReadinessService;
import com.finledger.integrity.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Airflow tasks report the loads and transforms they ran. A report is stored once per idempotency
 * key (dag, run, task, map index): the same report again is acknowledged, a different report under
 * the same key is refused, unless it says it supersedes the earlier one (a cleared task that
 * reloaded): then it is stored beside it, keyed by its content too, so the corrected reload is itself
 * recorded once however often it is retried. A successful load marks its partition as having new data.
 */
@Path("/api/v1/runs")
public class TaskRunResource {

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final Set<String> STATUSES = Set.of("SUCCESS", "FAILED");

    @Inject
    DataSource dataSource;

    @Inject
    ReadinessResource readinessApi;

    @Inject
    ReadinessService readiness;

    @Inject
    ReadinessCache cache;

    @Inject
    AuditLog auditLog;

    @Inject
    SecurityIdentity identity;

    @Inject
    Clock clock;

    public record TaskRunReport(String dagId, String runId, String taskId, Integer mapIndex, String dataset,
                                String partition, String status, Long rowCount, Map<String, String> amounts,
                                Boolean supersede) {

        String idempotencyKey() {
            return dagId + "/" + runId + "/" + taskId + "/" + (mapIndex == null ? -1 : mapIndex);
        }

        boolean supersedes() {
            return Boolean.TRUE.equals(supersede);
        }

        /** What the payload hash covers: the report without the supersede flag (hashes stored before it stay valid). */
        Content content() {
            return new Content(dagId, runId, taskId, mapIndex, dataset, partition, status, rowCount, amounts);
        }
    }

    record Content(String dagId, String runId, String taskId, Integer mapIndex, String dataset, String partition,
                   String status, Long rowCount, Map<String, String> amounts) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.PIPELINE, Roles.ADMIN})
    public Response register(TaskRunReport report) {
        validate(report);
        Amounts amounts = new Amounts();
        if (report.amounts() != null) {
            report.amounts().forEach((currency, value) -> amounts.add(currency, new BigDecimal(value)));
        }
        String sha = sha256(report);
        String user = identity.getPrincipal().getName();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                String key = report.idempotencyKey();
                String[] existing = find(c, key);
                Long superseded = null;
                if (existing == null && report.supersedes()) {
                    // the correction overtook the report it corrects (a redelivery out of order): it is stored
                    // under its correction key now, so the original, when it comes, lands beside it as in order
                    key = key + "#" + sha.substring(0, 16);
                    existing = find(c, key);
                } else if (existing != null && !existing[1].equals(sha)) {
                    if (!report.supersedes()) {
                        c.rollback();
                        throw new IllegalStateException("task run " + key
                                + " was already reported with different content");
                    }
                    superseded = Long.valueOf(existing[0]);
                    key = key + "#" + sha.substring(0, 16);
                    existing = find(c, key);
                }
                if (existing != null) {
                    c.rollback();
                    return Response.ok(Map.of("id", Long.valueOf(existing[0]), "idempotencyKey", key,
                            "duplicate", true)).build();
                }
                long id = insert(c, key, report, amounts, sha, user);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("task_run_id", id);
                details.put("idempotency_key", key);
                if (superseded != null) {
                    details.put("supersedes_task_run_id", superseded);
                }
                details.put("status", report.status());
                details.put("row_count", report.rowCount());
                details.put("amounts", amounts.asMap());
                auditLog.append(c, user, "task_run.reported", "partition", report.dataset() + "/" + report.partition(),
                        null, details);
                if (report.status().equals("SUCCESS")) {
                    readiness.dataArrived(c, report.dataset(), report.partition(), user,
                            "task " + key + " loaded data");
                }
                c.commit();
                cache.invalidate(report.dataset(), report.partition());
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("id", id);
                body.put("idempotencyKey", key);
                body.put("duplicate", false);
                if (superseded != null) {
                    body.put("supersedes", superseded);
                }
                return Response.status(201).entity(body).build();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the task run: " + e.getMessage(), e);
        }
    }

    private void validate(TaskRunReport r) {
        if (r == null) {
            throw new IllegalArgumentException("body must be a task run report");
        }
        for (var field : new String[][] {{"dagId", r.dagId()}, {"runId", r.runId()}, {"taskId", r.taskId()},
                {"dataset", r.dataset()}, {"partition", r.partition()}, {"status", r.status()}}) {
            if (field[1] == null || field[1].isBlank()) {
                throw new IllegalArgumentException(field[0] + " is required");
            }
        }
        if (!STATUSES.contains(r.status())) {
            throw new IllegalArgumentException("status must be SUCCESS or FAILED, not '" + r.status() + "'");
        }
        if (r.rowCount() != null && r.rowCount() < 0) {
            throw new IllegalArgumentException("rowCount must not be negative");
        }
        if (r.amounts() != null) {
            r.amounts().forEach((currency, value) -> {
                try {
                    if (new BigDecimal(value).scale() > 0) {
                        throw new IllegalArgumentException("amounts." + currency
                                + " must be whole minor units, not " + value);
                    }
                } catch (NumberFormatException | NullPointerException e) {
                    throw new IllegalArgumentException("amounts." + currency + " must be a number of minor units as a "
                            + "string, not " + value);
                }
            });
        }
        readinessApi.requireKnown(r.dataset(), r.partition());
    }

    /** The id and payload hash of the report stored under {@code key}, locked; null when there is none. */
    private static String[] find(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select id, payload_sha256 from task_run where idempotency_key = ? for update")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {String.valueOf(rs.getLong(1)), rs.getString(2)} : null;
            }
        }
    }

    private long insert(Connection c, String key, TaskRunReport r, Amounts amounts, String sha, String user)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into task_run (idempotency_key, dag_id, run_id, task_id, map_index, dataset, partition_key, status,
                                      row_count, amounts, payload_sha256, reported_by, reported_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) returning id""")) {
            ps.setString(1, key);
            ps.setString(2, r.dagId());
            ps.setString(3, r.runId());
            ps.setString(4, r.taskId());
            ps.setInt(5, r.mapIndex() == null ? -1 : r.mapIndex());
            ps.setString(6, r.dataset());
            ps.setString(7, r.partition());
            ps.setString(8, r.status());
            ps.setObject(9, r.rowCount());
            ps.setString(10, amounts.toJson());
            ps.setString(11, sha);
            ps.setString(12, user);
            ps.setTimestamp(13, Timestamp.from(clock.instant()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String sha256(TaskRunReport r) {
        try {
            Map<String, Object> canonical = new TreeMap<>();
            canonical.put("report", r.content());
            byte[] json = CANONICAL.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8);
            return Sha256.hex(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
