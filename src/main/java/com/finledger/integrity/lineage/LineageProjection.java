package com.finledger.integrity.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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

    /** The node arrays of one table: namespace, name, first/last time, facets and fields with their (time, sha). */
    private static final String NODE_ARRAYS = """
            unnest(?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::timestamptz[], ?::text[],
                   ?::text[], ?::timestamptz[], ?::text[]) with ordinality as x(n, m, ca, ua, f, ft, fs, fl, flt, fls, o)""";

    /**
     * The whole projection of a request: one statement per graph table, sent together (one round trip;
     * pgjdbc sends the statements of one text as a pipeline and they run in order in the transaction);
     * the statements of tables the request adds no rows to are left out ({@link Binder#execute}).
     * Graph rows are found by their natural keys inside the statements, so no statement waits for the
     * ids another returned. Rows are written in key order, so concurrent requests lock shared rows in
     * one order.
     */
    static final String WRITE = """
            insert into lineage_namespace (name)
            select n from unnest(?::text[]) with ordinality as x(n, o) order by o on conflict (name) do nothing;
            %1$s;
            %2$s;
            insert into lineage_run as r (run_uuid, job_id, state, state_rank, state_time, state_sha, created_at,
                                          updated_at, started_at, ended_at, nominal_start, nominal_end, parent_run_uuid)
            select x.u, j.id, x.st, x.rk, x.stt, x.sts, x.ca, x.ua, x.sa, x.ea, x.ns, x.ne, x.pr
            from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::int[], ?::timestamptz[], ?::text[],
                        ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[],
                        ?::timestamptz[], ?::uuid[]) with ordinality
                 as x(u, jn, jm, st, rk, stt, sts, ca, ua, sa, ea, ns, ne, pr, o)
            join lineage_job j on j.namespace = x.jn and j.name = x.jm
            order by x.o
            on conflict (run_uuid) do update set
                state = case when %3$s then excluded.state else r.state end,
                ended_at = case when %3$s then excluded.ended_at else r.ended_at end,
                state_time = case when %3$s then excluded.state_time else r.state_time end,
                state_sha = case when %3$s then excluded.state_sha else r.state_sha end,
                state_rank = greatest(r.state_rank, excluded.state_rank),
                created_at = least(r.created_at, excluded.created_at),
                updated_at = greatest(r.updated_at, excluded.updated_at),
                started_at = least(r.started_at, excluded.started_at),
                nominal_start = least(r.nominal_start, excluded.nominal_start),
                nominal_end = least(r.nominal_end, excluded.nominal_end),
                parent_run_uuid = coalesce(r.parent_run_uuid, excluded.parent_run_uuid);
            insert into lineage_dataset_version as v (dataset_id, version, created_at, created_by_run, writer_time,
                                                      facets, facets_time, facets_sha)
            select d.id, x.ver, x.ca, x.w, x.wt, coalesce(x.f::jsonb, '{}'), x.ft, x.fs
            from unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::uuid[], ?::timestamptz[], ?::text[],
                        ?::timestamptz[], ?::text[]) with ordinality as x(dn, dm, ver, ca, w, wt, f, ft, fs, o)
            join lineage_dataset d on d.namespace = x.dn and d.name = x.dm
            order by x.o
            on conflict (dataset_id, version) do update set
                created_at = least(v.created_at, excluded.created_at),
                created_by_run = case when excluded.created_by_run is not null and (v.created_by_run is null
                        or (excluded.writer_time, excluded.created_by_run::text) < (v.writer_time, v.created_by_run::text))
                    then excluded.created_by_run else v.created_by_run end,
                writer_time = case when excluded.created_by_run is not null and (v.created_by_run is null
                        or (excluded.writer_time, excluded.created_by_run::text) < (v.writer_time, v.created_by_run::text))
                    then excluded.writer_time else v.writer_time end,
                facets = %4$s, facets_time = %5$s, facets_sha = %6$s;
            insert into lineage_run_io as io (run_uuid, direction, dataset_id, version, first_seen)
            select x.u, x.dir, d.id, x.ver, x.fs
            from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[]) with ordinality
                 as x(u, dir, dn, dm, ver, fs, o)
            join lineage_dataset d on d.namespace = x.dn and d.name = x.dm
            order by x.o
            on conflict (run_uuid, direction, dataset_id, version)
            do update set first_seen = least(io.first_seen, excluded.first_seen);
            insert into lineage_job_io (job_id, direction, dataset_id)
            select j.id, x.dir, d.id
            from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) with ordinality as x(jn, jm, dir, dn, dm, o)
            join lineage_job j on j.namespace = x.jn and j.name = x.jm
            join lineage_dataset d on d.namespace = x.dn and d.name = x.dm
            order by x.o
            on conflict do nothing;
            insert into lineage_column_edge as e (output_dataset_id, output_field, input_dataset_id, input_field,
                                                  transformation)
            select od.id, x.ofl, ind.id, x.inf, x.tr
            from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) with ordinality
                 as x(odn, odm, ofl, idn, idm, inf, tr, o)
            join lineage_dataset od on od.namespace = x.odn and od.name = x.odm
            join lineage_dataset ind on ind.namespace = x.idn and ind.name = x.idm
            order by x.o
            on conflict (output_dataset_id, output_field, input_dataset_id, input_field)
            do update set transformation = least(e.transformation, excluded.transformation);
            insert into lineage_run_partition (run_uuid, dataset, partition_key)
            select u, ds, pk from unnest(?::uuid[], ?::text[], ?::text[]) with ordinality as x(u, ds, pk, o)
            order by o on conflict do nothing;
            %7$s;
            %8$s""".formatted(insertNodes("lineage_dataset", true), insertNodes("lineage_job", false),
            "(excluded.state_rank, excluded.state_time, excluded.state_sha) > (r.state_rank, r.state_time, r.state_sha)",
            pick("v", "facets", "facets"), pick("v", "facets", "facets_time"), pick("v", "facets", "facets_sha"),
            updateNodes("lineage_dataset", true), updateNodes("lineage_job", false));

    /** WRITE's statements, and how many parameters each takes (every one starts with its row-count array). */
    static final String[] PARTS = WRITE.split(";\n");
    static final int[] PARAMETERS = java.util.Arrays.stream(PARTS).mapToInt(p -> p.split("\\?", -1).length - 1)
            .toArray();

    void write(Connection c) throws SQLException {
        {
            Binder b = new Binder();
            b.texts(List.copyOf(namespaces.keySet()));
            bindNodes(b, datasets);
            bindNodes(b, jobs);

            List<Run> rs = List.copyOf(runs.values());
            b.array("uuid", List.copyOf(runs.keySet()));
            b.texts(rs.stream().map(r -> r.job.namespace()).toList());
            b.texts(rs.stream().map(r -> r.job.name()).toList());
            b.texts(rs.stream().map(r -> r.state).toList());
            b.array("integer", rs.stream().map(r -> r.rank).toList());
            b.times(rs.stream().map(r -> r.stateTime).toList());
            b.texts(rs.stream().map(r -> r.stateSha).toList());
            b.times(rs.stream().map(r -> r.created).toList());
            b.times(rs.stream().map(r -> r.updated).toList());
            b.times(rs.stream().map(r -> r.started).toList());
            b.times(rs.stream().map(r -> r.rank == 3 ? r.stateTime : null).toList());
            b.times(rs.stream().map(r -> r.nominalStart).toList());
            b.times(rs.stream().map(r -> r.nominalEnd).toList());
            b.array("uuid", rs.stream().map(r -> r.parent).toList());

            List<VersionKey> vk = List.copyOf(versions.keySet());
            List<Version> vs = List.copyOf(versions.values());
            b.texts(vk.stream().map(k -> k.dataset().namespace()).toList());
            b.texts(vk.stream().map(k -> k.dataset().name()).toList());
            b.texts(vk.stream().map(VersionKey::version).toList());
            b.times(vs.stream().map(v -> v.created).toList());
            b.array("uuid", vs.stream().map(v -> v.writer).toList());
            b.times(vs.stream().map(v -> v.writerTime).toList());
            b.texts(vs.stream().map(v -> v.facets.json).toList());
            b.times(vs.stream().map(v -> v.facets.time).toList());
            b.texts(vs.stream().map(v -> v.facets.sha).toList());

            List<RunIo> io = List.copyOf(runIo.keySet());
            b.array("uuid", io.stream().map(RunIo::run).toList());
            b.texts(io.stream().map(RunIo::direction).toList());
            b.texts(io.stream().map(k -> k.dataset().namespace()).toList());
            b.texts(io.stream().map(k -> k.dataset().name()).toList());
            b.texts(io.stream().map(RunIo::version).toList());
            b.times(List.copyOf(runIo.values()));

            b.texts(jobIo.stream().map(k -> k.job().namespace()).toList());
            b.texts(jobIo.stream().map(k -> k.job().name()).toList());
            b.texts(jobIo.stream().map(JobIo::direction).toList());
            b.texts(jobIo.stream().map(k -> k.dataset().namespace()).toList());
            b.texts(jobIo.stream().map(k -> k.dataset().name()).toList());

            List<ColumnEdge> ce = List.copyOf(columnEdges.keySet());
            b.texts(ce.stream().map(k -> k.output().namespace()).toList());
            b.texts(ce.stream().map(k -> k.output().name()).toList());
            b.texts(ce.stream().map(ColumnEdge::outputField).toList());
            b.texts(ce.stream().map(k -> k.input().namespace()).toList());
            b.texts(ce.stream().map(k -> k.input().name()).toList());
            b.texts(ce.stream().map(ColumnEdge::inputField).toList());
            b.texts(List.copyOf(columnEdges.values()));

            b.array("uuid", partitions.stream().map(Partition::run).toList());
            b.texts(partitions.stream().map(Partition::dataset).toList());
            b.texts(partitions.stream().map(Partition::partitionKey).toList());

            // last: what changed on shared dataset and job rows, so their row locks are held only until commit
            bindNodes(b, datasets);
            bindNodes(b, jobs);
            b.execute(c);
        }
    }

    /** Collects the statements' parameters in order, then sends the statements that have rows. */
    private static final class Binder {
        private final List<String> types = new ArrayList<>();
        private final List<List<?>> values = new ArrayList<>();

        void texts(List<String> values) {
            array("text", values);
        }

        void times(List<Instant> values) {
            // as ISO text, cast to timestamptz by the statement: exact, and independent of the JVM's zone
            texts(values.stream().map(t -> t == null ? null : t.toString()).toList());
        }

        void array(String type, List<?> values) {
            types.add(type);
            this.values.add(values);
        }

        /**
         * One text, one round trip, of the statements whose arrays hold rows: a table the request adds
         * nothing to (no column lineage, no partitions, no runs...) costs no statement.
         */
        void execute(Connection c) throws SQLException {
            StringBuilder sql = new StringBuilder();
            List<Integer> bound = new ArrayList<>();
            int at = 0;
            for (int i = 0; i < PARTS.length; i++) {
                if (!values.get(at).isEmpty()) {
                    sql.append(sql.isEmpty() ? "" : ";\n").append(PARTS[i]);
                    for (int k = at; k < at + PARAMETERS[i]; k++) {
                        bound.add(k);
                    }
                }
                at += PARAMETERS[i];
            }
            if (at != values.size()) {
                throw new IllegalStateException("the projection bound " + values.size() + " arrays for " + at
                        + " parameters");
            }
            if (bound.isEmpty()) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int next = 1;
                for (int k : bound) {
                    ps.setArray(next++, c.createArrayOf(types.get(k), values.get(k).toArray()));
                }
                ps.execute();
            }
        }
    }

    /** Inserts the nodes not there yet (no lock on existing rows). */
    private static String insertNodes(String table, boolean withFields) {
        String fieldsColumns = withFields ? ", fields, fields_time, fields_sha" : "";
        String fieldsValues = withFields ? ", fl::jsonb, flt, fls" : "";
        return """
                insert into %1$s (namespace, name, created_at, updated_at, facets, facets_time, facets_sha%2$s)
                select n, m, ca, ua, coalesce(f::jsonb, '{}'), ft, fs%3$s
                from %4$s
                order by o
                on conflict (namespace, name) do nothing""".formatted(table, fieldsColumns, fieldsValues, NODE_ARRAYS);
    }

    /** Widens first/last times and takes newer facets and fields, touching only rows that change. */
    private static String updateNodes(String table, boolean withFields) {
        String fieldsSet = withFields ? ", fields = %s, fields_time = %s, fields_sha = %s".formatted(
                pickFrom("fields", "fields"), pickFrom("fields", "fields_time"), pickFrom("fields", "fields_sha")) : "";
        String fieldsChanged = withFields ? " or " + newerFrom("fields") : "";
        return """
                update %1$s t set created_at = least(t.created_at, x.created_at),
                    updated_at = greatest(t.updated_at, x.updated_at),
                    facets = %2$s, facets_time = %3$s, facets_sha = %4$s%5$s
                from (select n, m, ca as created_at, ua as updated_at, f::jsonb as facets, ft as facets_time,
                             fs as facets_sha, fl::jsonb as fields, flt as fields_time, fls as fields_sha
                      from %8$s) x
                where t.namespace = x.n and t.name = x.m
                  and (x.created_at < t.created_at or x.updated_at > t.updated_at or %6$s%7$s)""".formatted(table,
                pickFrom("facets", "facets"), pickFrom("facets", "facets_time"), pickFrom("facets", "facets_sha"),
                fieldsSet, newerFrom("facets"), fieldsChanged, NODE_ARRAYS);
    }

    private static String newerFrom(String prefix) {
        return ("(x.%1$s_time is not null and (t.%1$s_time is null or (x.%1$s_time, x.%1$s_sha) > "
                + "(t.%1$s_time, t.%1$s_sha)))").formatted(prefix);
    }

    private static String pickFrom(String prefix, String column) {
        return "case when " + newerFrom(prefix) + " then x." + column + " else t." + column + " end";
    }

    private static void bindNodes(Binder b, TreeMap<Key, Node> nodes) {
        List<Key> keys = List.copyOf(nodes.keySet());
        List<Node> ns = List.copyOf(nodes.values());
        b.texts(keys.stream().map(Key::namespace).toList());
        b.texts(keys.stream().map(Key::name).toList());
        b.times(ns.stream().map(n -> n.created).toList());
        b.times(ns.stream().map(n -> n.updated).toList());
        b.texts(ns.stream().map(n -> n.facets.json).toList());
        b.times(ns.stream().map(n -> n.facets.time).toList());
        b.texts(ns.stream().map(n -> n.facets.sha).toList());
        b.texts(ns.stream().map(n -> n.fields.json).toList());
        b.times(ns.stream().map(n -> n.fields.time).toList());
        b.texts(ns.stream().map(n -> n.fields.sha).toList());
    }
}
