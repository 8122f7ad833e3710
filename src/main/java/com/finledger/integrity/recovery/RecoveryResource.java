package com.finledger.integrity.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.finledger.integrity.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The recovery console's API: dry-run previews, jobs (idempotent per key), their progress, what needs recovering. */
@Path("/api/v1/recovery")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OPS, Roles.ADMIN})
public class RecoveryResource {

    @Inject
    RecoveryJobs jobs;

    @Inject
    ActionableItems items;

    @Inject
    SecurityIdentity identity;

    public record PreviewRequest(String action, Map<String, String> params) {
    }

    public record JobRequest(String action, Map<String, String> params, String idempotency_key, String reason) {
    }

    public record JobView(long id, String action, String target, JsonNode params, String state, int stepsDone,
                          int stepsTotal, int percent, String step, List<String> steps, JsonNode results, String error,
                          String requestedBy, Instant requestedAt, Instant startedAt, Instant finishedAt, int attempts,
                          String reason) {

        static JobView of(RecoveryJob j) {
            return new JobView(j.id, j.action, j.targetKey, RecoveryJobs.read(j.params), j.state.name(), j.stepsDone,
                    j.stepsTotal, j.percent(), j.stepLabel, RecoveryJobs.readSteps(j.steps).stream()
                    .map(RecoveryPlan.Step::label).toList(), RecoveryJobs.read(j.result).path("steps"), j.error,
                    j.requestedBy, j.requestedAt, j.startedAt, j.finishedAt, j.attempts, j.reason);
        }
    }

    /** The dry run: what the action would run and touch. Reads only. */
    @POST
    @Path("previews")
    @Consumes(MediaType.APPLICATION_JSON)
    public RecoveryPlan preview(PreviewRequest body) {
        if (body == null || body.action() == null) {
            throw new IllegalArgumentException("action: required");
        }
        return jobs.preview(RecoveryAction.of(body.action()), body.params() == null ? Map.of() : body.params());
    }

    /** 202 with a new job; 200 with the job an earlier request with this key (or on this target, still running) made. */
    @POST
    @Path("jobs")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(JobRequest body, @HeaderParam("Idempotency-Key") String keyHeader) {
        if (body == null || body.action() == null) {
            throw new IllegalArgumentException("action: required");
        }
        String key = body.idempotency_key() != null ? body.idempotency_key() : keyHeader;
        RecoveryJobs.Submitted s = jobs.submit(RecoveryAction.of(body.action()), body.params() == null ? Map.of() : body.params(),
                key, body.reason(), identity.getPrincipal().getName());
        return Response.status(s.created() ? 202 : 200).location(URI.create("/api/v1/recovery/jobs/" + s.job().id))
                .entity(JobView.of(s.job())).build();
    }

    @GET
    @Path("jobs")
    public List<JobView> list(@QueryParam("limit") Integer limit) {
        return jobs.newest(limit == null ? 50 : Math.max(1, Math.min(limit, 500))).stream().map(JobView::of).toList();
    }

    @GET
    @Path("jobs/{id}")
    public JobView job(@PathParam("id") long id) {
        return JobView.of(jobs.find(id));
    }

    @GET
    @Path("items")
    public List<ActionableItems.Item> items() {
        return items.all();
    }
}
