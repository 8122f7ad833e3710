package com.finledger.integrity.readiness;

import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.platform.Pages;
import com.finledger.integrity.rules.QuarantineService;
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
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The readiness board, a partition's detail, and its quarantined rows; with the forms that act on them. */
@Path("/readiness")
@RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN})
public class ReadinessPages {

    static final int BOARD_PARTITIONS = 7;
    static final int QUARANTINE_PAGE = 50;

    @Inject
    @Location("readiness-board.html")
    Template board;

    @Inject
    @Location("readiness-partition.html")
    Template partitionPage;

    @Inject
    @Location("readiness-quarantine.html")
    Template quarantinePage;

    @Inject
    ReadinessService readiness;

    @Inject
    PartitionDetail detail;

    @Inject
    PartitionEvaluator evaluator;

    @Inject
    OverrideService overrides;

    @Inject
    QuarantineService quarantine;

    @Inject
    ReadinessResource api;

    @Inject
    CatalogService catalogService;

    @Inject
    SecurityIdentity identity;

    /**
     * One board row: a dataset and its state on each of the board's dates ("—" where none); for a
     * dataset cut into micro-batch windows also how many of each date's windows are usable.
     */
    public record BoardRow(String dataset, String kind, String slaClass, List<PartitionReadiness> cells,
                           List<String> windows) {
    }

    /** A window partition on its date's page: its state and the first reason it is blocked. */
    public record WindowRow(PartitionReadiness readiness, String firstBlock, int moreBlocks,
                            List<Reasons.Reason> reasons) {
    }

    static final int WINDOWS_PAGE = 48;

