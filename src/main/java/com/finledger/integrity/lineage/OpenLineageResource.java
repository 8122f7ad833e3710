package com.finledger.integrity.lineage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The OpenLineage endpoint (the HTTP transport's {@code POST /api/v1/lineage}) for one event, a JSON
 * array of events or NDJSON; Marquez's lineage read ({@code GET /api/v1/lineage?nodeId=}); and our
 * own bounded queries: upstream/downstream, column lineage, and version-exact traces.
 */
@Path("/api/v1/lineage")
@Produces(MediaType.APPLICATION_JSON)
public class OpenLineageResource {

    static final String NDJSON = "application/x-ndjson";
    static final String[] READERS = {Roles.AUDITOR, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER,
            Roles.ADMIN};

    /** A refused request: what was wrong with which event, where. */
    public record LineageProblem(int status, String title, String detail, List<String> errors,
                                 List<OpenLineageEvent.Problem> problems) {
    }

    @Inject
    LineageEvents events;

    @Inject
    LineageConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    LineageGraph graph;

    @Inject
    LineageTraces traces;

    @Inject
    MarquezViews marquez;

    @Inject
    SecurityIdentity identity;

    @POST
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.PIPELINE, Roles.ADMIN})
    public Response receive(@HeaderParam("Content-Type") String contentType, byte[] body) throws java.io.IOException {
        boolean ndjson = contentType != null && contentType.toLowerCase().startsWith(NDJSON);
        int limit = Math.max(config.maxBatchBytes(), config.maxEventBytes());
        if (body.length > limit) {
            return tooLarge("the body is " + body.length + " bytes, more than the limit of " + limit
                    + " (finledger.lineage.max-batch-bytes)");
        }
        List<JsonNode> list = new ArrayList<>();
        boolean batch;
        if (ndjson) {
            batch = true;
            List<OpenLineageEvent.Problem> problems = new ArrayList<>();
            String[] lines = new String(body, StandardCharsets.UTF_8).split("\r?\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                try {
                    list.add(json.readTree(lines[i]));
                } catch (JsonProcessingException e) {
                    problems.add(new OpenLineageEvent.Problem(list.size(), "", "line " + (i + 1)
                            + " is not JSON: " + e.getOriginalMessage()));
                    list.add(null);
                }
            }
            if (!problems.isEmpty()) {
                return rejected(problems, true);
            }
        } else {
            JsonNode parsed = json.readTree(body);
            batch = parsed != null && parsed.isArray();
            if (batch) {
                parsed.forEach(list::add);
            } else {
                list.add(parsed);
            }
        }
        if (batch && list.isEmpty()) {
            return rejected(List.of(new OpenLineageEvent.Problem(null, "", "a batch must hold at least one event")),
                    false);
        }
        if (!batch && body.length > config.maxEventBytes()) {
            return tooLarge("the event is " + body.length + " bytes, more than the limit of " + config.maxEventBytes()
                    + " (finledger.lineage.max-event-bytes)");
        }
        List<LineageEvents.Outcome> outcomes;
        try {
            outcomes = events.storeAll(list, identity.getPrincipal().getName(), batch);
        } catch (LineageEvents.Rejected e) {
            return rejected(e.problems(), batch);
        } catch (LineageEvents.TooLarge e) {
            return tooLarge(e.getMessage());
        }
        long created = outcomes.stream().filter(LineageEvents.Outcome::created).count();
        if (!batch) {
            LineageEvents.Outcome o = outcomes.get(0);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", o.id());
            m.put("created", o.created());
            // "duplicate" now means exactly this content was received before; nothing was dropped
            m.put("duplicate", !o.created());
            m.put("kind", o.kind());
            m.put("sha256", o.sha256());
            return Response.status(o.created() ? 201 : 200).entity(m).build();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("received", outcomes.size());
        m.put("created", created);
        m.put("redelivered", outcomes.size() - created);
        m.put("events", outcomes);
        return Response.status(created > 0 ? 201 : 200).entity(m).build();
    }

    private static Response rejected(List<OpenLineageEvent.Problem> problems, boolean batch) {
        List<String> errors = problems.stream().map(Object::toString).toList();
        String title = batch ? "Invalid OpenLineage events: nothing of the batch was stored"
                : "Invalid OpenLineage event: nothing was stored";
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(new LineageProblem(400, title, String.join("; ", errors), errors, problems)).build();
    }

    private static Response tooLarge(String detail) {
        return Response.status(413).type(MediaType.APPLICATION_JSON).entity(new LineageProblem(413,
                "Payload too large: nothing was stored", detail, List.of(detail), List.of())).build();
    }

    /** Marquez's {@code GET /api/v1/lineage?nodeId=dataset:ns:name&depth=20}. */
    @GET
    @RolesAllowed({Roles.AUDITOR, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
    public Map<String, Object> lineage(@QueryParam("nodeId") String nodeId, @QueryParam("depth") @DefaultValue("20") int depth) {
        return marquez.lineage(nodeId, depth);
    }

    @GET
    @Path("upstream")
    @RolesAllowed({Roles.AUDITOR, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
    public LineageGraph.Graph upstream(@QueryParam("namespace") String namespace, @QueryParam("name") String name,
                                       @QueryParam("depth") @DefaultValue("10") int depth) {
        return graph.dataset(required(namespace, "namespace"), required(name, "name"), LineageGraph.Direction.UPSTREAM,
                depth, true);
    }

    @GET
    @Path("downstream")
    @RolesAllowed({Roles.AUDITOR, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
    public LineageGraph.Graph downstream(@QueryParam("namespace") String namespace, @QueryParam("name") String name,
                                         @QueryParam("depth") @DefaultValue("10") int depth) {
        return graph.dataset(required(namespace, "namespace"), required(name, "name"),
                LineageGraph.Direction.DOWNSTREAM, depth, true);
    }

    @GET
    @Path("columns")
    @RolesAllowed({Roles.AUDITOR, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
    public LineageGraph.Graph column(@QueryParam("namespace") String namespace, @QueryParam("name") String name,
                                     @QueryParam("field") String field,
                                     @QueryParam("direction") @DefaultValue("UPSTREAM") String direction,
                                     @QueryParam("depth") @DefaultValue("10") int depth) {
        return graph.column(required(namespace, "namespace"), required(name, "name"), required(field, "field"),
                direction(direction), depth);
    }

    /** A catalog partition back to its landing object versions and source extracts (as of a time, if given). */
    @GET
    @Path("trace/partition")
    @RolesAllowed({Roles.AUDITOR, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
    public LineageTraces.Trace tracePartition(@QueryParam("dataset") String dataset,
                                              @QueryParam("partition") String partition,
                                              @QueryParam("asOf") String asOf,
                                              @QueryParam("depth") @DefaultValue("10") int depth) {
        return traces.partition(required(dataset, "dataset"), required(partition, "partition"), time(asOf), depth);
    }

    /** What a catalog partition fed: the runs that read its versions, and onwards to the depth. */
    @GET
    @Path("trace/partition/downstream")
    @RolesAllowed({Roles.AUDITOR, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
    public LineageTraces.Trace partitionDownstream(@QueryParam("dataset") String dataset,
                                                   @QueryParam("partition") String partition,
                                                   @QueryParam("depth") @DefaultValue("10") int depth) {
        return traces.partitionDownstream(required(dataset, "dataset"), required(partition, "partition"), depth);
    }

    /** The same trace as a file to keep (what the close evidence pack also stores). */
    @GET
    @Path("trace/partition/export")
    @RolesAllowed({Roles.AUDITOR, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
    public Response exportPartition(@QueryParam("dataset") String dataset, @QueryParam("partition") String partition,
                                    @QueryParam("asOf") String asOf, @QueryParam("depth") @DefaultValue("10") int depth) {
        LineageTraces.Trace trace = tracePartition(dataset, partition, asOf, depth);
        String file = ("lineage-trace-" + dataset + "-" + partition + ".json").replaceAll("[^A-Za-z0-9._-]", "_");
        return Response.ok(trace).header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
    }

    @GET
    @Path("trace/run/{runId}")
    @RolesAllowed({Roles.AUDITOR, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
    public LineageTraces.Trace traceRun(@PathParam("runId") String runId,
                                        @QueryParam("depth") @DefaultValue("10") int depth) {
        return traces.run(uuid(runId), depth);
    }

    /** Which input versions produced a dataset version (named, or the newest as of a time). */
    @GET
    @Path("trace/version")
    @RolesAllowed({Roles.AUDITOR, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
    public LineageTraces.Trace traceVersion(@QueryParam("namespace") String namespace, @QueryParam("name") String name,
                                            @QueryParam("version") String version, @QueryParam("asOf") String asOf,
                                            @QueryParam("depth") @DefaultValue("1") int depth) {
        return traces.version(required(namespace, "namespace"), required(name, "name"), version, time(asOf), depth);
    }

    static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("query parameter '" + name + "' is required");
        }
        return value;
    }

    static Instant time(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant t = OpenLineageEvent.parseTime(text);
        if (t == null) {
            throw new IllegalArgumentException("asOf must be an ISO-8601 time, not '" + text + "'");
        }
        return t;
    }

    static UUID uuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the run id must be a UUID, not '" + text + "'");
        }
    }

    static LineageGraph.Direction direction(String text) {
        try {
            return LineageGraph.Direction.valueOf(text.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("direction must be UPSTREAM, DOWNSTREAM or BOTH, not '" + text + "'");
        }
    }
}
