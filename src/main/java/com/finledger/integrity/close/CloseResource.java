package com.finledger.integrity.close;

import com.finledger.integrity.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/** The month-end close over JSON: periods, their checklist, the maker-checker steps and the evidence pack. */
@Path("/api/v1/close")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN})
public class CloseResource {

    @Inject
    CloseService service;

    @Inject
    CloseChecklist checklist;

    @Inject
    SecurityIdentity identity;

    @Inject
    CloseReruns reruns;

    public record PeriodView(String period, String state, String stateLabel, int signoffRound, String signedOffBy,
                             Instant signedOffAt, String signoffNote, String approvedBy, Instant approvedAt,
                             String rejectedBy, Instant rejectedAt, String rejectionReason, String reopenRequestedBy,
                             Instant reopenRequestedAt, String reopenCause, String evidenceSeal) {

        static PeriodView of(ClosePeriod p) {
            String seal = p.signoffRound == 0 ? null
                    : CloseEvidence.of(p.id, p.signoffRound).map(e -> e.sealSha256).orElse(null);
            return new PeriodView(p.period, p.state.name(), p.state.label(), p.signoffRound, p.signedOffBy, p.signedOffAt,
                    p.signoffNote, p.approvedBy, p.approvedAt, p.rejectedBy, p.rejectedAt, p.rejectionReason,
                    p.reopenRequestedBy, p.reopenRequestedAt, p.reopenCause, seal);
        }
    }

    public record SignedTotal(String dataset, String partition, String layer, long rows, Long distinctKeys,
                              Long keyFingerprint, String amounts) {
    }

    public record EventView(Instant at, String actor, String step, String from, String to, String reason) {
    }

    public record Detail(PeriodView period, CloseChecklist.Checklist checklist, List<SignedTotal> signedTotals,
                         List<EventView> history) {
    }

    public record StepRequest(String reason, String note) {
    }

    @GET
    public List<PeriodView> periods() {
        return ClosePeriod.newestFirst().stream().map(PeriodView::of).toList();
    }

    @GET
    @Path("{period}")
    public Detail detail(@PathParam("period") String period) {
        YearMonth month = CloseService.month(period);
        ClosePeriod p = ClosePeriod.byPeriod(month.toString()).orElse(null);
        if (p == null) {
            return new Detail(null, checklist.of(month), List.of(), List.of());
        }
        return new Detail(PeriodView.of(p), checklist.of(month), signed(p, p.signoffRound), history(p));
    }

    static List<SignedTotal> signed(ClosePeriod p, int round) {
        return CloseSignedTotal.of(p.id, round).stream().map(t -> new SignedTotal(t.dataset, t.partitionKey, t.layer,
                t.rowCount, t.distinctKeys, t.keyFingerprint, t.amounts)).toList();
    }

    static List<EventView> history(ClosePeriod p) {
        return CloseEvent.of(p.id).stream().map(e -> new EventView(e.occurredAt, e.actor, e.kind, e.fromState, e.toState,
                e.reason)).toList();
    }

    @POST
    @Path("{period}/sign-off")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.FINANCE_PREPARER, Roles.ADMIN})
    public PeriodView signOff(@PathParam("period") String period, StepRequest body) {
        return PeriodView.of(service.signOff(CloseService.month(period), me(), body == null ? null : body.note()));
    }

    @POST
    @Path("{period}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.FINANCE_APPROVER, Roles.ADMIN})
    public PeriodView approve(@PathParam("period") String period, StepRequest body) {
        return PeriodView.of(service.approve(CloseService.month(period), me(), body == null ? null : body.note()));
    }

    @POST
    @Path("{period}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.FINANCE_APPROVER, Roles.ADMIN})
    public PeriodView reject(@PathParam("period") String period, StepRequest body) {
        return PeriodView.of(service.reject(CloseService.month(period), me(), body == null ? null : body.reason()));
    }

    @POST
    @Path("{period}/reopen")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
    public PeriodView requestReopen(@PathParam("period") String period, StepRequest body) {
        return PeriodView.of(service.requestReopen(CloseService.month(period), me(), body == null ? null : body.reason()));
    }

    @POST
    @Path("{period}/reopen/{decision: approve|reject}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.FINANCE_APPROVER, Roles.ADMIN})
    public PeriodView decideReopen(@PathParam("period") String period, @PathParam("decision") String decision,
                                   StepRequest body) {
        return PeriodView.of(service.decideReopen(CloseService.month(period), me(), decision.equals("approve"),
                body == null ? null : body.reason()));
    }

    @GET
    @Path("{period}/evidence")
    @Produces("application/zip")
    public Response evidence(@PathParam("period") String period) {
        YearMonth month = CloseService.month(period);
        ClosePeriod p = service.find(month);
        CloseEvidence e = CloseEvidence.of(p.id, p.signoffRound).orElseThrow(() -> new java.util.NoSuchElementException(
                "no evidence pack for " + month + " yet: it is sealed when the period is approved"));
        return Response.ok(e.archive).header("Content-Disposition", "attachment; filename=\"finledger-close-" + p.period
                + "-round-" + p.signoffRound + ".zip\"").header("X-Evidence-Seal", e.sealSha256).build();
    }

    public record RerunView(long id, String period, int signoffRound, String state, int stepsDone, int stepsTotal,
                            int percent, String step, String requestedBy, Instant requestedAt, Instant startedAt,
                            Instant finishedAt, Long rerunMillis, int attempts, com.fasterxml.jackson.databind.JsonNode result,
                            String error) {

        static RerunView of(CloseRerun r, String period) {
            try {
                return new RerunView(r.id, period, r.signoffRound, r.state.name(), r.stepsDone, r.stepsTotal, r.percent(),
                        r.stepLabel, r.requestedBy, r.requestedAt, r.startedAt, r.finishedAt, r.rerunMillis, r.attempts,
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.result == null ? "{}" : r.result), r.error);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Rebuilds the signed month from its pinned raw objects into scratch schemas and compares (a job; poll it). */
    @POST
    @Path("{period}/reruns")
    @RolesAllowed({Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
    public Response startRerun(@PathParam("period") String period) {
        YearMonth month = CloseService.month(period);
        CloseRerun r = reruns.start(month, me());
        return Response.status(Response.Status.ACCEPTED).entity(RerunView.of(reruns.find(r.id), month.toString()))
                .header("Location", "/api/v1/close/" + month + "/reruns/" + r.id).build();
    }

    @GET
    @Path("{period}/reruns/{id: [0-9]+}")
    public RerunView rerun(@PathParam("period") String period, @PathParam("id") long id) {
        YearMonth month = CloseService.month(period);
        CloseRerun r = reruns.find(id);
        if (r.periodId != service.find(month).id) {
            throw new java.util.NoSuchElementException("rerun " + id + " is not a rerun of " + month);
        }
        return RerunView.of(r, month.toString());
    }

    @GET
    @Path("{period}/reruns/latest")
    public RerunView latestRerun(@PathParam("period") String period) {
        YearMonth month = CloseService.month(period);
        CloseRerun r = reruns.latest(service.find(month).id)
                .orElseThrow(() -> new java.util.NoSuchElementException("no rerun of " + month + " yet"));
        return RerunView.of(r, month.toString());
    }

    /** Checks an evidence archive as the documented offline command does. */
    @POST
    @Path("evidence/verify")
    @Consumes({"application/zip", MediaType.APPLICATION_OCTET_STREAM})
    public EvidencePack.Verification verify(byte[] archive) {
        return EvidencePack.verify(archive);
    }

    private String me() {
        return identity.getPrincipal().getName();
    }
}
