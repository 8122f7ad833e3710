package com.finledger.integrity.lineage;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Map;

/**
 * An OpenLineage-compatible endpoint (the HTTP transport's {@code POST /api/v1/lineage}). Events
 * from Airflow and Glue are checked and stored verbatim; a malformed event gets a specific 400 and
 * nothing is stored.
 */
@Path("/api/v1/lineage")
public class OpenLineageResource {

    @Inject
    LineageEvents events;

    @Inject
    SecurityIdentity identity;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.PIPELINE, Roles.ADMIN})
    public Response receive(JsonNode event) {
        LineageEvents.Stored stored = events.store(event, identity.getPrincipal().getName());
        return Response.status(stored.created() ? 201 : 200)
                .entity(Map.of("id", stored.id(), "duplicate", !stored.created())).build();
    }
}