    /** Worst first: blocked, then not yet usable, then ready with an exception, then ready. */
    static int rank(ReadinessState s) {
        return switch (s) {
            case BLOCKED -> 0;
            case REOPENED, PENDING, LOADING, VALIDATING -> 1;
            case READY_WITH_EXCEPTION -> 2;
            case READY -> 3;
        };
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance board(@QueryParam("state") String state) {
        List<PartitionReadiness> recent = readiness.recent(BOARD_PARTITIONS);
        TreeSet<String> dates = new TreeSet<>();
        Map<String, PartitionReadiness> byKey = new TreeMap<>();
        for (PartitionReadiness r : recent) {
            dates.add(r.partition());
            byKey.put(r.dataset() + "/" + r.partition(), r);
        }
        List<String> columns = new ArrayList<>(dates.descendingSet()).subList(0, Math.min(BOARD_PARTITIONS, dates.size()));
        Catalog catalog = catalogService.catalog();
        Map<String, long[]> windowCounts = readiness.windowCounts();
        List<BoardRow> rows = new ArrayList<>();
        java.util.function.Function<String, List<String>> windowNotes = dataset -> columns.stream().map(p -> {
            long[] n = windowCounts.get(dataset + "/" + p);
            return n == null ? "" : n[1] + " of " + n[0] + " windows ready";
        }).toList();
        catalog.datasets().forEach(d -> rows.add(new BoardRow(d.name(), "source", d.slaClass().name().toLowerCase(),
                columns.stream().map(p -> byKey.get(d.name() + "/" + p)).toList(), windowNotes.apply(d.name()))));
        catalog.curated().forEach(c -> rows.add(new BoardRow(c.name(), "curated", c.slaClass().name().toLowerCase(),
                columns.stream().map(p -> byKey.get(c.name() + "/" + p)).toList(), windowNotes.apply(c.name()))));
        // the home page's counts link here filtered: only the datasets with a partition in that state
        List<BoardRow> shown = state == null || state.isBlank() ? rows : rows.stream().filter(r -> r.cells().stream()
                .anyMatch(c -> c != null && c.state().name().equalsIgnoreCase(state.trim()))).toList();
        return Pages.page(board.data("columns", columns).data("rows", shown).data("state", state == null ? "" : state),
                identity, "/readiness");
    }

    @GET
    @Path("{dataset}/{partition}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance partition(@PathParam("dataset") String dataset, @PathParam("partition") String partition,
                                      @QueryParam("wpage") @DefaultValue("0") int windowPage) {
        String date = api.requireKnown(dataset, partition).toString();
        PartitionReadiness r = readiness.find(dataset, partition).orElse(null);
        List<WindowRow> windows = new ArrayList<>();
        if (partition.equals(date)) {
            for (PartitionReadiness w : readiness.windows(dataset, date)) {
                var blocking = ReadinessResource.parse(w.checksSummary()).path("blocking");
                List<Reasons.Reason> reasons = Reasons.of(blocking, dataset, date);
                windows.add(new WindowRow(w, reasons.isEmpty() ? "" : reasons.get(0).text(),
                        Math.max(0, reasons.size() - 1), reasons));
            }
            windows.sort(java.util.Comparator.comparingInt((WindowRow w) -> rank(w.readiness().state()))
                    .thenComparing(w -> w.readiness().partition()));
        }
        int windowPages = Math.max(1, (windows.size() + WINDOWS_PAGE - 1) / WINDOWS_PAGE);
        int wp = Math.min(Math.max(0, windowPage), windowPages - 1);
        long windowsBlocked = windows.stream().filter(w -> w.readiness().state() == ReadinessState.BLOCKED).count();
        List<WindowRow> windowsShown = windows.subList(Math.min(windows.size(), wp * WINDOWS_PAGE),
                Math.min(windows.size(), (wp + 1) * WINDOWS_PAGE));
        long evaluation = r == null || r.lastEvaluationId() == null ? -1 : r.lastEvaluationId();
        String user = identity.getPrincipal().getName();
        return Pages.page(partitionPage.data("dataset", dataset).data("partition", partition).data("readiness", r)
                .data("businessDate", date).data("isWindow", !partition.equals(date)).data("windows", windowsShown)
                .data("windowCount", windows.size())
                .data("windowStates", windows.stream().sorted(java.util.Comparator.comparing(
                        (WindowRow w) -> w.readiness().partition())).map(w -> w.readiness().partition().substring(
                        w.readiness().partition().indexOf('T') + 1) + "=" + w.readiness().state().name())
                        .collect(java.util.stream.Collectors.joining(" "))).data("windowsBlocked", windowsBlocked)
                .data("windowPage", wp).data("windowPages", windowPages)
                .data("hasPreviousWindows", wp > 0).data("previousWindows", wp - 1)
                .data("hasNextWindows", wp + 1 < windowPages).data("nextWindows", wp + 1)
                .data("reasons", r == null ? List.of() : Reasons.of(ReadinessResource.parse(r.checksSummary())
                        .path("blocking"), dataset, date))
                .data("checks", r == null ? null : ReadinessResource.parse(r.checksSummary()))
                .data("controls", detail.controls(evaluation))
                .data("rules", detail.rules(evaluation))
                .data("totals", detail.totals(evaluation))
                .data("overrides", overrides.forPartition(dataset, partition))
                .data("user", user)
                .data("canEvaluate", identity.hasRole(Roles.OPS) || identity.hasRole(Roles.ADMIN))
                .data("canRequest", r != null && r.state() == ReadinessState.BLOCKED && (identity.hasRole(Roles.OPS)
                        || identity.hasRole(Roles.FINANCE_PREPARER) || identity.hasRole(Roles.ADMIN)))
                .data("canDecide", identity.hasRole(Roles.FINANCE_APPROVER) || identity.hasRole(Roles.ADMIN)),
                identity, "/readiness");
    }

    @GET
    @Path("{dataset}/{partition}/quarantine")
    @Produces(MediaType.TEXT_HTML)
    public Object quarantine(@PathParam("dataset") String dataset, @PathParam("partition") String partition,
                             @QueryParam("rule") String rule, @QueryParam("page") @DefaultValue("0") int page) {
        String date = api.requireKnown(dataset, partition).toString();
        if (!date.equals(partition)) {
            // quarantined rows are kept per business date: a window's page links to its date's rows
            return Response.seeOther(URI.create("/readiness/" + dataset + "/" + date + "/quarantine"
                    + (rule == null || rule.isBlank() ? "" : "?rule=" + java.net.URLEncoder.encode(rule,
                    java.nio.charset.StandardCharsets.UTF_8)))).build();
        }
        QuarantineService.Page rows = quarantine.list(dataset, partition, rule == null || rule.isBlank() ? null : rule,
                Math.max(0, page), QUARANTINE_PAGE);
        return Pages.page(quarantinePage.data("dataset", dataset).data("partition", partition)
                .data("rule", rule == null ? "" : rule).data("page", rows)
                .data("groups", quarantine.byRule(dataset, partition))
                .data("canRelease", identity.hasRole(Roles.OPS) || identity.hasRole(Roles.ADMIN)), identity, "/readiness");
    }

    @POST
    @Path("{dataset}/{partition}/evaluate")
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public Response evaluate(@PathParam("dataset") String dataset, @PathParam("partition") String partition) {
        evaluator.evaluate(dataset, api.requireKnown(dataset, partition), identity.getPrincipal().getName());
        return back(dataset, partition);
    }

    @POST
    @Path("{dataset}/{partition}/override")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.ADMIN})
    public Response requestOverride(@PathParam("dataset") String dataset, @PathParam("partition") String partition,
                                    @FormParam("reason") String reason) {
        api.requireKnown(dataset, partition);
        overrides.request(dataset, partition, identity.getPrincipal().getName(), reason);
        return back(dataset, partition);
    }

    @POST
    @Path("{dataset}/{partition}/override/{id}/{decision}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.FINANCE_APPROVER, Roles.ADMIN})
    public Response decide(@PathParam("dataset") String dataset, @PathParam("partition") String partition,
                           @PathParam("id") long id, @PathParam("decision") String decision,
                           @FormParam("reason") String reason) {
        if (!decision.equals("approve") && !decision.equals("reject")) {
            throw new IllegalArgumentException("decision must be approve or reject");
        }
        overrides.decide(id, identity.getPrincipal().getName(), decision.equals("approve"), reason);
        return back(dataset, partition);
    }

    @POST
    @Path("{dataset}/{partition}/quarantine/release")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public Response release(@PathParam("dataset") String dataset, @PathParam("partition") String partition,
                            @FormParam("rule") String rule, @FormParam("reason") String reason) {
        api.requireKnown(dataset, partition);
        quarantine.release(dataset, partition, rule, identity.getPrincipal().getName(), reason);
        return Response.seeOther(URI.create("/readiness/" + dataset + "/" + partition + "/quarantine?rule=" + rule)).build();
    }

    private static Response back(String dataset, String partition) {
        return Response.seeOther(URI.create("/readiness/" + dataset + "/" + partition)).build();
    }
}
