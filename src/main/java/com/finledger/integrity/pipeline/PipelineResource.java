package com.finledger.integrity.pipeline;

import com.finledger.integrity.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Machine and operator trigger for the local pipeline. */
@Path("/api/v1/pipeline/runs")
@Produces(MediaType.APPLICATION_JSON)
public class PipelineResource {

    @Inject
    LocalPipelineRunner runner;

    @Inject
    SecurityIdentity identity;

    @POST
    @RolesAllowed({Roles.PIPELINE, Roles.OPS, Roles.ADMIN})
    public LocalPipelineRunner.PipelineRun run() {
        return runner.run(identity.getPrincipal().getName());
    }
}
