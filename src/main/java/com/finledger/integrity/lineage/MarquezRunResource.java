package com.finledger.integrity.lineage;

import com.finledger.integrity.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Marquez's {@code GET /api/v1/jobs/runs/{id}}: one run in Marquez's shape. */
@Path("/api/v1/jobs/runs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.AUDITOR, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
public class MarquezRunResource {

    @Inject
    MarquezViews views;

    @GET
    @Path("{id}")
    public Map<String, Object> run(@PathParam("id") String id) {
        return views.run(OpenLineageResource.uuid(id));
    }
}
