package com.finledger.integrity.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.finledger.integrity.platform.Pages;
import com.finledger.integrity.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The recovery console's pages: what needs recovering (with the actions that fit), a backfill form, the dry-run
 * preview of an action with its confirm button, and a job's progress. Only ops and admin; the API refuses
 * everyone else the same way.
 */
@Path("/recovery")
@RolesAllowed({Roles.OPS, Roles.ADMIN})
public class RecoveryPages {

    @Inject
    @Location("recovery.html")
    Template console;

    @Inject
    @Location("recovery-preview.html")
    Template previewPage;

    @Inject
    @Location("recovery-job.html")
    Template jobPage;

    @Inject
    RecoveryJobs jobs;

    @Inject
    ActionableItems items;

    @Inject
    SecurityIdentity identity;

    public record JobRow(long id, String action, String target, String state, String statusClass, int percent,
                         String step, String requestedBy, String requestedAt) {

        static JobRow of(RecoveryJob j) {
            return new JobRow(j.id, j.action, j.targetKey, j.state.name(), RecoveryPages.statusClass(j.state), j.percent(), j.stepLabel,
                    j.requestedBy, String.valueOf(j.requestedAt));
        }
    }

    public record StepRow(int number, String label, String state, String statusClass, String found) {
    }

    public record Param(String name, String value) {
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance console() {
        return Pages.page(console.data("items", items.all())
                .data("jobs", jobs.newest(20).stream().map(JobRow::of).toList())
                .data("actions", List.of(RecoveryAction.values())), identity, "/recovery");
    }

    @GET
    @Path("preview")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance preview(@Context UriInfo uri) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        String actionName = query.getFirst("action");
        Map<String, String> params = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (!k.equals("action") && !v.isEmpty() && !v.get(0).isBlank()) {
                params.put(k, v.get(0));
            }
        });
        RecoveryPlan plan = null;
        String error = null;
        RecoveryAction action = null;
        try {
            action = RecoveryAction.of(actionName == null ? "" : actionName);
            plan = jobs.preview(action, params);
        } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
            error = e.getMessage();
        }
        List<Param> hidden = new ArrayList<>();
        (plan == null ? params : plan.params()).forEach((k, v) -> hidden.add(new Param(k, v)));
        return Pages.page(previewPage.data("plan", plan).data("error", error)
                .data("action", action == null ? actionName : action.slug())
                .data("actionLabel", action == null ? "Recovery" : action.label())
                .data("params", hidden)
                .data("idempotencyKey", UUID.randomUUID().toString()), identity, "/recovery");
    }

    @POST
    @Path("jobs")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response submit(MultivaluedMap<String, String> form) {
        Map<String, String> params = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (k.startsWith("p.") && !v.isEmpty()) {
                params.put(k.substring(2), v.get(0));
            }
        });
        RecoveryJobs.Submitted s = jobs.submit(RecoveryAction.of(form.getFirst("action")), params,
                form.getFirst("idempotency_key"), form.getFirst("reason"), identity.getPrincipal().getName());
        return Response.seeOther(URI.create("/recovery/jobs/" + s.job().id)).build();
    }

    @GET
    @Path("jobs/{id}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance job(@PathParam("id") long id) {
        RecoveryJob j = jobs.find(id);
        List<RecoveryPlan.Step> planned = RecoveryJobs.readSteps(j.steps);
        JsonNode results = RecoveryJobs.read(j.result).path("steps");
        List<StepRow> rows = new ArrayList<>();
        Map<String, String> partitions = new LinkedHashMap<>();
        for (int i = 0; i < planned.size(); i++) {
            JsonNode r = results.path(i);
            String state = i < j.stepsDone ? (r.path("skipped").asBoolean() ? "skipped" : "done")
                    : i == j.stepsDone && j.state == RecoveryJob.State.RUNNING ? "running"
                    : i == j.stepsDone && j.state == RecoveryJob.State.FAILED ? "failed" : "waiting";
            String cls = switch (state) {
                case "done" -> "status-good";
                case "failed" -> "status-bad";
                case "running" -> "status-warn";
                default -> "status-neutral";
            };
            rows.add(new StepRow(i + 1, planned.get(i).label(), state, cls, r.isMissingNode() ? "" : found(r)));
            String date = planned.get(i).args().get("date");
            r.path("partitions").fields().forEachRemaining(e -> partitions.put(e.getKey() + " " + date, e.getValue().asText()));
        }
        List<Map<String, String>> evaluated = new ArrayList<>();
        partitions.forEach((k, v) -> evaluated.add(Map.of("partition", k, "state", v, "statusClass",
                v.startsWith("READY") ? "status-good" : v.equals("BLOCKED") || v.equals("ERROR") ? "status-bad" : "status-warn",
                "href", "/readiness/" + k.replace(' ', '/'))));
        return Pages.page(jobPage.data("job", JobRow.of(j)).data("j", j).data("steps", rows).data("evaluated", evaluated),
                identity, "/recovery");
    }

    @GET
    @Path("jobs/{id}.json")
    @Produces(MediaType.APPLICATION_JSON)
    public RecoveryResource.JobView jobJson(@PathParam("id") long id) {
        return RecoveryResource.JobView.of(jobs.find(id));
    }

    private static String found(JsonNode r) {
        List<String> parts = new ArrayList<>();
        r.fields().forEachRemaining(e -> {
            if (!List.of("kind", "label", "partitions").contains(e.getKey())) {
                parts.add(e.getKey().replace('_', ' ') + " " + e.getValue().asText());
            }
        });
        if (r.has("partitions")) {
            parts.add(r.path("partitions").size() + " partition(s) evaluated");
        }
        return String.join(" · ", parts);
    }

    static String statusClass(RecoveryJob.State s) {
        return switch (s) {
            case SUCCEEDED -> "status-good";
            case FAILED -> "status-bad";
            case RUNNING -> "status-warn";
            case QUEUED -> "status-neutral";
        };
    }
}
