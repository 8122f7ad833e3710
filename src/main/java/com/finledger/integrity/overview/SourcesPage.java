package com.finledger.integrity.overview;

import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.cdc.ReplicationMonitor;
import com.finledger.integrity.extract.PullWindowLedger;
import com.finledger.integrity.pipeline.LocalPipelineRunner;
import com.finledger.integrity.platform.Pages;
import com.finledger.integrity.security.Roles;
import com.finledger.integrity.warehouse.LoadHistoryCapture;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * How the data gets here, for operations and platform engineers: each CDC source's replication task,
 * table statistics and recent events; each processor's pull-window ledger with its holes (and a
 * backfill form); the warehouse's latest loads. A source that cannot be asked says so in its section.
 */
@Path("/sources")
@RolesAllowed({Roles.OPS, Roles.AUDITOR, Roles.ADMIN})
public class SourcesPage {

    static final int RECENT_WINDOWS = 10;
    static final int EVENT_DAYS = 30;

    @Inject
    @Location("sources.html")
    Template page;

    @Inject
    CatalogService catalogService;

    @Inject
    ReplicationMonitor monitor;

    @Inject
    PullWindowLedger ledger;

    @Inject
    LoadHistoryCapture loads;

    @Inject
    LocalPipelineRunner pipeline;

    @Inject
    SecurityIdentity identity;

    @Inject
    Clock clock;

    public record Cdc(String source, String task, String status, String problem,
                      List<ReplicationMonitor.TableStatistics> tables, long failures, String lastFailure) {

        /** Running with failure events in the window is not healthy: amber, never a green "running". */
        public String tone() {
            if (!status.startsWith("running")) {
                return "bad";
            }
            return failures > 0 ? "warn" : "good";
        }

        public String health() {
            return failures > 0 ? status + " · " + failures + " failure event" + (failures == 1 ? "" : "s")
                    + " in " + EVENT_DAYS + " days" : status;
        }

        Cdc withFailures(List<ReplicationMonitor.ReplicationEvent> events) {
            List<ReplicationMonitor.ReplicationEvent> mine = events.stream()
                    .filter(e -> e.taskIdentifier().equals(task) && failure(e)).toList();
            return new Cdc(source, task, status, problem, tables, mine.size(),
                    mine.isEmpty() ? null : mine.get(0).message());
        }

        static boolean failure(ReplicationMonitor.ReplicationEvent e) {
            String m = e.message() == null ? "" : e.message().toLowerCase(java.util.Locale.ROOT);
            return e.categories().stream().anyMatch(c -> c.toLowerCase(java.util.Locale.ROOT).contains("fail"))
                    || m.contains("fail") || m.contains("error");
        }
    }

    public record Api(String source, String endpoint, int windows, List<PullWindowLedger.Issue> issues,
                      List<PullWindowLedger.Window> recent) {
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance show() {
        List<Cdc> cdc = new ArrayList<>();
        List<Api> apis = new ArrayList<>();
        List<ReplicationMonitor.ReplicationEvent> events = List.of();
        String eventsProblem = null;
        for (Source s : catalogService.catalog().sources()) {
            if (s.kind() == SourceKind.POSTGRES_CDC) {
                cdc.add(cdc(s));
            } else if (s.kind() == SourceKind.REST_API) {
                String endpoint = s.endpoint().orElseThrow();
                PullWindowLedger.Snapshot snapshot = ledger.snapshot(s);
                List<PullWindowLedger.Window> windows = snapshot.windows();
                apis.add(new Api(s.name(), endpoint, windows.size(), snapshot.issues(),
                        newestFirst(windows.subList(Math.max(0, windows.size() - RECENT_WINDOWS), windows.size()))));
            }
        }
        try {
            events = newestFirst(monitor.events(clock.instant().minus(Duration.ofDays(EVENT_DAYS))));
        } catch (RuntimeException e) {
            eventsProblem = e.getMessage();
        }
        List<ReplicationMonitor.ReplicationEvent> seen = events;
        cdc = cdc.stream().map(c -> c.withFailures(seen)).toList();
        return Pages.page(page.data("cdc", cdc).data("apis", apis).data("events", events)
                .data("eventsProblem", eventsProblem).data("loads", loads.loads("", 20))
                .data("canBackfill", identity.hasRole(Roles.OPS) || identity.hasRole(Roles.ADMIN)), identity,
                "/sources");
    }

    private static <T> List<T> newestFirst(List<T> oldestFirst) {
        List<T> copy = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private Cdc cdc(Source s) {
        String task = s.dmsTask().orElseThrow();
        List<String> tables = s.datasets().stream().map(d -> d.table()).toList();
        try {
            String status = monitor.tasks().stream().filter(t -> t.identifier().equals(task)).findFirst()
                    .map(t -> t.status() + (t.lastFailureMessage() == null ? "" : ": " + t.lastFailureMessage()))
                    .orElse("no such task");
            return new Cdc(s.name(), task, status, null, monitor.tableStatistics(task).stream()
                    .filter(t -> t.schema().equals(s.schema()) && tables.contains(t.table())).toList(), 0, null);
        } catch (RuntimeException e) {
            return new Cdc(s.name(), task, "unknown", e.getMessage(), List.of(), 0, null);
        }
    }

    @POST
    @Path("{source}/backfill")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public Response backfill(@PathParam("source") String source, @FormParam("from") String from,
                             @FormParam("to") String to, @FormParam("reason") String reason) {
        if (reason == null || reason.isBlank()) {
            throw new BadRequestException("a backfill needs a reason for the audit log");
        }
        try {
            pipeline.backfill(source, Instant.parse(from), Instant.parse(to), identity.getPrincipal().getName(), reason);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        return Response.seeOther(URI.create("/sources")).build();
    }
}
