package com.finledger.integrity.lineage;

import com.finledger.integrity.platform.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Dataset- and column-level lineage: upstream or downstream to a depth, as one recursive query over
 * the edges with a depth cap and a row cap, so a query never walks more than it may return. The
 * answer says when the depth or the node cap cut it short.
 */
@ApplicationScoped
public class LineageGraph {

    public enum Direction { UPSTREAM, DOWNSTREAM, BOTH }

    @Inject
    DataSource dataSource;

    @Inject
    LineageConfig config;

    @Inject
    LineageQuality quality;

    /** A node: a dataset, a job or a dataset field; ids as Marquez writes them ({@code dataset:ns:name}). */
    public record GraphNode(String id, String type, String namespace, String name, String field, int depth,
                            List<LineageQuality.PartitionState> partitions, List<String> blockedUpstream) {
    }

    public record GraphEdge(String origin, String destination, String label) {
    }

    public record Graph(String root, String direction, int depth, boolean depthCut, boolean truncated, int maxNodes,
                        List<GraphNode> nodes, List<GraphEdge> edges) {
    }

    public static String datasetId(String namespace, String name) {
        return "dataset:" + namespace + ":" + name;
    }

    public static String jobId(String namespace, String name) {
        return "job:" + namespace + ":" + name;
    }

    /** The dataset's id, or NoSuchElementException (404) when no event named it. */
    long datasetKey(Connection c, String namespace, String name) throws SQLException {
        List<Long> ids = Jdbc.query(c, "select id from lineage_dataset where namespace = ? and name = ?",
                List.of(namespace, name), rs -> rs.getLong(1));
        if (ids.isEmpty()) {
            throw new NoSuchElementException("no lineage for dataset " + namespace + " " + name);
        }
        return ids.get(0);
    }

    long jobKey(Connection c, String namespace, String name) throws SQLException {
        List<Long> ids = Jdbc.query(c, "select id from lineage_job where namespace = ? and name = ?",
                List.of(namespace, name), rs -> rs.getLong(1));
        if (ids.isEmpty()) {
            throw new NoSuchElementException("no lineage for job " + namespace + " " + name);
        }
        return ids.get(0);
    }

    public Graph dataset(String namespace, String name, Direction direction, int depth, boolean withQuality) {
        try (Connection c = dataSource.getConnection()) {
            long root = datasetKey(c, namespace, name);
            return walk(c, datasetId(namespace, name), List.of(root), direction, depth, withQuality);
        } catch (SQLException e) {
            throw new IllegalStateException("lineage query failed: " + e.getMessage(), e);
        }
    }

    /** From a job: the datasets it reads and writes, walked from there. */
    public Graph job(String namespace, String name, Direction direction, int depth, boolean withQuality) {
        try (Connection c = dataSource.getConnection()) {
            long job = jobKey(c, namespace, name);
            List<Long> start = Jdbc.query(c, "select dataset_id from lineage_job_io where job_id = ?", List.of(job),
                    rs -> rs.getLong(1));
            return walk(c, jobId(namespace, name), start, direction, depth, withQuality);
        } catch (SQLException e) {
            throw new IllegalStateException("lineage query failed: " + e.getMessage(), e);
        }
    }

