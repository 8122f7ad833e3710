package com.finledger.integrity.warehouse;

import com.finledger.integrity.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The warehouse's load history as the control plane keeps it, and the curated snapshots of closed periods. */
@Path("/api/v1/warehouse")
@Produces(MediaType.APPLICATION_JSON)
public class WarehouseResource {

    @Inject
    LoadHistoryCapture loadHistory;

    @Inject
    PeriodSnapshots snapshots;

    @Inject
    SecurityIdentity identity;

    public record SnapshotRequest(String reason) {
    }

    @GET
    @Path("loads")
    @RolesAllowed({Roles.OPS, Roles.AUDITOR, Roles.ADMIN, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER})
    public List<LoadHistoryCapture.Load> loads(@QueryParam("table") @DefaultValue("") String table,
                                               @QueryParam("limit") @DefaultValue("200") int limit) {
        if (limit < 1 || limit > 5000) {
            throw new BadRequestException("limit must be 1..5000");
        }
        return loadHistory.loads(table, limit);
    }

    @POST
    @Path("loads/capture")
    @RolesAllowed({Roles.OPS, Roles.ADMIN, Roles.PIPELINE})
    public Map<String, Integer> capture() {
        return Map.of("captured", loadHistory.capture());
    }

    @GET
    @Path("snapshots/{period}")
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER})
    public List<PeriodSnapshots.Snapshot> snapshots(@PathParam("period") String period) {
        return snapshots.find(period(period), "");
    }

    @POST
    @Path("snapshots/{period}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.FINANCE_APPROVER, Roles.ADMIN})
    public List<PeriodSnapshots.Snapshot> snapshot(@PathParam("period") String period, SnapshotRequest body) {
        if (body == null || body.reason() == null || body.reason().isBlank()) {
            throw new BadRequestException("a period snapshot needs a 'reason' for the audit log");
        }
        return snapshots.snapshot(period(period), identity.getPrincipal().getName(), body.reason());
    }

    private static YearMonth period(String text) {
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("period must be YYYY-MM, not '" + text + "'");
        }
    }
}
