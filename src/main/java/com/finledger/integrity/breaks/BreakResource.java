package com.finledger.integrity.breaks;

import com.finledger.integrity.breaks.BreakCase.State;
import com.finledger.integrity.breaks.BreakViews.BreakView;
import com.finledger.integrity.matching.MatchRule.Reason;
import com.finledger.integrity.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Breaks over the JSON API: the queue with its filters, one break with its history and rows, the workflow. */
@Path("/api/v1/breaks")
@Produces(MediaType.APPLICATION_JSON)
public class BreakResource {

    static final String[] READERS = {Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR,
            Roles.ADMIN};

    @Inject
    BreakService service;

    @Inject
    BreakQueue queue;

    @Inject
    BreakDrillDown drillDown;

    @Inject
    SecurityIdentity identity;

    @Inject
    Clock clock;

    public record QueuePage(List<BreakView> breaks, long total, int page, int pages,
                            List<BreakQueue.AgeCount> ageing, List<BreakQueue.CurrencyAmount> amountAtRisk) {
    }

    public record EventView(Instant at, String actor, String kind, String from, String to, String comment, Long runId) {

        static EventView of(BreakEvent e) {
            return new EventView(e.occurredAt, e.actor, e.kind, e.fromState, e.toState, e.comment, e.runId);
        }
    }

    public record Detail(BreakView breakCase, List<EventView> history, List<BreakDrillDown.SideRows> sides) {
    }

    public record AssignRequest(List<Long> ids, String owner) {
    }

    public record TextRequest(String comment, String resolution, String reason) {
    }

    @GET
    @RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN})
    public QueuePage list(@QueryParam("state") List<String> states, @QueryParam("processor") String processor,
                          @QueryParam("partner") String partner, @QueryParam("reason") String reason,
                          @QueryParam("age") String age, @QueryParam("min_amount") String minAmount,
                          @QueryParam("owner") String owner, @QueryParam("rule") String rule,
                          @QueryParam("page") @DefaultValue("0") int page) {
        BreakQueue.Filter filter = filter(states, processor, partner, reason, age, minAmount, owner, rule);
        BreakQueue.Result result = queue.search(filter, page);
        Instant now = clock.instant();
        return new QueuePage(result.breaks().stream().map(b -> BreakView.of(b, now)).toList(), result.total(),
                result.page(), result.pages(), queue.ageing(), queue.amountAtRisk());
    }

    static BreakQueue.Filter filter(List<String> states, String processor, String partner, String reason, String age,
                                    String minAmount, String owner, String rule) {
        List<State> parsedStates = new ArrayList<>();
        for (String s : states == null ? List.<String>of() : states) {
            if (!blank(s)) {
                parsedStates.add(parse(State.class, s, "state"));
            }
        }
        BigDecimal amount = null;
        if (!blank(minAmount)) {
            try {
                amount = new BigDecimal(minAmount.trim().replace(",", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("min_amount: '" + minAmount + "' is not an amount such as 1000.00");
            }
        }
        return new BreakQueue.Filter(parsedStates, orNull(processor), orNull(partner),
                blank(reason) ? null : parse(Reason.class, reason, "reason"),
                blank(age) ? null : parse(BreakQueue.AgeBucket.class, age, "age"), amount, orNull(owner), orNull(rule));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String raw, String field) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(raw.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException(field + ": '" + raw + "' is not one of "
                + java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String orNull(String s) {
        return blank(s) ? null : s.trim();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN})
    public Detail detail(@PathParam("id") long id) {
        BreakCase b = service.find(id);
        return new Detail(BreakView.of(b, clock.instant()), BreakEvent.of(id).stream().map(EventView::of).toList(),
                drillDown.of(b));
    }

    @POST
    @Path("/assign")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public List<BreakView> assign(AssignRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("$: a body {\"ids\": [...], \"owner\": \"...\"} is required");
        }
        Instant now = clock.instant();
        return service.assign(request.ids(), request.owner(), actor()).stream().map(b -> BreakView.of(b, now)).toList();
    }

    @POST
    @Path("/{id}/investigate")
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public BreakView investigate(@PathParam("id") long id) {
        return BreakView.of(service.investigate(id, actor()), clock.instant());
    }

    @POST
    @Path("/{id}/comments")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPS, Roles.FINANCE_APPROVER, Roles.ADMIN})
    public BreakView comment(@PathParam("id") long id, TextRequest body) {
        return BreakView.of(service.comment(id, body == null ? null : body.comment(), actor()), clock.instant());
    }

    @POST
    @Path("/{id}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public BreakView resolve(@PathParam("id") long id, TextRequest body) {
        return BreakView.of(service.resolve(id, body == null ? null : body.resolution(), actor()), clock.instant());
    }

    @POST
    @Path("/{id}/write-off")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public BreakView requestWriteOff(@PathParam("id") long id, TextRequest body) {
        return BreakView.of(service.requestWriteOff(id, body == null ? null : body.reason(), actor()), clock.instant());
    }

    @POST
    @Path("/{id}/write-off/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.FINANCE_APPROVER, Roles.ADMIN})
    public BreakView approveWriteOff(@PathParam("id") long id, TextRequest body) {
        return BreakView.of(service.approveWriteOff(id, body == null ? null : body.comment(), actor()), clock.instant());
    }

    @POST
    @Path("/{id}/write-off/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.FINANCE_APPROVER, Roles.ADMIN})
    public BreakView rejectWriteOff(@PathParam("id") long id, TextRequest body) {
        return BreakView.of(service.rejectWriteOff(id, body == null ? null : body.reason(), actor()), clock.instant());
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }
}
