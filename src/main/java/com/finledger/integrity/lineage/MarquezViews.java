package com.finledger.integrity.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.finledger.integrity.platform.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The graph in the JSON shapes of Marquez's read API (namespaces, datasets, dataset versions, jobs,
 * runs, lineage), so tools written for Marquez can read ours. Differences are listed in the README.
 */
@ApplicationScoped
public class MarquezViews {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    @Inject
    LineageGraph graph;

    public Map<String, Object> namespaces(int limit, int offset) {
        List<LineageNamespace> all = LineageNamespace.find("order by name").page(offset / Math.max(1, limit),
                Math.max(1, limit)).list();
        List<Map<String, Object>> out = new ArrayList<>();
        for (LineageNamespace n : all) {
            out.add(namespace(n));
        }
        return Map.of("namespaces", out);
    }

    public Map<String, Object> namespace(String name) {
        LineageNamespace n = LineageNamespace.<LineageNamespace>find("name", name).firstResultOptional()
                .orElseThrow(() -> new NoSuchElementException("no namespace " + name));
        return namespace(n);
    }

    private Map<String, Object> namespace(LineageNamespace n) {
        Object[] times = Jdbc.query(dataSource, """
                select min(c), max(u) from (
                    select min(created_at) c, max(updated_at) u from lineage_dataset where namespace = ?
                    union all
                    select min(created_at), max(updated_at) from lineage_job where namespace = ?) t""",
                List.of(n.name, n.name), rs -> new Object[] {LineageTraces.instant(rs, 1), LineageTraces.instant(rs, 2)})
                .get(0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", n.name);
        m.put("createdAt", times[0]);
        m.put("updatedAt", times[1]);
        m.put("ownerName", "anonymous");
        m.put("description", null);
        m.put("isHidden", false);
        return m;
    }

    public Map<String, Object> datasets(String namespace, int limit, int offset) {
        long total = LineageDataset.count("namespace", namespace);
        List<LineageDataset> page = LineageDataset.find("namespace = ?1 order by name", namespace)
                .range(offset, offset + Math.max(1, limit) - 1).list();
        List<Map<String, Object>> out = new ArrayList<>();
        for (LineageDataset d : page) {
            out.add(dataset(d));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("totalCount", total);
        m.put("datasets", out);
        return m;
    }

    public Map<String, Object> dataset(String namespace, String name) {
        return dataset(findDataset(namespace, name));
    }

    private static LineageDataset findDataset(String namespace, String name) {
        return LineageDataset.<LineageDataset>find("namespace = ?1 and name = ?2", namespace, name).firstResultOptional()
                .orElseThrow(() -> new NoSuchElementException("no dataset " + name + " in namespace " + namespace));
    }

    Map<String, Object> dataset(LineageDataset d) {
        LineageDatasetVersion current = LineageDatasetVersion.<LineageDatasetVersion>find(
                "datasetId = ?1 order by createdAt desc, version desc", d.id).firstResult();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", Map.of("namespace", d.namespace, "name", d.name));
        m.put("type", "DB_TABLE");
        m.put("name", d.name);
        m.put("physicalName", d.name);
        m.put("createdAt", d.createdAt);
        m.put("updatedAt", d.updatedAt);
        m.put("namespace", d.namespace);
        m.put("sourceName", d.namespace);
        m.put("fields", fields(d.fields));
        m.put("tags", List.of());
        m.put("lastModifiedAt", current == null ? null : current.createdAt);
        m.put("lastLifecycleState", null);
        m.put("description", tree(d.facets).at("/documentation/description").asText(null));
        m.put("currentVersion", current == null ? null : versionUuid(d.namespace, d.name, current.version));
        m.put("columnLineage", columnLineage(d.id));
        m.put("facets", tree(d.facets));
        m.put("deleted", false);
        return m;
    }

    public Map<String, Object> datasetVersions(String namespace, String name, int limit, int offset) {
        LineageDataset d = findDataset(namespace, name);
        long total = LineageDatasetVersion.count("datasetId", d.id);
        List<LineageDatasetVersion> page = LineageDatasetVersion.find("datasetId = ?1 order by createdAt desc, version desc",
                d.id).range(offset, offset + Math.max(1, limit) - 1).list();
        List<Map<String, Object>> out = new ArrayList<>();
        for (LineageDatasetVersion v : page) {
            JsonNode facets = tree(v.facets);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", Map.of("namespace", d.namespace, "name", d.name));
            m.put("type", "DB_TABLE");
            m.put("name", d.name);
            m.put("physicalName", d.name);
            m.put("createdAt", v.createdAt);
            m.put("version", versionUuid(d.namespace, d.name, v.version));
            m.put("datasetVersion", v.version);
            m.put("namespace", d.namespace);
            m.put("sourceName", d.namespace);
            m.put("fields", fields(facets.at("/schema/fields").isArray() ? facets.at("/schema/fields").toString() : null));
            m.put("tags", List.of());
            m.put("lifecycleState", null);
            m.put("description", facets.at("/documentation/description").asText(null));
            m.put("createdByRun", v.createdByRun == null ? null : runs(List.of(v.createdByRun)).get(0));
            m.put("facets", facets);
            out.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("totalCount", total);
        m.put("versions", out);
        return m;
    }

    public Map<String, Object> jobs(String namespace, int limit, int offset) {
        long total = LineageJob.count("namespace", namespace);
        List<LineageJob> page = LineageJob.find("namespace = ?1 order by name", namespace)
                .range(offset, offset + Math.max(1, limit) - 1).list();
        List<Map<String, Object>> out = new ArrayList<>();
        for (LineageJob j : page) {
            out.add(job(j));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("totalCount", total);
        m.put("jobs", out);
        return m;
    }

    public Map<String, Object> job(String namespace, String name) {
        return job(findJob(namespace, name));
    }

    private static LineageJob findJob(String namespace, String name) {
        return LineageJob.<LineageJob>find("namespace = ?1 and name = ?2", namespace, name).firstResultOptional()
                .orElseThrow(() -> new NoSuchElementException("no job " + name + " in namespace " + namespace));
    }

    Map<String, Object> job(LineageJob j) {
        List<Map<String, String>> inputs = new ArrayList<>();
        List<Map<String, String>> outputs = new ArrayList<>();
        Jdbc.query(dataSource, """
                select io.direction, d.namespace, d.name from lineage_job_io io join lineage_dataset d on d.id = io.dataset_id
                where io.job_id = ? order by d.namespace, d.name""", List.of(j.id), rs -> {
                    (rs.getString(1).equals("I") ? inputs : outputs).add(Map.of("namespace", rs.getString(2), "name",
                            rs.getString(3)));
                    return null;
                });
        LineageRun latest = LineageRun.<LineageRun>find("jobId = ?1 order by createdAt desc, runUuid desc", j.id)
                .firstResult();
        JsonNode facets = tree(j.facets);
        int dot = j.name.lastIndexOf('.');
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", Map.of("namespace", j.namespace, "name", j.name));
        m.put("type", facets.at("/jobType/processingType").asText("BATCH"));
        m.put("name", j.name);
        m.put("simpleName", dot < 0 ? j.name : j.name.substring(dot + 1));
        m.put("parentJobName", null);
        m.put("parentJobUuid", null);
        m.put("createdAt", j.createdAt);
        m.put("updatedAt", j.updatedAt);
        m.put("namespace", j.namespace);
        m.put("inputs", inputs);
        m.put("outputs", outputs);
        m.put("location", facets.at("/sourceCodeLocation/url").asText(null));
        m.put("description", facets.at("/documentation/description").asText(null));
        m.put("latestRun", latest == null ? null : runs(List.of(latest.runUuid)).get(0));
        m.put("facets", facets);
        m.put("currentVersion", null);
        m.put("labels", List.of());
        m.put("tags", List.of());
        return m;
    }

    public Map<String, Object> jobRuns(String namespace, String name, int limit, int offset) {
        LineageJob j = findJob(namespace, name);
        long total = LineageRun.count("jobId", j.id);
        List<UUID> ids = LineageRun.<LineageRun>find("jobId = ?1 order by createdAt desc, runUuid desc", j.id)
                .range(offset, offset + Math.max(1, limit) - 1).list().stream().map(r -> r.runUuid).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("totalCount", total);
        m.put("runs", runs(ids));
        return m;
    }

    public Map<String, Object> run(UUID id) {
        if (LineageRun.count("runUuid", id) == 0) {
            throw new NoSuchElementException("no run " + id);
        }
        return runs(List.of(id)).get(0);
    }

    /** Runs in Marquez's shape; their facets merged from their raw events in event-time order. */
    List<Map<String, Object>> runs(List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<UUID, ObjectNode> facets = new HashMap<>();
        Map<UUID, Map<String, List<Map<String, Object>>>> io = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            Object uuids = c.createArrayOf("uuid", ids.toArray());
            Object texts = c.createArrayOf("text", ids.stream().map(UUID::toString).toArray());
            Jdbc.query(c, """
                    select run_id, event -> 'run' -> 'facets' from lineage_event
                    where run_id = any(?) and kind = 'RUN' order by event_time, content_sha256""", List.of(texts), rs -> {
                        JsonNode f = tree(rs.getString(2));
                        ObjectNode merged = facets.computeIfAbsent(UUID.fromString(rs.getString(1)),
                                k -> JSON.createObjectNode());
                        if (f.isObject()) {
                            merged.setAll((ObjectNode) f);
                        }
                        return null;
                    });
            Jdbc.query(c, """
                    select io.run_uuid, io.direction, d.namespace, d.name, io.version
                    from lineage_run_io io join lineage_dataset d on d.id = io.dataset_id
                    where io.run_uuid = any(?) order by d.namespace, d.name, io.version""", List.of(uuids), rs -> {
                        String ns = rs.getString(3);
                        String name = rs.getString(4);
                        String version = rs.getString(5);
                        Map<String, Object> id = new LinkedHashMap<>();
                        id.put("namespace", ns);
                        id.put("name", name);
                        id.put("version", version.isEmpty() ? null : versionUuid(ns, name, version));
                        io.computeIfAbsent((UUID) rs.getObject(1), k -> new TreeMap<>())
                                .computeIfAbsent(rs.getString(2), k -> new ArrayList<>())
                                .add(new LinkedHashMap<>(Map.of("datasetVersionId", id, "facets", Map.of())));
                        return null;
                    });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read runs: " + e.getMessage(), e);
        }
        Map<UUID, LineageRun> rows = new HashMap<>();
        LineageRun.<LineageRun>list("runUuid in ?1", ids).forEach(r -> rows.put(r.runUuid, r));
        Map<Long, LineageJob> jobs = new HashMap<>();
        List<Map<String, Object>> out = new ArrayList<>();
        for (UUID id : ids) {
            LineageRun r = rows.get(id);
            LineageJob j = jobs.computeIfAbsent(r.jobId, k -> LineageJob.findById(k));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id.toString());
            m.put("createdAt", r.createdAt);
            m.put("updatedAt", r.updatedAt);
            m.put("nominalStartTime", r.nominalStart);
            m.put("nominalEndTime", r.nominalEnd);
            m.put("state", marquezState(r.state));
            m.put("jobVersion", Map.of("namespace", j.namespace, "name", j.name, "version",
                    UUID.nameUUIDFromBytes((j.namespace + ":" + j.name).getBytes(StandardCharsets.UTF_8))));
            m.put("startedAt", r.startedAt);
            m.put("endedAt", r.endedAt);
            m.put("durationMs", r.startedAt != null && r.endedAt != null
                    ? Duration.between(r.startedAt, r.endedAt).toMillis() : null);
            m.put("args", Map.of());
            m.put("inputDatasetVersions", io.getOrDefault(id, Map.of()).getOrDefault("I", List.of()));
            m.put("outputDatasetVersions", io.getOrDefault(id, Map.of()).getOrDefault("O", List.of()));
            m.put("context", Map.of());
            m.put("facets", facets.getOrDefault(id, JSON.createObjectNode()));
            out.add(m);
        }
        return out;
    }

    /** Marquez's run states from the OpenLineage event type that decided ours. */
    static String marquezState(String eventType) {
        if (eventType == null) {
            return "NEW";
        }
        return switch (eventType) {
            case "START", "RUNNING" -> "RUNNING";
            case "COMPLETE" -> "COMPLETED";
            case "FAIL" -> "FAILED";
            case "ABORT" -> "ABORTED";
            default -> "NEW";
        };
    }

    /** Marquez's lineage graph around a node ({@code dataset:ns:name} or {@code job:ns:name}), both ways. */
    public Map<String, Object> lineage(String nodeId, int depth) {
        LineageGraph.Graph g;
        if (nodeId == null) {
            throw new IllegalArgumentException("nodeId is required (dataset:<namespace>:<name> or job:<namespace>:<name>)");
        }
        if (nodeId.startsWith("dataset:")) {
            String[] nn = splitNode(nodeId.substring("dataset:".length()));
            g = graph.dataset(nn[0], nn[1], LineageGraph.Direction.BOTH, depth, false);
        } else if (nodeId.startsWith("job:")) {
            String[] nn = splitNode(nodeId.substring("job:".length()));
            g = graph.job(nn[0], nn[1], LineageGraph.Direction.BOTH, depth, false);
        } else {
            throw new IllegalArgumentException("nodeId must start with dataset: or job:, not '" + nodeId + "'");
        }
        Map<String, List<Map<String, String>>> in = new HashMap<>();
        Map<String, List<Map<String, String>>> out = new HashMap<>();
        for (LineageGraph.GraphEdge e : g.edges()) {
            Map<String, String> edge = new LinkedHashMap<>();
            edge.put("origin", e.origin());
            edge.put("destination", e.destination());
            out.computeIfAbsent(e.origin(), k -> new ArrayList<>()).add(edge);
            in.computeIfAbsent(e.destination(), k -> new ArrayList<>()).add(edge);
        }
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (LineageGraph.GraphNode n : g.nodes().stream().sorted(java.util.Comparator.comparing(LineageGraph.GraphNode::id))
                .toList()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.id());
            m.put("type", n.type());
            m.put("data", n.type().equals("DATASET") ? dataset(n.namespace(), n.name()) : job(n.namespace(), n.name()));
            m.put("inEdges", in.getOrDefault(n.id(), List.of()));
            m.put("outEdges", out.getOrDefault(n.id(), List.of()));
            nodes.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("graph", nodes);
        return m;
    }

    /**
     * Splits {@code ns:name}. Namespaces hold colons themselves ({@code postgres://host:5432}), so the
     * longest namespace that exists wins, as Marquez's NodeId does by its known schemes.
     */
    String[] splitNode(String rest) {
        List<String> candidates = new ArrayList<>();
        for (int i = rest.indexOf(':'); i >= 0; i = rest.indexOf(':', i + 1)) {
            candidates.add(rest.substring(0, i));
        }
        for (int i = candidates.size() - 1; i >= 0; i--) {
            if (LineageNamespace.count("name", candidates.get(i)) > 0) {
                return new String[] {candidates.get(i), rest.substring(candidates.get(i).length() + 1)};
            }
        }
        throw new NoSuchElementException("no lineage node " + rest);
    }

    private List<Map<String, Object>> columnLineage(long datasetId) {
        Map<String, List<Map<String, Object>>> byField = new TreeMap<>();
        Jdbc.query(dataSource, """
                select e.output_field, i.namespace, i.name, e.input_field, e.transformation
                from lineage_column_edge e join lineage_dataset i on i.id = e.input_dataset_id
                where e.output_dataset_id = ? order by 1, 2, 3, 4""", List.of(datasetId), rs -> {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("namespace", rs.getString(2));
                    f.put("dataset", rs.getString(3));
                    f.put("field", rs.getString(4));
                    f.put("transformationDescription", rs.getString(5));
                    f.put("transformationType", null);
                    byField.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(f);
                    return null;
                });
        if (byField.isEmpty()) {
            return null;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        byField.forEach((field, inputs) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", field);
            m.put("inputFields", inputs);
            out.add(m);
        });
        return out;
    }

    private static List<Map<String, Object>> fields(String json) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode f : tree(json)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.path("name").asText());
            m.put("type", f.path("type").asText(null));
            m.put("tags", List.of());
            m.put("description", f.path("description").asText(null));
            out.add(m);
        }
        return out;
    }

    /** Marquez versions are UUIDs: ours is derived from the version text, which the response also gives. */
    static UUID versionUuid(String namespace, String name, String version) {
        return UUID.nameUUIDFromBytes((namespace + ":" + name + ":" + version).getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode tree(String json) {
        try {
            return json == null ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
