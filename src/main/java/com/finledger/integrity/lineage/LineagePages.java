package com.finledger.integrity.lineage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.platform.Pages;
import com.finledger.integrity.security.Roles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The auditor's lineage pages: search, a partition's trace drawn as a graph down to the raw object
 * versions (exported as JSON), dataset, column, run and version details, and a run timeline. Graphs
 * are drawn by cytoscape from its webjar; quality is shown in words as well as colour.
 */
@Path("/lineage")
@RolesAllowed({Roles.AUDITOR, Roles.OPS, Roles.FINANCE_PREPARER, Roles.FINANCE_APPROVER, Roles.ADMIN})
public class LineagePages {

    static final int PAGE = 50;
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @Inject
    @Location("lineage-search.html")
    Template searchPage;

    @Inject
    @Location("lineage-partition.html")
    Template partitionPage;

    @Inject
    @Location("lineage-dataset.html")
    Template datasetPage;

    @Inject
    @Location("lineage-run.html")
    Template runPage;

    @Inject
    @Location("lineage-version.html")
    Template versionPage;

    @Inject
    @Location("lineage-runs.html")
    Template runsPage;

    @Inject
    DataSource dataSource;

    @Inject
    LineageTraces traces;

    @Inject
    LineageGraph graph;

    @Inject
    MarquezViews marquez;

    @Inject
    SecurityIdentity identity;

    public record Found(String kind, String label, String detail, String href) {
    }

    /** A row of the run timeline: where its bar starts and how wide it is, in percent of the window shown. */
    public record TimelineRow(String runId, String job, String state, String stateLabel, String tone, Instant startedAt,
                              Instant endedAt, String duration, double offset, double width, String partitions) {
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance search(@QueryParam("q") @DefaultValue("") String q) {
        String like = "%" + q.trim().toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        List<Found> found = new ArrayList<>();
        found.addAll(Jdbc.query(dataSource, """
                select p.dataset, p.partition_key, max(r.created_at) from lineage_run_partition p
                join lineage_run r on r.run_uuid = p.run_uuid
                where lower(p.dataset || ' ' || p.partition_key) like ?
                group by 1, 2 order by 3 desc, 1, 2 limit ?""", List.of(like, PAGE), rs -> new Found("Partition",
                rs.getString(1) + " " + rs.getString(2), "built by lineage runs up to " + rs.getObject(3),
                "/lineage/partition/" + path(rs.getString(1)) + "/" + path(rs.getString(2)))));
        if (!q.isBlank()) {
            found.addAll(Jdbc.query(dataSource, """
                    select namespace, name from lineage_dataset where lower(namespace || ' ' || name) like ?
                    order by name, namespace limit ?""", List.of(like, PAGE), rs -> new Found("Dataset", rs.getString(2),
                    rs.getString(1), datasetHref(rs.getString(1), rs.getString(2)))));
            found.addAll(Jdbc.query(dataSource, """
                    select namespace, name from lineage_job where lower(namespace || ' ' || name) like ?
                    order by name, namespace limit ?""", List.of(like, PAGE), rs -> new Found("Job", rs.getString(2),
                    rs.getString(1), "/lineage/runs?job=" + query(rs.getString(2)) + "&namespace="
                    + query(rs.getString(1)))));
        }
        return Pages.page(searchPage.data("q", q).data("found", found).data("limit", PAGE), identity, "/lineage");
    }

    @GET
    @Path("partition/{dataset}/{partition}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance partition(@PathParam("dataset") String dataset, @PathParam("partition") String partition,
                                      @QueryParam("asOf") String asOf,
                                      @QueryParam("depth") @DefaultValue("10") int depth) {
        LineageTraces.Trace trace = traces.partition(dataset, partition, OpenLineageResource.time(asOf), depth);
        return Pages.page(partitionPage.data("dataset", dataset).data("partition", partition).data("asOf", asOf)
                .data("trace", trace).data("graphJson", traceElements(trace))
                .data("exportHref", "/lineage/partition/" + path(dataset) + "/" + path(partition) + "/trace.json"
                        + (asOf == null || asOf.isBlank() ? "" : "?asOf=" + query(asOf))), identity, "/lineage");
    }

    /** The trace as a JSON file, from the same service method as the API and the close evidence pack. */
    @GET
    @Path("partition/{dataset}/{partition}/trace.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response export(@PathParam("dataset") String dataset, @PathParam("partition") String partition,
                           @QueryParam("asOf") String asOf) {
        LineageTraces.Trace trace = traces.partition(dataset, partition, OpenLineageResource.time(asOf), 10);
        String file = ("lineage-trace-" + dataset + "-" + partition + ".json").replaceAll("[^A-Za-z0-9._-]", "_");
        return Response.ok(trace).header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
    }

    @GET
    @Path("dataset")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance dataset(@QueryParam("namespace") String namespace, @QueryParam("name") String name,
                                    @QueryParam("depth") @DefaultValue("2") int depth) {
        Map<String, Object> d = marquez.dataset(OpenLineageResource.required(namespace, "namespace"),
                OpenLineageResource.required(name, "name"));
        LineageGraph.Graph g = graph.dataset(namespace, name, LineageGraph.Direction.BOTH, depth, true);
        LineageGraph.GraphNode self = g.nodes().stream().filter(n -> n.id().equals(LineageGraph.datasetId(namespace,
                name))).findFirst().orElseThrow();
        Map<String, Object> versions = marquez.datasetVersions(namespace, name, PAGE, 0);
        return Pages.page(datasetPage.data("d", d).data("namespace", namespace).data("name", name).data("graph", g)
                .data("field", null).data("self", self).data("versions", versions.get("versions")).data("versionCount",
                        versions.get("totalCount")).data("graphJson", graphElements(g)), identity, "/lineage");
    }

    @GET
    @Path("column")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance column(@QueryParam("namespace") String namespace, @QueryParam("name") String name,
                                   @QueryParam("field") String field,
                                   @QueryParam("direction") @DefaultValue("BOTH") String direction) {
        LineageGraph.Graph g = graph.column(OpenLineageResource.required(namespace, "namespace"),
                OpenLineageResource.required(name, "name"), OpenLineageResource.required(field, "field"),
                OpenLineageResource.direction(direction), 10);
        Map<String, Object> d = marquez.dataset(namespace, name);
        return Pages.page(datasetPage.data("d", d).data("namespace", namespace).data("name", name).data("graph", g)
                .data("field", field).data("self", null).data("versions", List.of()).data("versionCount", 0)
                .data("graphJson", graphElements(g)), identity, "/lineage");
    }

    @GET
    @Path("run/{id}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance run(@PathParam("id") String id) {
        UUID runId = OpenLineageResource.uuid(id);
        Map<String, Object> run = marquez.run(runId);
        LineageTraces.Trace trace = traces.run(runId, 1);
        List<Map<String, Object>> events = Jdbc.query(dataSource, """
                select id, kind, coalesce(event_type, '(none)'), event_time, producer, received_at, received_by,
                       content_sha256, size_bytes
                from lineage_event where run_id = ? order by event_time, content_sha256""", List.of(id), rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", rs.getLong(1));
                    m.put("type", rs.getString(3));
                    m.put("time", rs.getObject(4));
                    m.put("producer", rs.getString(5));
                    m.put("receivedAt", rs.getObject(6));
                    m.put("receivedBy", rs.getString(7));
                    m.put("sha256", rs.getString(8));
                    m.put("bytes", rs.getObject(9));
                    return m;
                });
        LineageTraces.TraceRun self = trace.runs().get(0);
        return Pages.page(runPage.data("run", run).data("self", self).data("trace", trace).data("events", events)
                .data("facets", pretty(run.get("facets"))).data("graphJson", traceElements(trace)), identity,
                "/lineage");
    }

