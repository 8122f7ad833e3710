package com.finledger.integrity.overview;

import com.finledger.integrity.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The overview's numbers for machines. */
@Path("/api/v1/overview")
@Produces(MediaType.APPLICATION_JSON)
public class OverviewResource {

    @Inject
    LayerCounts layerCounts;

    @GET
    @RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.PIPELINE,
            Roles.ADMIN})
    public List<LayerCounts.PartitionCounts> counts() {
        return layerCounts.all();
    }
}
