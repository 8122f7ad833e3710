package com.finledger.integrity.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Projects newly stored events into the lineage graph tables, set-based: the events of one request
 * are folded in memory into one row per graph key, then each table gets one upsert. Every merge rule
 * (least/greatest times, the latest value by event time then content hash, the run state by rank)
 * is commutative, so the graph depends on the set of events received, not on their order, and a
 * redelivery (never projected twice anyway) would change nothing.
 */
final class LineageProjection {

    record Key(String namespace, String name) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = namespace.compareTo(o.namespace);
            return c != 0 ? c : name.compareTo(o.name);
        }
    }

    /** A value that the event with the greatest (time, hash) decides. */
    static final class Latest {
        Instant time;
        String sha;
        String json;

        void offer(Instant t, String s, String value) {
            if (time == null || t.isAfter(time) || (t.equals(time) && s.compareTo(sha) > 0)) {
                time = t;
                sha = s;
                json = value;
            }
        }
    }

    static final class Node {
        Instant created;
        Instant updated;
        final Latest facets = new Latest();
        final Latest fields = new Latest();

        void seen(Instant t) {
            created = created == null || t.isBefore(created) ? t : created;
            updated = updated == null || t.isAfter(updated) ? t : updated;
        }
    }

    static final class Run {
        Key job;
        String state;
        int rank = -1;
        Instant stateTime;
        String stateSha;
        Instant created;
        Instant updated;
        Instant started;
        Instant nominalStart;
        Instant nominalEnd;
        UUID parent;
    }

    static final class Version {
        Instant created;
        UUID writer;
        Instant writerTime;
        final Latest facets = new Latest();
    }

    record VersionKey(Key dataset, String version) implements Comparable<VersionKey> {
        @Override
        public int compareTo(VersionKey o) {
            int c = dataset.compareTo(o.dataset);
            return c != 0 ? c : version.compareTo(o.version);
        }
    }

    record RunIo(UUID run, String direction, Key dataset, String version) implements Comparable<RunIo> {
        @Override
        public int compareTo(RunIo o) {
            return Comparator.comparing(RunIo::run).thenComparing(RunIo::direction).thenComparing(RunIo::dataset)
                    .thenComparing(RunIo::version).compare(this, o);
        }
    }

    record JobIo(Key job, String direction, Key dataset) implements Comparable<JobIo> {
        @Override
        public int compareTo(JobIo o) {
            return Comparator.comparing(JobIo::job).thenComparing(JobIo::direction).thenComparing(JobIo::dataset)
                    .compare(this, o);
        }
    }

    record ColumnEdge(Key output, String outputField, Key input, String inputField) implements Comparable<ColumnEdge> {
        @Override
        public int compareTo(ColumnEdge o) {
            return Comparator.comparing(ColumnEdge::output).thenComparing(ColumnEdge::outputField)
                    .thenComparing(ColumnEdge::input).thenComparing(ColumnEdge::inputField).compare(this, o);
        }
    }

    record Partition(UUID run, String dataset, String partitionKey) implements Comparable<Partition> {
        @Override
        public int compareTo(Partition o) {
            return Comparator.comparing(Partition::run).thenComparing(Partition::dataset)
                    .thenComparing(Partition::partitionKey).compare(this, o);
        }
    }

    private final TreeMap<String, Node> namespaces = new TreeMap<>();
    private final TreeMap<Key, Node> datasets = new TreeMap<>();
    private final TreeMap<Key, Node> jobs = new TreeMap<>();
    private final TreeMap<UUID, Run> runs = new TreeMap<>();
    private final TreeMap<VersionKey, Version> versions = new TreeMap<>();
    private final TreeMap<RunIo, Instant> runIo = new TreeMap<>();
    private final TreeSet<JobIo> jobIo = new TreeSet<>();
    private final TreeMap<ColumnEdge, String> columnEdges = new TreeMap<>();
    private final TreeSet<Partition> partitions = new TreeSet<>();

    static int rank(String eventType) {
        if (eventType == null) {
            return 0;
        }
        return switch (eventType) {
            case "START" -> 1;
            case "RUNNING" -> 2;
            case "COMPLETE", "FAIL", "ABORT" -> 3;
            default -> 0;
        };
    }

    void add(OpenLineageEvent e) {
        Instant t = e.eventTime();
        JsonNode json = e.json();
        if (e.kind() == OpenLineageEvent.Kind.DATASET) {
            Key d = dataset(json.get("dataset"), t, e.sha256());
            String v = json.at("/dataset/facets/version/datasetVersion").asText(null);
            if (v != null) {
                version(d, v, t, null, e.sha256(), facetsOf(json.get("dataset"), null));
            }
            return;
        }
        Key job = new Key(e.jobNamespace(), e.jobName());
        namespace(job.namespace(), t);
        Node j = jobs.computeIfAbsent(job, k -> new Node());
        j.seen(t);
        JsonNode jobFacets = json.at("/job/facets");
        if (jobFacets.isObject() && !jobFacets.isEmpty()) {
            j.facets.offer(t, e.sha256(), jobFacets.toString());
        }
        UUID run = e.runId();
        if (run != null) {
            Run r = runs.computeIfAbsent(run, k -> new Run());
            if (r.job == null) {
                r.job = job;
            }
            int rank = rank(e.eventType());
            if (rank > r.rank || (rank == r.rank && (t.isAfter(r.stateTime)
                    || (t.equals(r.stateTime) && e.sha256().compareTo(r.stateSha) > 0)))) {
                r.rank = rank;
                r.state = e.eventType();
                r.stateTime = t;
                r.stateSha = e.sha256();
            }
            r.created = r.created == null || t.isBefore(r.created) ? t : r.created;
            r.updated = r.updated == null || t.isAfter(r.updated) ? t : r.updated;
            if ("START".equals(e.eventType()) && (r.started == null || t.isBefore(r.started))) {
                r.started = t;
            }
            JsonNode facets = json.at("/run/facets");
            Instant ns = OpenLineageEvent.parseTime(facets.at("/nominalTime/nominalStartTime").asText(""));
            Instant ne = OpenLineageEvent.parseTime(facets.at("/nominalTime/nominalEndTime").asText(""));
            r.nominalStart = least(r.nominalStart, ns);
            r.nominalEnd = least(r.nominalEnd, ne);
            String parent = facets.at("/parent/run/runId").asText(null);
            if (parent != null && r.parent == null) {
                r.parent = UUID.fromString(parent);
            }
            JsonNode one = facets.path("finledger_partition");
            if (one.isObject()) {
                partitions.add(new Partition(run, one.get("dataset").asText(), one.get("partitionKey").asText()));
            }
            for (JsonNode p : facets.at("/finledger_partitions/partitions")) {
                partitions.add(new Partition(run, p.get("dataset").asText(), p.get("partitionKey").asText()));
            }
        }
        for (String list : List.of("inputs", "outputs")) {
            String direction = list.equals("inputs") ? "I" : "O";
            for (JsonNode d : json.path(list)) {
                Key ds = dataset(d, t, e.sha256());
                jobIo.add(new JobIo(job, direction, ds));
                String declared = d.at("/facets/version/datasetVersion").asText(null);
                if (run == null) {
                    continue;
                }
                String v = declared != null ? declared : direction.equals("O") ? "run:" + run : "";
                JsonNode extra = d.path(direction.equals("I") ? "inputFacets" : "outputFacets");
                if (!v.isEmpty()) {
                    version(ds, v, t, direction.equals("O") ? run : null, e.sha256(), facetsOf(d, extra));
                }
                runIo.merge(new RunIo(run, direction, ds, v), t, LineageProjection::least);
                if (direction.equals("O")) {
                    columnLineage(ds, d.at("/facets/columnLineage/fields"), t, e.sha256());
                }
            }
        }
    }

    private void columnLineage(Key output, JsonNode fields, Instant t, String sha) {
        if (!fields.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> column = it.next();
            JsonNode c = column.getValue();
            for (JsonNode in : c.path("inputFields")) {
                Key input = new Key(in.get("namespace").asText(), in.get("name").asText());
                namespace(input.namespace(), t);
                datasets.computeIfAbsent(input, k -> new Node()).seen(t);
                String how = describe(c, in);
                columnEdges.merge(new ColumnEdge(output, column.getKey(), input, in.get("field").asText()), how,
                        (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        }
    }

    /** The transformation in words: the 1.x per-input transformations, else the column's description and type. */
    private static String describe(JsonNode column, JsonNode input) {
        List<String> parts = new ArrayList<>();
        for (JsonNode tr : input.path("transformations")) {
            parts.add((tr.path("type").asText("") + " " + tr.path("subtype").asText("")).trim());
        }
        if (parts.isEmpty()) {
            String type = column.path("transformationType").asText("");
            String description = column.path("transformationDescription").asText("");
            String both = (type + " " + description).trim();
            if (!both.isEmpty()) {
                parts.add(both);
            }
        }
        return String.join(", ", parts);
    }

    private static String facetsOf(JsonNode dataset, JsonNode extra) {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        if (dataset.path("facets").isObject()) {
            merged.setAll((ObjectNode) dataset.get("facets"));
        }
        if (extra != null && extra.isObject()) {
            merged.setAll((ObjectNode) extra);
        }
        return merged.toString();
    }

    private Key dataset(JsonNode d, Instant t, String sha) {
        Key k = new Key(d.get("namespace").asText(), d.get("name").asText());
        namespace(k.namespace(), t);
        Node n = datasets.computeIfAbsent(k, x -> new Node());
        n.seen(t);
        JsonNode facets = d.path("facets");
        if (facets.isObject() && !facets.isEmpty()) {
            n.facets.offer(t, sha, facets.toString());
            if (facets.at("/schema/fields").isArray()) {
                n.fields.offer(t, sha, facets.at("/schema/fields").toString());
            }
        }
        return k;
    }

    private void version(Key dataset, String version, Instant t, UUID writer, String sha, String facets) {
        Version v = versions.computeIfAbsent(new VersionKey(dataset, version), k -> new Version());
        v.created = least(v.created, t);
        if (writer != null && (v.writer == null || t.isBefore(v.writerTime)
                || (t.equals(v.writerTime) && writer.toString().compareTo(v.writer.toString()) < 0))) {
            v.writer = writer;
            v.writerTime = t;
        }
        if (!"{}".equals(facets)) {
            v.facets.offer(t, sha, facets);
        }
    }

    private void namespace(String name, Instant t) {
        namespaces.computeIfAbsent(name, k -> new Node()).seen(t);
    }

    static Instant least(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    // ---------------------------------------------------------------- writing

    /** The condition "the incoming latest value beats the stored one", for a column prefix. */
    private static String newer(String table, String prefix) {
        return ("excluded.%2$s_time is not null and (%1$s.%2$s_time is null or (excluded.%2$s_time, excluded.%2$s_sha) > "
                + "(%1$s.%2$s_time, %1$s.%2$s_sha))").formatted(table, prefix);
    }

    private static String pick(String table, String prefix, String column) {
        return "case when " + newer(table, prefix) + " then excluded." + column + " else " + table + "." + column + " end";
    }

    void write(Connection c) throws SQLException {
        if (!namespaces.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into lineage_namespace (name) select * from unnest(?::text[]) on conflict (name) do nothing""")) {
                ps.setArray(1, texts(c, namespaces.keySet().stream().toList()));
                ps.executeUpdate();
            }
        }
        Map<Key, Long> datasetIds = insertNodes(c, "lineage_dataset", datasets, true);
        Map<Key, Long> jobIds = insertNodes(c, "lineage_job", jobs, false);
        if (!runs.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into lineage_run as r (run_uuid, job_id, state, state_rank, state_time, state_sha, created_at,
                                                  updated_at, started_at, ended_at, nominal_start, nominal_end, parent_run_uuid)
                    select * from unnest(?::uuid[], ?::bigint[], ?::text[], ?::int[], ?::timestamptz[], ?::text[],
                                         ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[],
                                         ?::timestamptz[], ?::timestamptz[], ?::uuid[])
                    on conflict (run_uuid) do update set
                        state = case when %1$s then excluded.state else r.state end,
                        ended_at = case when %1$s then excluded.ended_at else r.ended_at end,
                        state_time = case when %1$s then excluded.state_time else r.state_time end,
                        state_sha = case when %1$s then excluded.state_sha else r.state_sha end,
                        state_rank = greatest(r.state_rank, excluded.state_rank),
                        created_at = least(r.created_at, excluded.created_at),
                        updated_at = greatest(r.updated_at, excluded.updated_at),
                        started_at = least(r.started_at, excluded.started_at),
                        nominal_start = least(r.nominal_start, excluded.nominal_start),
                        nominal_end = least(r.nominal_end, excluded.nominal_end),
                        parent_run_uuid = coalesce(r.parent_run_uuid, excluded.parent_run_uuid)"""
                    .formatted("(excluded.state_rank, excluded.state_time, excluded.state_sha) "
                            + "> (r.state_rank, r.state_time, r.state_sha)"))) {
                List<Run> rs = List.copyOf(runs.values());
                ps.setArray(1, c.createArrayOf("uuid", runs.keySet().toArray()));
                ps.setArray(2, c.createArrayOf("bigint", rs.stream().map(r -> jobIds.get(r.job)).toArray()));
                ps.setArray(3, texts(c, rs.stream().map(r -> r.state).toList()));
                ps.setArray(4, c.createArrayOf("integer", rs.stream().map(r -> r.rank).toArray()));
                ps.setArray(5, times(c, rs.stream().map(r -> r.stateTime).toList()));
                ps.setArray(6, texts(c, rs.stream().map(r -> r.stateSha).toList()));
                ps.setArray(7, times(c, rs.stream().map(r -> r.created).toList()));
                ps.setArray(8, times(c, rs.stream().map(r -> r.updated).toList()));
                ps.setArray(9, times(c, rs.stream().map(r -> r.started).toList()));
                ps.setArray(10, times(c, rs.stream().map(r -> r.rank == 3 ? r.stateTime : null).toList()));
                ps.setArray(11, times(c, rs.stream().map(r -> r.nominalStart).toList()));
                ps.setArray(12, times(c, rs.stream().map(r -> r.nominalEnd).toList()));
                ps.setArray(13, c.createArrayOf("uuid", rs.stream().map(r -> r.parent).toArray()));
                ps.executeUpdate();
            }
        }
        if (!versions.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into lineage_dataset_version as v (dataset_id, version, created_at, created_by_run, writer_time,
                                                              facets, facets_time, facets_sha)
                    select d, ver, ca, w, wt, coalesce(f::jsonb, '{}'), ft, fs
                    from unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::uuid[], ?::timestamptz[], ?::text[],
                                ?::timestamptz[], ?::text[]) as x(d, ver, ca, w, wt, f, ft, fs)
                    on conflict (dataset_id, version) do update set
                        created_at = least(v.created_at, excluded.created_at),
                        created_by_run = case when excluded.created_by_run is not null and (v.created_by_run is null
                                or (excluded.writer_time, excluded.created_by_run::text) < (v.writer_time, v.created_by_run::text))
                            then excluded.created_by_run else v.created_by_run end,
                        writer_time = case when excluded.created_by_run is not null and (v.created_by_run is null
                                or (excluded.writer_time, excluded.created_by_run::text) < (v.writer_time, v.created_by_run::text))
                            then excluded.writer_time else v.writer_time end,
                        facets = %s, facets_time = %s, facets_sha = %s""".formatted(pick("v", "facets", "facets"),
                    pick("v", "facets", "facets_time"), pick("v", "facets", "facets_sha")))) {
                List<VersionKey> keys = List.copyOf(versions.keySet());
                List<Version> vs = List.copyOf(versions.values());
                ps.setArray(1, c.createArrayOf("bigint", keys.stream().map(k -> datasetIds.get(k.dataset())).toArray()));
                ps.setArray(2, texts(c, keys.stream().map(VersionKey::version).toList()));
                ps.setArray(3, times(c, vs.stream().map(v -> v.created).toList()));
                ps.setArray(4, c.createArrayOf("uuid", vs.stream().map(v -> v.writer).toArray()));
                ps.setArray(5, times(c, vs.stream().map(v -> v.writerTime).toList()));
                ps.setArray(6, texts(c, vs.stream().map(v -> v.facets.json).toList()));
                ps.setArray(7, times(c, vs.stream().map(v -> v.facets.time).toList()));
                ps.setArray(8, texts(c, vs.stream().map(v -> v.facets.sha).toList()));
                ps.executeUpdate();
            }
        }
        if (!runIo.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into lineage_run_io as io (run_uuid, direction, dataset_id, version, first_seen)
                    select * from unnest(?::uuid[], ?::text[], ?::bigint[], ?::text[], ?::timestamptz[])
                    on conflict (run_uuid, direction, dataset_id, version)
                    do update set first_seen = least(io.first_seen, excluded.first_seen)""")) {
                List<RunIo> keys = List.copyOf(runIo.keySet());
                ps.setArray(1, c.createArrayOf("uuid", keys.stream().map(RunIo::run).toArray()));
                ps.setArray(2, texts(c, keys.stream().map(RunIo::direction).toList()));
                ps.setArray(3, c.createArrayOf("bigint", keys.stream().map(k -> datasetIds.get(k.dataset())).toArray()));
                ps.setArray(4, texts(c, keys.stream().map(RunIo::version).toList()));
                ps.setArray(5, times(c, List.copyOf(runIo.values())));
                ps.executeUpdate();
            }
        }
        if (!jobIo.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into lineage_job_io (job_id, direction, dataset_id)
                    select * from unnest(?::bigint[], ?::text[], ?::bigint[]) on conflict do nothing""")) {
                ps.setArray(1, c.createArrayOf("bigint", jobIo.stream().map(k -> jobIds.get(k.job())).toArray()));
                ps.setArray(2, texts(c, jobIo.stream().map(JobIo::direction).toList()));
                ps.setArray(3, c.createArrayOf("bigint", jobIo.stream().map(k -> datasetIds.get(k.dataset())).toArray()));
                ps.executeUpdate();
            }
        }
        if (!columnEdges.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into lineage_column_edge as e (output_dataset_id, output_field, input_dataset_id, input_field,
                                                          transformation)
                    select * from unnest(?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::text[])
                    on conflict (output_dataset_id, output_field, input_dataset_id, input_field)
                    do update set transformation = least(e.transformation, excluded.transformation)""")) {
                List<ColumnEdge> keys = List.copyOf(columnEdges.keySet());
                ps.setArray(1, c.createArrayOf("bigint", keys.stream().map(k -> datasetIds.get(k.output())).toArray()));
                ps.setArray(2, texts(c, keys.stream().map(ColumnEdge::outputField).toList()));
                ps.setArray(3, c.createArrayOf("bigint", keys.stream().map(k -> datasetIds.get(k.input())).toArray()));
                ps.setArray(4, texts(c, keys.stream().map(ColumnEdge::inputField).toList()));
                ps.setArray(5, texts(c, List.copyOf(columnEdges.values())));
                ps.executeUpdate();
            }
        }
        if (!partitions.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into lineage_run_partition (run_uuid, dataset, partition_key)
                    select * from unnest(?::uuid[], ?::text[], ?::text[]) on conflict do nothing""")) {
                ps.setArray(1, c.createArrayOf("uuid", partitions.stream().map(Partition::run).toArray()));
                ps.setArray(2, texts(c, partitions.stream().map(Partition::dataset).toList()));
                ps.setArray(3, texts(c, partitions.stream().map(Partition::partitionKey).toList()));
                ps.executeUpdate();
            }
        }
        // last: what changed on shared dataset and job rows, so their row locks are held only until commit
        updateNodes(c, "lineage_dataset", datasets, true);
        updateNodes(c, "lineage_job", jobs, false);
    }

    /** Inserts the nodes not there yet (no lock on existing rows) and returns every node's id. */
    private Map<Key, Long> insertNodes(Connection c, String table, TreeMap<Key, Node> nodes, boolean withFields)
            throws SQLException {
        Map<Key, Long> ids = new HashMap<>();
        if (nodes.isEmpty()) {
            return ids;
        }
        String fieldsColumns = withFields ? ", fields, fields_time, fields_sha" : "";
        String fieldsValues = withFields ? ", fl::jsonb, flt, fls" : "";
        try (PreparedStatement ps = c.prepareStatement("""
                insert into %1$s (namespace, name, created_at, updated_at, facets, facets_time, facets_sha%2$s)
                select n, m, ca, ua, coalesce(f::jsonb, '{}'), ft, fs%3$s
                from unnest(?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::timestamptz[],
                            ?::text[], ?::text[], ?::timestamptz[], ?::text[]) as x(n, m, ca, ua, f, ft, fs, fl, flt, fls)
                on conflict (namespace, name) do nothing""".formatted(table, fieldsColumns, fieldsValues))) {
            bindNodes(c, ps, nodes);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select t.id, t.namespace, t.name from %s t join unnest(?::text[], ?::text[]) as x(n, m)
                  on t.namespace = x.n and t.name = x.m""".formatted(table))) {
            ps.setArray(1, texts(c, nodes.keySet().stream().map(Key::namespace).toList()));
            ps.setArray(2, texts(c, nodes.keySet().stream().map(Key::name).toList()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.put(new Key(rs.getString(2), rs.getString(3)), rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /** Widens first/last times and takes newer facets and fields, touching only rows that change. */
    private void updateNodes(Connection c, String table, TreeMap<Key, Node> nodes, boolean withFields)
            throws SQLException {
        if (nodes.isEmpty()) {
            return;
        }
        String fieldsSet = withFields ? ", fields = %s, fields_time = %s, fields_sha = %s".formatted(
                pickFrom("fields", "fields"), pickFrom("fields", "fields_time"), pickFrom("fields", "fields_sha")) : "";
        String fieldsChanged = withFields ? " or " + newerFrom("fields") : "";
        try (PreparedStatement ps = c.prepareStatement("""
                update %1$s t set created_at = least(t.created_at, x.created_at),
                    updated_at = greatest(t.updated_at, x.updated_at),
                    facets = %2$s, facets_time = %3$s, facets_sha = %4$s%5$s
                from (select n, m, ca as created_at, ua as updated_at, f::jsonb as facets, ft as facets_time,
                             fs as facets_sha, fl::jsonb as fields, flt as fields_time, fls as fields_sha
                      from unnest(?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::timestamptz[],
                                  ?::text[], ?::text[], ?::timestamptz[], ?::text[]) as u(n, m, ca, ua, f, ft, fs, fl, flt, fls)
                     ) x
                where t.namespace = x.n and t.name = x.m
                  and (x.created_at < t.created_at or x.updated_at > t.updated_at or %6$s%7$s)""".formatted(table,
                pickFrom("facets", "facets"), pickFrom("facets", "facets_time"), pickFrom("facets", "facets_sha"),
                fieldsSet, newerFrom("facets"), fieldsChanged))) {
            bindNodes(c, ps, nodes);
            ps.executeUpdate();
        }
    }

    private static String newerFrom(String prefix) {
        return ("(x.%1$s_time is not null and (t.%1$s_time is null or (x.%1$s_time, x.%1$s_sha) > "
                + "(t.%1$s_time, t.%1$s_sha)))").formatted(prefix);
    }

    private static String pickFrom(String prefix, String column) {
        return "case when " + newerFrom(prefix) + " then x." + column + " else t." + column + " end";
    }

    private void bindNodes(Connection c, PreparedStatement ps, TreeMap<Key, Node> nodes) throws SQLException {
        List<Key> keys = List.copyOf(nodes.keySet());
        List<Node> ns = List.copyOf(nodes.values());
        ps.setArray(1, texts(c, keys.stream().map(Key::namespace).toList()));
        ps.setArray(2, texts(c, keys.stream().map(Key::name).toList()));
        ps.setArray(3, times(c, ns.stream().map(n -> n.created).toList()));
        ps.setArray(4, times(c, ns.stream().map(n -> n.updated).toList()));
        ps.setArray(5, texts(c, ns.stream().map(n -> n.facets.json).toList()));
        ps.setArray(6, times(c, ns.stream().map(n -> n.facets.time).toList()));
        ps.setArray(7, texts(c, ns.stream().map(n -> n.facets.sha).toList()));
        ps.setArray(8, texts(c, ns.stream().map(n -> n.fields.json).toList()));
        ps.setArray(9, times(c, ns.stream().map(n -> n.fields.time).toList()));
        ps.setArray(10, texts(c, ns.stream().map(n -> n.fields.sha).toList()));
    }

    private static Array texts(Connection c, List<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }

    private static Array times(Connection c, List<Instant> values) throws SQLException {
        // as ISO text, cast to timestamptz by the statement: exact, and independent of the JVM's zone
        return c.createArrayOf("text", values.stream().map(t -> t == null ? null : t.toString()).toArray());
    }
}
