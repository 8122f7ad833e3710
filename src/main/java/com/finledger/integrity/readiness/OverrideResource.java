package com.finledger.integrity.readiness;

import com.finledger.integrity.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The second person's decision on an override; asking for one is on the partition's resource. */
@Path("/api/v1/overrides")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OverrideResource {

    @Inject
    OverrideService overrides;

    @Inject
    SecurityIdentity identity;

    @POST
    @Path("{id}/approve")
    @RolesAllowed({Roles.FINANCE_APPROVER, Roles.ADMIN})
    public OverrideService.Override approve(@PathParam("id") long id, ReadinessResource.Reason body) {
        return overrides.decide(id, identity.getPrincipal().getName(), true, body == null ? null : body.reason());
    }

    @POST
    @Path("{id}/reject")
    @RolesAllowed({Roles.FINANCE_APPROVER, Roles.ADMIN})
    public OverrideService.Override reject(@PathParam("id") long id, ReadinessResource.Reason body) {
        return overrides.decide(id, identity.getPrincipal().getName(), false, body == null ? null : body.reason());
    }
}
