package com.finledger.integrity.extract;

import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.pipeline.ApiExtractor;
import com.finledger.integrity.pipeline.LocalPipelineRunner;
import com.finledger.integrity.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** The pull-window ledger per processor source: windows, the holes and overlaps, pulls, and backfills. */
@Path("/api/v1/pull-windows")
@Produces(MediaType.APPLICATION_JSON)
public class PullWindowResource {

    @Inject
    PullWindowLedger ledger;

    @Inject
    CatalogService catalogService;

    @Inject
    LocalPipelineRunner pipeline;

    @Inject
    SecurityIdentity identity;

    public record Ledger(String source, String endpoint, List<PullWindowLedger.Window> windows,
                         List<PullWindowLedger.Issue> issues) {
    }

    public record BackfillRequest(Instant from, Instant to, String reason) {
    }

    @GET
    @Path("{source}")
    @RolesAllowed({Roles.OPS, Roles.AUDITOR, Roles.ADMIN, Roles.PIPELINE, Roles.FINANCE_PREPARER,
            Roles.FINANCE_APPROVER})
    public Ledger ledger(@PathParam("source") String sourceName) {
        Source source = apiSource(sourceName);
        String endpoint = source.endpoint().orElseThrow();
        PullWindowLedger.Snapshot snapshot = ledger.snapshot(source);
        return new Ledger(source.name(), endpoint, snapshot.windows(), snapshot.issues());
    }

    @GET
    @Path("{source}/windows/{id}/pulls")
    @RolesAllowed({Roles.OPS, Roles.AUDITOR, Roles.ADMIN, Roles.PIPELINE})
    public List<PullWindowLedger.Attempt> pulls(@PathParam("source") String sourceName, @PathParam("id") long id) {
        apiSource(sourceName);
        return ledger.attempts(id);
    }

    @POST
    @Path("{source}/backfill")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPS, Roles.ADMIN})
    public ApiExtractor.Backfill backfill(@PathParam("source") String sourceName, BackfillRequest body) {
        apiSource(sourceName);
        if (body == null || body.from() == null || body.to() == null) {
            throw new BadRequestException("a backfill needs 'from' and 'to' (ISO-8601 instants)");
        }
        if (body.reason() == null || body.reason().isBlank()) {
            throw new BadRequestException("a backfill needs a 'reason' for the audit log");
        }
        try {
            return pipeline.backfill(sourceName, body.from(), body.to(), identity.getPrincipal().getName(),
                    body.reason());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private Source apiSource(String name) {
        return catalogService.catalog().sources().stream()
                .filter(s -> s.name().equals(name) && s.kind() == SourceKind.REST_API).findFirst()
                .orElseThrow(() -> new NotFoundException("no processor API source named " + name));
    }
}
