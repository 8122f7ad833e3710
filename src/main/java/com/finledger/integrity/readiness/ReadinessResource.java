package com.finledger.integrity.readiness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogService;
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
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Readiness for machines. The single-partition read is what Airflow sensors poll: one indexed
 * lookup, an ETag carrying the version, and 304 when nothing changed.
 */
@Path("/api/v1/readiness")
@Produces(MediaType.APPLICATION_JSON)
public class ReadinessResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ReadinessService readiness;

    @Inject
    PartitionEvaluator evaluator;

    @Inject
    ReadinessCache cache;

    @Inject
    PartitionDetail detail;

    @Inject
    OverrideService overrides;

    @Inject
    CatalogService catalogService;

    @Inject
    SecurityIdentity identity;

    /** What a poller sees. A partition never evaluated is PENDING at version 0. */
    public record ReadinessView(String dataset, String partition, String state, boolean ready, long version,
                                Instant updatedAt, Long evaluationId, JsonNode checks) {

        static ReadinessView of(PartitionReadiness r) {
            return new ReadinessView(r.dataset(), r.partition(), r.state().name(), r.state().usable(), r.version(),
                    r.updatedAt(), r.lastEvaluationId(), parse(r.checksSummary()));
        }

        static ReadinessView pending(String dataset, String partition) {
            return new ReadinessView(dataset, partition, ReadinessState.PENDING.name(), false, 0, null, null,
                    JSON.createObjectNode());
        }
    }

    public record PartitionRef(String dataset, String partition) {
    }

    public record BulkQuery(List<PartitionRef> partitions) {
    }

    public record Reason(String reason) {
    }

    @GET
    @Path("{dataset}/{partition}")
    @RolesAllowed({Roles.PIPELINE, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN})
    public io.smallrye.mutiny.Uni<Response> get(@PathParam("dataset") String dataset,
                                                @PathParam("partition") String partition,
                                                @HeaderParam("If-None-Match") String ifNoneMatch) {
        requireKnown(dataset, partition);
        // the many sensors polling one partition are answered from the cache on the I/O thread; only a
        // miss goes to a worker thread for the database
        Optional<Optional<ReadinessView>> cached = cache.fresh(dataset, partition);
        if (cached.isPresent()) {
            return io.smallrye.mutiny.Uni.createFrom().item(respond(dataset, partition, cached.get(), ifNoneMatch));
        }
        return io.smallrye.mutiny.Uni.createFrom().item(() -> respond(dataset, partition, cache.get(dataset, partition,
                        () -> readiness.find(dataset, partition).map(ReadinessView::of)), ifNoneMatch))
                .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool());
    }

    private static Response respond(String dataset, String partition, Optional<ReadinessView> found,
                                    String ifNoneMatch) {
        ReadinessView view = found.orElseGet(() -> ReadinessView.pending(dataset, partition));
        EntityTag etag = new EntityTag(dataset + "/" + partition + "/" + view.version());
        if (ifNoneMatch != null && ifNoneMatch.replace("W/", "").equals(etag.toString())) {
            return Response.notModified(etag).build();
        }
        return Response.ok(view).tag(etag).build();
    }

    @POST
    @Path("query")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.PIPELINE, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN})
    public List<ReadinessView> bulk(BulkQuery query) {
        if (query == null || query.partitions() == null || query.partitions().isEmpty()) {
            throw new IllegalArgumentException("body must be {\"partitions\": [{\"dataset\": ..., \"partition\": ...}]}");
        }
        if (query.partitions().size() > 1000) {
            throw new IllegalArgumentException("at most 1000 partitions per query, not " + query.partitions().size());
        }
        List<String[]> wanted = new ArrayList<>();
        for (PartitionRef ref : query.partitions()) {
            requireKnown(ref.dataset(), ref.partition());
            wanted.add(new String[] {ref.dataset(), ref.partition()});
        }
        Map<String, PartitionReadiness> found = new HashMap<>();
        readiness.findAll(wanted).forEach(r -> found.put(r.dataset() + "/" + r.partition(), r));
        return query.partitions().stream().map(ref -> {
            PartitionReadiness r = found.get(ref.dataset() + "/" + ref.partition());
            return r == null ? ReadinessView.pending(ref.dataset(), ref.partition()) : ReadinessView.of(r);
        }).toList();
    }

    @POST
    @Path("{dataset}/{partition}/evaluations")
    @RolesAllowed({Roles.PIPELINE, Roles.OPS, Roles.ADMIN})
    public Map<String, Object> evaluate(@PathParam("dataset") String dataset, @PathParam("partition") String partition) {
        LocalDate date = requireKnown(dataset, partition);
        PartitionEvaluator.Evaluation e = evaluator.evaluate(dataset, date, identity.getPrincipal().getName());
        if (!partition.equals(date.toString())) {
            // a window is evaluated with its business date; answer with the window's own verdict
            PartitionReadiness window = readiness.find(dataset, partition).orElse(null);
            if (window == null) {
                return Map.of("evaluationId", e.id(), "readiness", ReadinessView.pending(dataset, partition),
                        "blocking", List.of("window " + partition + " of " + dataset + " holds no rows yet and has "
                                + "not closed for the dataset's freshness SLA; it is evaluated once it has"));
            }
            return Map.of("evaluationId", window.lastEvaluationId(), "readiness", ReadinessView.of(window), "blocking",
                    parse(window.checksSummary()).path("blocking"));
        }
        return Map.of("evaluationId", e.id(), "readiness", ReadinessView.of(e.readiness()), "blocking", e.blocking());
    }

    @GET
    @Path("{dataset}/{partition}/checks")
    @RolesAllowed({Roles.PIPELINE, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.AUDITOR, Roles.ADMIN})
    public Map<String, Object> checks(@PathParam("dataset") String dataset, @PathParam("partition") String partition) {
        requireKnown(dataset, partition);
        PartitionReadiness r = readiness.find(dataset, partition).orElseThrow(() -> new java.util.NoSuchElementException(
                dataset + " " + partition + " has not been evaluated yet"));
        long evaluation = r.lastEvaluationId() == null ? -1 : r.lastEvaluationId();
        return Map.of("readiness", ReadinessView.of(r), "controls", detail.controls(evaluation),
                "rules", detail.rules(evaluation), "controlTotals", detail.totals(evaluation));
    }

    @POST
    @Path("{dataset}/{partition}/overrides")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPS, Roles.FINANCE_PREPARER, Roles.ADMIN})
    public Response requestOverride(@PathParam("dataset") String dataset, @PathParam("partition") String partition,
                                    Reason body) {
        requireKnown(dataset, partition);
        OverrideService.Override o = overrides.request(dataset, partition, identity.getPrincipal().getName(),
                body == null ? null : body.reason());
        return Response.status(201).entity(o).build();
    }

    /**
     * A dataset from the catalog and one of its partition keys: a business date, or for a dataset cut
     * into micro-batch windows also a window start like 2026-11-02T10:15Z; anything else is a 404/400.
     * Returns the business date the partition is evaluated with.
     */
    public LocalDate requireKnown(String dataset, String partition) {
        return requireKnown(catalogService.catalog(), dataset, partition);
    }

    /** {@link #requireKnown(String, String)} against a given catalog: the partition-key parser, fuzzed. */
    public static LocalDate requireKnown(Catalog catalog, String dataset, String partition) {
        var declared = catalog.datasets().filter(d -> d.name().equals(dataset)).findFirst()
                .map(Catalog.Dataset::partitioning).or(() -> catalog.curated().stream()
                        .filter(c -> c.name().equals(dataset)).findFirst().map(Catalog.CuratedDataset::partitioning));
        if (declared.isEmpty()) {
            throw new java.util.NoSuchElementException("no dataset named " + dataset + " in the catalog");
        }
        var partitioning = declared.filter(Catalog.Partitioning::windowed);
        if (partitioning.isPresent() && partition.contains("T")) {
            return partitioning.get().windowStart(partition)
                    .map(start -> LocalDate.ofInstant(start, java.time.ZoneOffset.UTC))
                    .orElseThrow(() -> new IllegalArgumentException("partition of " + dataset + " must be a business "
                            + "date like 2026-11-02 or the start of one of its " + partitioning.get().window().orElseThrow()
                            .toMinutes() + "-minute windows like 2026-11-02T10:15Z, not '" + partition + "'"));
        }
        try {
            return LocalDate.parse(partition);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("partition must be a business date like 2026-11-02"
                    + (partitioning.isPresent() ? " or a window start like 2026-11-02T10:15Z" : "") + ", not '"
                    + partition + "'");
        }
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json == null ? "{}" : json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
