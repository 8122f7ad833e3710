package com.finledger.integrity.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.finledger.integrity.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * dbt runs that built the models: the local pipeline's, and in production Airflow's dbt task posting
 * {@code {"run_results": …, "manifest": …}} (the manifest optional) after each {@code dbt build}.
 */
@Path("/api/v1/dbt/runs")
@Produces(MediaType.APPLICATION_JSON)
public class DbtRunResource {

    @Inject
    DataSource dataSource;

    @Inject
    DbtArtifacts artifacts;

    @Inject
    SecurityIdentity identity;

    @Inject
    com.finledger.integrity.lineage.OwnLineage ownLineage;

    @GET
    @RolesAllowed({Roles.OPS, Roles.AUDITOR, Roles.PIPELINE, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER,
            Roles.ADMIN})
    public List<DbtArtifacts.InvocationRow> recent(@QueryParam("limit") @DefaultValue("20") int limit) {
        if (limit < 1 || limit > 200) {
            throw new IllegalArgumentException("limit must be 1..200");
        }
        try (Connection c = dataSource.getConnection()) {
            return artifacts.recent(c, limit);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read dbt runs: " + e.getMessage(), e);
        }
    }

    @GET
    @Path("/{invocationId}")
    @RolesAllowed({Roles.OPS, Roles.AUDITOR, Roles.PIPELINE, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER,
            Roles.ADMIN})
    public DbtArtifacts.InvocationRow one(@PathParam("invocationId") String invocationId) {
        try (Connection c = dataSource.getConnection()) {
            return artifacts.find(c, invocationId).orElseThrow(() ->
                    new NotFoundException("no dbt run " + invocationId));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read dbt runs: " + e.getMessage(), e);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.PIPELINE, Roles.ADMIN})
    public Response register(JsonNode body) {
        if (body == null || !body.isObject() || !body.has("run_results")) {
            throw new IllegalArgumentException("body must be {\"run_results\": <run_results.json>, "
                    + "\"manifest\": <manifest.json, optional>}");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                DbtArtifacts.Recorded recorded = artifacts.record(c, body.get("run_results"),
                        body.hasNonNull("manifest") ? body.get("manifest") : null, identity.getPrincipal().getName());
                c.commit();
                ownLineage.recordDbtInvocation(recorded.invocationId());
                return Response.status(recorded.duplicate() ? 200 : 201).entity(Map.of(
                        "invocationId", recorded.invocationId(), "duplicate", recorded.duplicate(),
                        "nodes", recorded.nodes(), "succeeded", recorded.succeeded())).build();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the dbt run: " + e.getMessage(), e);
        }
    }
}