    private Graph walk(Connection c, String rootId, List<Long> start, Direction direction, int requestedDepth,
                       boolean withQuality) throws SQLException {
        int depth = Math.max(0, Math.min(requestedDepth, config.maxDepth()));
        boolean depthCut = requestedDepth > depth;
        int maxNodes = config.maxNodes();
        Map<Long, Integer> found = new HashMap<>();
        Map<Long, String[]> datasets = new HashMap<>();
        Map<Long, String[]> jobs = new HashMap<>();
        List<long[]> hops = new ArrayList<>();
        boolean truncated = false;
        for (Direction d : direction == Direction.BOTH ? List.of(Direction.UPSTREAM, Direction.DOWNSTREAM)
                : List.of(direction)) {
            truncated |= walk(c, start, d, depth, maxNodes, found, datasets, jobs, hops);
        }
        if (found.size() > maxNodes) {
            truncated = true;
            List<Map.Entry<Long, Integer>> keep = found.entrySet().stream()
                    .sorted(Map.Entry.<Long, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .limit(maxNodes).toList();
            found.clear();
            keep.forEach(e -> found.put(e.getKey(), e.getValue()));
        }
        // edges between kept nodes: a job and the dataset it writes or reads
        TreeSet<String> edgeKeys = new TreeSet<>();
        List<GraphEdge> edges = new ArrayList<>();
        Map<String, Integer> jobDepth = new HashMap<>();
        for (long[] h : hops) {
            if (!found.containsKey(h[1])) {
                continue;
            }
            String[] j = jobs.get(h[0]);
            String job = jobId(j[0], j[1]);
            String[] d = datasets.get(h[1]);
            String ds = datasetId(d[0], d[1]);
            boolean reads = h[2] == 1;
            String origin = reads ? ds : job;
            String destination = reads ? job : ds;
            jobDepth.merge(job, found.get(h[1]), Math::min);
            if (edgeKeys.add(origin + "\u0000" + destination)) {
                edges.add(new GraphEdge(origin, destination, reads ? "read by" : "writes"));
            }
        }
        Long[] ids = found.keySet().toArray(Long[]::new);
        Map<Long, List<LineageQuality.PartitionState>> states = withQuality ? partitions(c, ids) : Map.of();
        List<GraphNode> all = new ArrayList<>();
        for (Map.Entry<Long, Integer> e : found.entrySet()) {
            String[] d = datasets.get(e.getKey());
            all.add(new GraphNode(datasetId(d[0], d[1]), "DATASET", d[0], d[1], null, e.getValue(),
                    states.getOrDefault(e.getKey(), List.of()), List.of()));
        }
        all.sort(Comparator.comparingInt(GraphNode::depth).thenComparing(GraphNode::id));
        Map<String, String[]> jobNames = new java.util.TreeMap<>();
        jobs.values().forEach(j -> jobNames.put(jobId(j[0], j[1]), j));
        jobNames.forEach((id, j) -> {
            if (jobDepth.containsKey(id)) {
                all.add(new GraphNode(id, "JOB", j[0], j[1], null, jobDepth.get(id), List.of(), List.of()));
            }
        });
        edges.sort(Comparator.comparing(GraphEdge::origin).thenComparing(GraphEdge::destination));
        return new Graph(rootId, direction.name(), depth, depthCut, truncated, maxNodes,
                withQuality ? withBlockedUpstream(all, edges) : all, edges);
    }

    /**
     * One direction in one statement: a recursive walk over lineage_job_io (two index lookups a step)
     * with a depth cap and a row cap (so a wide graph costs no more than the cap), then the jobs
     * between the datasets found, with names. Returns whether the row cap cut the walk.
     */
    private boolean walk(Connection c, List<Long> start, Direction direction, int depth, int maxNodes,
                         Map<Long, Integer> found, Map<Long, String[]> datasets, Map<Long, String[]> jobs,
                         List<long[]> hops) throws SQLException {
        boolean up = direction == Direction.UPSTREAM;
        int rowCap = maxNodes * 4 + 1;
        long walked = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                with recursive walk(dataset_id, depth) as (
                    select s, 0 from unnest(?::bigint[]) as s
                    union
                    select nxt.dataset_id, w.depth + 1
                    from walk w
                    join lineage_job_io hop on hop.dataset_id = w.dataset_id and hop.direction = ?
                    join lineage_job_io nxt on nxt.job_id = hop.job_id and nxt.direction = ?
                    where w.depth < ?
                ),
                capped as materialized (select dataset_id, depth from walk limit ?),
                found as materialized (select dataset_id, min(depth) as depth from capped group by dataset_id),
                hops as (
                    select hop.job_id, hop.dataset_id as near, f2.dataset_id as far
                    from found f
                    join lineage_job_io hop on hop.dataset_id = f.dataset_id and hop.direction = ? and f.depth < ?
                    left join lineage_job_io nxt on nxt.job_id = hop.job_id and nxt.direction = ?
                    left join found f2 on f2.dataset_id = nxt.dataset_id
                )
                select 'D', f.dataset_id, f.depth, d.namespace, d.name, (select count(*) from capped)
                from found f join lineage_dataset d on d.id = f.dataset_id
                union all
                select 'J', h.job_id, h.near, j.namespace, j.name, h.far
                from (select distinct job_id, near, far from hops) h join lineage_job j on j.id = h.job_id""")) {
            String near = up ? "O" : "I";
            String far = up ? "I" : "O";
            ps.setArray(1, c.createArrayOf("bigint", start.toArray()));
            ps.setString(2, near);
            ps.setString(3, far);
            ps.setInt(4, depth);
            ps.setInt(5, rowCap);
            ps.setString(6, near);
            ps.setInt(7, depth);
            ps.setString(8, far);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(2);
                    if (rs.getString(1).equals("D")) {
                        found.merge(id, rs.getInt(3), Math::min);
                        datasets.put(id, new String[] {rs.getString(4), rs.getString(5)});
                        walked = rs.getLong(6);
                    } else {
                        jobs.put(id, new String[] {rs.getString(4), rs.getString(5)});
                        long nearDataset = rs.getLong(3);
                        // upstream: the job writes the near dataset and reads the far one; downstream the reverse
                        hops.add(new long[] {id, nearDataset, up ? 0 : 1});
                        long farDataset = rs.getLong(6);
                        if (!rs.wasNull()) {
                            hops.add(new long[] {id, farDataset, up ? 1 : 0});
                        }
                    }
                }
            }
        }
        return walked >= rowCap;
    }

    /** Per dataset: the newest partition of each catalog dataset that runs writing it built. */
    private Map<Long, List<LineageQuality.PartitionState>> partitions(Connection c, Long[] ids) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select distinct on (io.dataset_id, p.dataset) io.dataset_id, p.dataset, p.partition_key
                from lineage_run_io io join lineage_run_partition p on p.run_uuid = io.run_uuid
                where io.direction = 'O' and io.dataset_id = any(?)
                order by io.dataset_id, p.dataset, p.partition_key desc""")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)});
                }
            }
        }
        List<LineageQuality.PartitionState> states = quality.states(rows.stream()
                .map(r -> new String[] {(String) r[1], (String) r[2]}).toList());
        Map<Long, List<LineageQuality.PartitionState>> byDataset = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            byDataset.computeIfAbsent((Long) rows.get(i)[0], k -> new ArrayList<>()).add(states.get(i));
        }
        return byDataset;
    }

    private static List<GraphNode> withBlockedUpstream(List<GraphNode> nodes, List<GraphEdge> edges) {
        Map<String, Set<String>> upstreamOf = new HashMap<>();
        nodes.forEach(n -> upstreamOf.put(n.id(), new TreeSet<>()));
        edges.forEach(e -> upstreamOf.computeIfAbsent(e.destination(), k -> new TreeSet<>()).add(e.origin()));
        Map<String, List<String>> blockedAt = new HashMap<>();
        nodes.forEach(n -> blockedAt.put(n.id(), n.partitions().stream().filter(LineageQuality.PartitionState::blocked)
                .map(LineageQuality.PartitionState::words).toList()));
        Map<String, List<String>> blocked = LineageQuality.blockedUpstream(upstreamOf, blockedAt);
        return nodes.stream().map(n -> new GraphNode(n.id(), n.type(), n.namespace(), n.name(), n.field(), n.depth(),
                n.partitions(), blocked.getOrDefault(n.id(), List.of()))).toList();
    }

    /** Column lineage: which columns feed (upstream) or are fed by (downstream) a column, to a depth. */
    public Graph column(String namespace, String name, String field, Direction direction, int requestedDepth) {
        int depth = Math.max(0, Math.min(requestedDepth, config.maxDepth()));
        int maxNodes = config.maxNodes();
        try (Connection c = dataSource.getConnection()) {
            long root = datasetKey(c, namespace, name);
            boolean up = direction != Direction.DOWNSTREAM;
            boolean down = direction != Direction.UPSTREAM;
            List<Object[]> rows = Jdbc.query(c, """
                    with recursive walk(dataset_id, field, depth, up) as (
                        select ?::bigint, ?::text, 0, b from unnest(array[?::boolean, ?::boolean]) as b where b is not null
                        union
                        select case when w.up then e.input_dataset_id else e.output_dataset_id end,
                               case when w.up then e.input_field else e.output_field end, w.depth + 1, w.up
                        from walk w join lineage_column_edge e
                          on (w.up and e.output_dataset_id = w.dataset_id and e.output_field = w.field)
                          or (not w.up and e.input_dataset_id = w.dataset_id and e.input_field = w.field)
                        where w.depth < ?
                    ), capped as (select * from walk limit ?)
                    select d.namespace, d.name, w.field, min(w.depth), bool_or(w.up)
                    from capped w join lineage_dataset d on d.id = w.dataset_id
                    group by d.namespace, d.name, w.field order by min(w.depth), 1, 2, 3""",
                    java.util.Arrays.asList(root, field, up ? Boolean.TRUE : null, down ? Boolean.FALSE : null, depth, maxNodes * 4 + 1),
                    rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)});
            boolean truncated = rows.size() > maxNodes;
            List<GraphNode> nodes = rows.stream().limit(maxNodes).map(r -> new GraphNode(
                    fieldId((String) r[0], (String) r[1], (String) r[2]), "DATASET_FIELD", (String) r[0], (String) r[1],
                    (String) r[2], (Integer) r[3], List.of(), List.of())).toList();
            Set<String> ids = new TreeSet<>(nodes.stream().map(GraphNode::id).toList());
            List<GraphEdge> edges = new ArrayList<>();
            Jdbc.query(c, """
                    select o.namespace, o.name, e.output_field, i.namespace, i.name, e.input_field, e.transformation
                    from lineage_column_edge e join lineage_dataset o on o.id = e.output_dataset_id
                    join lineage_dataset i on i.id = e.input_dataset_id
                    where (o.namespace, o.name, e.output_field) in (select * from unnest(?::text[], ?::text[], ?::text[]))""",
                    List.of(c.createArrayOf("text", nodes.stream().map(GraphNode::namespace).toArray()),
                            c.createArrayOf("text", nodes.stream().map(GraphNode::name).toArray()),
                            c.createArrayOf("text", nodes.stream().map(GraphNode::field).toArray())), rs -> {
                        String out = fieldId(rs.getString(1), rs.getString(2), rs.getString(3));
                        String in = fieldId(rs.getString(4), rs.getString(5), rs.getString(6));
                        if (ids.contains(in) && ids.contains(out)) {
                            edges.add(new GraphEdge(in, out, rs.getString(7)));
                        }
                        return null;
                    });
            edges.sort(Comparator.comparing(GraphEdge::origin).thenComparing(GraphEdge::destination));
            return new Graph(fieldId(namespace, name, field), direction.name(), depth, requestedDepth > depth,
                    truncated, maxNodes, nodes, edges);
        } catch (SQLException e) {
            throw new IllegalStateException("column lineage query failed: " + e.getMessage(), e);
        }
    }

    public static String fieldId(String namespace, String name, String field) {
        return "datasetField:" + namespace + ":" + name + ":" + field;
    }
}
