package com.finledger.integrity.rules;

import com.finledger.integrity.readiness.ReadinessResource;
import com.finledger.integrity.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Quarantined rows of a partition, paginated, and their release by ops. */
@Path("/api/v1/quarantine/{dataset}/{partition}")
@Produces(MediaType.APPLICATION_JSON)
public class QuarantineResource {

    @Inject
    QuarantineService quarantine;

    @Inject
    ReadinessResource readiness;

    @Inject
    SecurityIdentity identity;

    public record ReleaseRequest(String rule, String reason) {
    }

    /** Quarantined rows are kept per business date; a window's verdict counts those of its date that fall in it. */
    private void businessDate(String dataset, String partition) {
        String date = readiness.requireKnown(dataset, partition).toString();
        if (!date.equals(partition)) {
            throw new IllegalArgumentException("quarantined rows are kept per business date: use /api/v1/quarantine/"
                    + dataset + "/" + date + " for the rows of window " + partition);
        }
    }

    @GET
    @RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN})
    public QuarantineService.Page quarantined(@PathParam("dataset") String dataset,
                                              @PathParam("partition") String partition, @QueryParam("rule") String rule,
                                              @QueryParam("page") @DefaultValue("0") int page,
                                              @QueryParam("pageSize") @DefaultValue("100") int pageSize) {
        businessDate(dataset, partition);
        if (page < 0 || pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("page must be >= 0 and pageSize between 1 and 1000");
        }
        return quarantine.list(dataset, partition, rule, page, pageSize);
    }

    @POST
    @Path("releases")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public Map<String, Object> release(@PathParam("dataset") String dataset, @PathParam("partition") String partition,
                                       ReleaseRequest body) {
        businessDate(dataset, partition);
        if (body == null || body.rule() == null) {
            throw new IllegalArgumentException("body must name the rule whose rows to release, with a reason");
        }
        return Map.of("released", quarantine.release(dataset, partition, body.rule(), identity.getPrincipal().getName(),
                body.reason()));
    }
}
