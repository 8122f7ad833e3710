package com.finledger.integrity.breaks;

import com.finledger.integrity.breaks.BreakViews.BreakView;
import com.finledger.integrity.matching.MatchRule.Reason;
import com.finledger.integrity.matching.MatchRun;
import com.finledger.integrity.matching.MatchRunService;
import com.finledger.integrity.platform.Pages;
import com.finledger.integrity.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/** The ops break queue and a break's detail, with the forms of the workflow. */
@Path("/breaks")
@RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN})
public class BreakPages {

    @Inject
    @Location("breaks.html")
    Template queuePage;

    @Inject
    @Location("break.html")
    Template detailPage;

    @Inject
    BreakQueue queue;

    @Inject
    BreakService service;

    @Inject
    BreakDrillDown drillDown;

    @Inject
    MatchRunService runs;

    @Inject
    SecurityIdentity identity;

    @Inject
    Clock clock;

    public record Option(String value, String label, boolean selected) {
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance queue(@QueryParam("state") @DefaultValue("") String state,
                                  @QueryParam("processor") @DefaultValue("") String processor,
                                  @QueryParam("partner") @DefaultValue("") String partner,
                                  @QueryParam("reason") @DefaultValue("") String reason,
                                  @QueryParam("age") @DefaultValue("") String age,
                                  @QueryParam("min_amount") @DefaultValue("") String minAmount,
                                  @QueryParam("owner") @DefaultValue("") String owner,
                                  @QueryParam("page") @DefaultValue("0") int page) {
        BreakQueue.Filter filter = BreakResource.filter(state.isEmpty() ? List.of() : List.of(state), processor, partner,
                reason, age, minAmount, owner, null);
        BreakQueue.Result result = queue.search(filter, page);
        Instant now = clock.instant();
        List<BreakView> breaks = result.breaks().stream().map(b -> BreakView.of(b, now)).toList();
        String base = UriBuilder.fromPath("/breaks").queryParam("state", state).queryParam("processor", processor)
                .queryParam("partner", partner).queryParam("reason", reason).queryParam("age", age)
                .queryParam("min_amount", minAmount).queryParam("owner", owner).build().toString();
        return Pages.page(queuePage.data("breaks", breaks).data("total", result.total()).data("page", result.page())
                        .data("pages", result.pages()).data("pageBase", base)
                        .data("pageNumber", result.page() + 1).data("hasPrevious", result.page() > 0)
                        .data("previousPage", result.page() - 1).data("hasNext", result.page() + 1 < result.pages())
                        .data("nextPage", result.page() + 1)
                        .data("states", options(Arrays.stream(BreakCase.State.values()).map(Enum::name).toList(), state))
                        .data("reasons", options(Arrays.stream(Reason.values()).map(Enum::name).toList(), reason))
                        .data("ages", Arrays.stream(BreakQueue.AgeBucket.values())
                                .map(a -> new Option(a.name(), a.label, a.name().equals(age))).toList())
                        .data("processors", options(queue.distinct("processor"), processor))
                        .data("partners", options(queue.distinct("partner"), partner))
                        .data("owners", options(queue.distinct("owner"), owner))
                        .data("minAmount", minAmount)
                        .data("ageing", queue.ageing()).data("atRisk", queue.amountAtRisk())
                        .data("runs", MatchRun.recent(8))
                        .data("canWork", identity.hasRole(Roles.OPS) || identity.hasRole(Roles.ADMIN)),
                identity, "/breaks");
    }

    private static List<Option> options(List<String> values, String selected) {
        return values.stream().map(v -> new Option(v, v.toLowerCase().replace('_', ' '), v.equals(selected))).toList();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance detail(@PathParam("id") long id) {
        BreakCase b = service.find(id);
        String me = identity.getPrincipal().getName();
        boolean works = identity.hasRole(Roles.OPS) || identity.hasRole(Roles.ADMIN);
        boolean approves = identity.hasRole(Roles.FINANCE_APPROVER) || identity.hasRole(Roles.ADMIN);
        return Pages.page(detailPage.data("b", BreakView.of(b, clock.instant()))
                .data("history", BreakEvent.of(id)).data("sides", drillDown.of(b))
                .data("canWork", works)
                .data("canApprove", approves && b.writeOffRequestedBy != null && !b.writeOffRequestedBy.equals(me)),
                identity, "/breaks");
    }

    @POST
    @Path("/assign")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public Response assign(@FormParam("id") List<Long> ids, @FormParam("owner") String owner,
                           @FormParam("back") String back) {
        service.assign(ids, owner, identity.getPrincipal().getName());
        return Response.seeOther(URI.create(back != null && back.startsWith("/breaks") ? back : "/breaks")).build();
    }

    @POST
    @Path("/{id}/{action}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.OPS, Roles.FINANCE_APPROVER, Roles.ADMIN})
    public Response act(@PathParam("id") long id, @PathParam("action") String action, @FormParam("text") String text) {
        String me = identity.getPrincipal().getName();
        boolean works = identity.hasRole(Roles.OPS) || identity.hasRole(Roles.ADMIN);
        boolean approves = identity.hasRole(Roles.FINANCE_APPROVER) || identity.hasRole(Roles.ADMIN);
        switch (action) {
            case "investigate" -> need(works).investigate(id, me);
            case "comment" -> service.comment(id, text, me);
            case "resolve" -> need(works).resolve(id, text, me);
            case "write-off" -> need(works).requestWriteOff(id, text, me);
            case "approve-write-off" -> need(approves).approveWriteOff(id, text, me);
            case "reject-write-off" -> need(approves).rejectWriteOff(id, text, me);
            default -> throw new IllegalArgumentException("no action '" + action + "' on a break");
        }
        return Response.seeOther(URI.create("/breaks/" + id)).build();
    }

    private BreakService need(boolean allowed) {
        if (!allowed) {
            throw new SecurityException("your role may not do this to a break");
        }
        return service;
    }

    /** Ops run matching for a business date now (the schedules cover the recent windows and yesterday). */
    @POST
    @Path("/runs")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public Response run(@FormParam("date") String date) {
        LocalDate day;
        try {
            day = LocalDate.parse(date == null ? "" : date.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("date: a business date such as 2026-11-02, not '" + date + "'");
        }
        runs.runBusinessDate(day, identity.getPrincipal().getName());
        return Response.seeOther(URI.create("/breaks")).build();
    }
}
