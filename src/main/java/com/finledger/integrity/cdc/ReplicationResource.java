package com.finledger.integrity.cdc;

import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the CDC replication reports about itself, per CDC source of the catalog: its task, the
 * table statistics of the catalogued tables, and recent task events (restarts, failures).
 */
@Path("/api/v1/replication")
@Produces(MediaType.APPLICATION_JSON)
public class ReplicationResource {

    @Inject
    ReplicationMonitor monitor;

    @Inject
    CatalogService catalogService;

    @Inject
    Clock clock;

    public record SourceReplication(String source, String task, ReplicationMonitor.ReplicationTask status,
                                    List<ReplicationMonitor.TableStatistics> tables) {
    }

    public record Report(List<SourceReplication> sources, List<ReplicationMonitor.ReplicationEvent> events) {
    }

    @GET
    @RolesAllowed({Roles.OPS, Roles.AUDITOR, Roles.ADMIN, Roles.PIPELINE})
    public Report report(@QueryParam("events_days") @DefaultValue("7") int eventsDays) {
        if (eventsDays < 1 || eventsDays > 90) {
            throw new BadRequestException("events_days must be 1..90");
        }
        List<ReplicationMonitor.ReplicationTask> tasks = monitor.tasks();
        List<SourceReplication> sources = new ArrayList<>();
        for (Source source : catalogService.catalog().sources()) {
            if (source.kind() != SourceKind.POSTGRES_CDC) {
                continue;
            }
            String task = source.dmsTask().orElseThrow();
            List<String> tables = source.datasets().stream().map(d -> d.table()).toList();
            sources.add(new SourceReplication(source.name(), task,
                    tasks.stream().filter(t -> t.identifier().equals(task)).findFirst().orElse(null),
                    monitor.tableStatistics(task).stream()
                            .filter(t -> t.schema().equals(source.schema()) && tables.contains(t.table())).toList()));
        }
        return new Report(sources, monitor.events(clock.instant().minus(Duration.ofDays(eventsDays))));
    }
}