    @GET
    @Path("version")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance version(@QueryParam("namespace") String namespace, @QueryParam("name") String name,
                                    @QueryParam("version") String version) {
        List<Map<String, Object>> rows = Jdbc.query(dataSource, """
                select v.version, v.created_at, v.created_by_run, v.facets::text
                from lineage_dataset_version v join lineage_dataset d on d.id = v.dataset_id
                where d.namespace = ? and d.name = ? and v.version = ?""",
                List.of(OpenLineageResource.required(namespace, "namespace"), OpenLineageResource.required(name, "name"),
                        OpenLineageResource.required(version, "version")), rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("version", rs.getString(1));
                    m.put("createdAt", rs.getObject(2));
                    m.put("createdByRun", rs.getObject(3));
                    m.put("facets", MarquezViews.tree(rs.getString(4)));
                    return m;
                });
        if (rows.isEmpty()) {
            throw new java.util.NoSuchElementException("no version " + version + " of " + namespace + " " + name);
        }
        List<Map<String, Object>> readers = Jdbc.query(dataSource, """
                select r.run_uuid, j.namespace, j.name, r.state, r.created_at from lineage_run_io io
                join lineage_dataset d on d.id = io.dataset_id join lineage_run r on r.run_uuid = io.run_uuid
                join lineage_job j on j.id = r.job_id
                where d.namespace = ? and d.name = ? and io.version = ? and io.direction = 'I'
                order by r.created_at, r.run_uuid limit ?""", List.of(namespace, name, version, PAGE), rs -> Map.of(
                "runId", rs.getObject(1).toString(), "job", rs.getString(2) + " " + rs.getString(3), "state",
                MarquezViews.marquezState(rs.getString(4)), "at", rs.getObject(5)));
        Map<String, Object> v = rows.get(0);
        JsonNode object = ((JsonNode) v.get("facets")).path("finledger_object");
        return Pages.page(versionPage.data("namespace", namespace).data("name", name).data("v", v)
                .data("object", object.isObject() ? JSON.convertValue(object, Map.class) : null).data("readers", readers)
                .data("datasetHref", datasetHref(namespace, name)).data("facets", pretty(v.get("facets"))), identity,
                "/lineage");
    }

    /** Runs on a time line, newest first, one page at a time; optionally of one job. */
    @GET
    @Path("runs")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance runs(@QueryParam("namespace") String namespace, @QueryParam("job") String job,
                                 @QueryParam("page") @DefaultValue("0") int page) {
        int offset = Math.max(0, page) * PAGE;
        List<Object[]> rows = Jdbc.query(dataSource, """
                select r.run_uuid, j.namespace, j.name, r.state, coalesce(r.started_at, r.created_at),
                       coalesce(r.ended_at, r.updated_at),
                       (select string_agg(p.dataset || ' ' || p.partition_key, ', ' order by p.dataset, p.partition_key)
                        from lineage_run_partition p where p.run_uuid = r.run_uuid)
                from lineage_run r join lineage_job j on j.id = r.job_id
                where (?::text is null or j.name = ?::text) and (?::text is null or j.namespace = ?::text)
                order by coalesce(r.started_at, r.created_at) desc, r.run_uuid limit ? offset ?""",
                java.util.Arrays.asList(blank(job), blank(job), blank(namespace), blank(namespace), PAGE + 1, offset),
                rs -> new Object[] {rs.getObject(1).toString(), rs.getString(2) + " " + rs.getString(3), rs.getString(4),
                        LineageTraces.instant(rs, 5), LineageTraces.instant(rs, 6), rs.getString(7)});
        boolean more = rows.size() > PAGE;
        rows = rows.subList(0, Math.min(PAGE, rows.size()));
        Instant from = rows.stream().map(r -> (Instant) r[3]).min(Instant::compareTo).orElse(Instant.EPOCH);
        Instant to = rows.stream().map(r -> (Instant) r[4]).max(Instant::compareTo).orElse(from);
        double span = Math.max(1, Duration.between(from, to).toMillis());
        List<TimelineRow> timeline = new ArrayList<>();
        for (Object[] r : rows) {
            Instant s = (Instant) r[3];
            Instant e = (Instant) r[4];
            String state = MarquezViews.marquezState((String) r[2]);
            double offsetPct = Duration.between(from, s).toMillis() / span * 100;
            double width = Math.max(0.5, Duration.between(s, e).toMillis() / span * 100);
            timeline.add(new TimelineRow((String) r[0], (String) r[1], state, stateWords(state), tone(state), s,
                    "RUNNING".equals(state) ? null : e, Duration.between(s, e).toString().substring(2).toLowerCase(),
                    offsetPct, Math.min(width, 100 - offsetPct), r[5] == null ? "" : (String) r[5]));
        }
        return Pages.page(runsPage.data("timeline", timeline).data("job", job).data("namespace", namespace)
                .data("page", page).data("more", more).data("from", from).data("to", to), identity, "/lineage");
    }

    /** One hop of the dataset graph around a node, as cytoscape elements (the graph's "expand"). */
    @GET
    @Path("graph.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response expand(@QueryParam("node") String node) {
        String[] nn;
        LineageGraph.Graph g;
        if (node != null && node.startsWith("job:")) {
            nn = marquez.splitNode(node.substring(4));
            g = graph.job(nn[0], nn[1], LineageGraph.Direction.BOTH, 1, true);
        } else if (node != null && node.startsWith("dataset:")) {
            nn = marquez.splitNode(node.substring(8));
            g = graph.dataset(nn[0], nn[1], LineageGraph.Direction.BOTH, 1, true);
        } else {
            throw new IllegalArgumentException("node must be dataset:<namespace>:<name> or job:<namespace>:<name>");
        }
        return Response.ok(graphElements(g)).type(MediaType.APPLICATION_JSON).build();
    }

    static String stateWords(String marquezState) {
        return switch (marquezState) {
            case "COMPLETED" -> "Completed";
            case "FAILED" -> "Failed";
            case "ABORTED" -> "Aborted";
            case "RUNNING" -> "Running";
            default -> "New";
        };
    }

    static String tone(String marquezState) {
        return switch (marquezState) {
            case "COMPLETED" -> "good";
            case "FAILED", "ABORTED" -> "bad";
            case "RUNNING" -> "warn";
            default -> "neutral";
        };
    }

    /** Cytoscape elements of a trace: runs and dataset versions, with state words in each label. */
    String traceElements(LineageTraces.Trace trace) {
        List<Map<String, Object>> elements = new ArrayList<>();
        for (LineageTraces.TraceRun r : trace.runs()) {
            String state = MarquezViews.marquezState(r.state());
            List<String> words = new ArrayList<>();
            words.add(stateWords(state));
            String tone = tone(state);
            for (LineageQuality.PartitionState p : r.partitions()) {
                words.add(p.partitionKey() + ": " + p.label());
                if (p.blocked()) {
                    tone = "bad";
                }
            }
            if (!r.blockedUpstream().isEmpty()) {
                words.add("upstream blocked");
                tone = "bad".equals(tone) ? tone : "warn";
            }
            elements.add(node(r.id(), "run", r.jobName() + "\n" + String.join(" · ", words), tone,
                    "/lineage/run/" + r.runId(), "job:" + r.jobNamespace() + ":" + r.jobName()));
        }
        for (LineageTraces.TraceVersion v : trace.versions()) {
            String label = v.object() != null ? v.name() + "\nS3 version " + v.object().versionId()
                    : v.name() + (v.version().isEmpty() ? "" : "\n" + shortVersion(v.version()));
            elements.add(node(v.id(), v.object() != null ? "object" : "version", label, "neutral",
                    "/lineage/version?namespace=" + query(v.namespace()) + "&name=" + query(v.name()) + "&version="
                            + query(v.version()), "dataset:" + v.namespace() + ":" + v.name()));
        }
        for (LineageTraces.TraceEdge e : trace.edges()) {
            elements.add(edge(e.origin(), e.destination(), e.relation()));
        }
        return json(elements);
    }

    /** Cytoscape elements of a dataset, job or column graph, with readiness words in each label. */
    String graphElements(LineageGraph.Graph g) {
        List<Map<String, Object>> elements = new ArrayList<>();
        for (LineageGraph.GraphNode n : g.nodes()) {
            String href;
            String label;
            String tone = "neutral";
            List<String> words = new ArrayList<>();
            for (LineageQuality.PartitionState p : n.partitions()) {
                words.add(p.partitionKey() + ": " + p.label());
                if (p.blocked()) {
                    tone = "bad";
                }
            }
            if (!n.blockedUpstream().isEmpty()) {
                words.add("upstream blocked");
                tone = "bad".equals(tone) ? tone : "warn";
            }
            switch (n.type()) {
                case "JOB" -> {
                    href = "/lineage/runs?namespace=" + query(n.namespace()) + "&job=" + query(n.name());
                    label = n.name();
                }
                case "DATASET_FIELD" -> {
                    href = "/lineage/column?namespace=" + query(n.namespace()) + "&name=" + query(n.name()) + "&field="
                            + query(n.field());
                    label = n.name() + "\n." + n.field();
                }
                default -> {
                    href = datasetHref(n.namespace(), n.name());
                    label = n.name();
                }
            }
            if (!words.isEmpty()) {
                label += "\n" + String.join(" · ", words);
            }
            elements.add(node(n.id(), n.type().toLowerCase(), label, tone, href,
                    n.type().equals("DATASET_FIELD") ? null : n.id()));
        }
        for (LineageGraph.GraphEdge e : g.edges()) {
            elements.add(edge(e.origin(), e.destination(), e.label() == null ? "" : e.label()));
        }
        return json(elements);
    }

    private static Map<String, Object> node(String id, String kind, String label, String tone, String href,
                                            String expand) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", id);
        data.put("kind", kind);
        data.put("label", label);
        data.put("tone", tone);
        data.put("href", href);
        data.put("expand", expand);
        return Map.of("group", "nodes", "data", data);
    }

    private static Map<String, Object> edge(String from, String to, String label) {
        return Map.of("group", "edges", "data", Map.of("id", from + "->" + to, "source", from, "target", to, "label",
                label));
    }

    private static String json(Object value) {
        try {
            // inside a script element: never let a name close it
            return JSON.writeValueAsString(value).replace("<", "\\u003c");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pretty(Object value) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String shortVersion(String v) {
        return v.length() > 24 ? v.substring(0, 21) + "…" : v;
    }

    static String datasetHref(String namespace, String name) {
        return "/lineage/dataset?namespace=" + query(namespace) + "&name=" + query(name);
    }

    static String query(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String path(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
