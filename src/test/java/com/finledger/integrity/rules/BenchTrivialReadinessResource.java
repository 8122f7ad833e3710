package com.finledger.integrity.rules;

import com.finledger.integrity.security.Roles;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Test-only baselines for IntegrityCoreBench's readiness poll: the same path shape, auth and execution model as
 * GET /api/v1/readiness/{dataset}/{partition}, answering a constant. {@code io} answers on the I/O thread like
 * a cache hit; {@code worker} hops to the default worker pool like a cache miss that goes to the database.
 */
@Path("/api/v1/bench/readiness-trivial")
@Produces(MediaType.APPLICATION_JSON)
public class BenchTrivialReadinessResource {

    @GET
    @Path("io/{dataset}/{partition}")
    @RolesAllowed({Roles.PIPELINE, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN})
    public Uni<Response> io(@PathParam("dataset") String dataset, @PathParam("partition") String partition) {
        return Uni.createFrom().item(answer(dataset, partition));
    }

    @GET
    @Path("worker/{dataset}/{partition}")
    @RolesAllowed({Roles.PIPELINE, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN})
    public Uni<Response> worker(@PathParam("dataset") String dataset, @PathParam("partition") String partition) {
        return Uni.createFrom().item(() -> answer(dataset, partition))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static Response answer(String dataset, String partition) {
        return Response.ok(Map.of("dataset", dataset, "partition", partition, "state", "READY", "ready", true,
                "version", 1)).build();
    }
}
