package com.finledger.integrity.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.platform.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Version-exact lineage: from a curated partition, a run, or a dataset version as of a time, back
 * through the runs that wrote each input version, down to the landing objects (key, S3 version ID,
 * SHA-256) and the source extracts. An input that named no version is resolved to the versions of
 * that dataset written before the reading run by runs of the same partition, else to the newest one
 * before it. The close evidence pack reuses {@link #partition}.
 */
@ApplicationScoped
public class LineageTraces {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    @Inject
    LineageConfig config;

    @Inject
    LineageQuality quality;

    @Inject
    Clock clock;

    public record TraceRun(String id, String runId, String jobNamespace, String jobName, String state,
                           Instant startedAt, Instant endedAt, int depth, List<LineageQuality.PartitionState> partitions,
                           List<String> blockedUpstream) {
    }

    /** A landing object as the contract's finledger_object facet describes it. */
    public record LandingObject(String key, String versionId, String sha256, Long sizeBytes) {
    }

    public record TraceVersion(String id, String namespace, String name, String version, Instant createdAt,
                               String createdByRun, int depth, LandingObject object, JsonNode schema) {
    }

    public record TraceEdge(String origin, String destination, String relation) {
    }

    /** Where a trace ends on the source side: a dataset no recorded run wrote, and the runs that read it. */
    public record SourceExtract(String namespace, String name, String version, List<String> readBy) {
    }

    public record Trace(String subject, Instant asOf, int depth, boolean depthCut, boolean truncated, int maxNodes,
                        Instant generatedAt, List<TraceRun> runs, List<TraceVersion> versions, List<TraceEdge> edges,
                        List<TraceVersion> landingObjects, List<SourceExtract> sourceExtracts) {
    }

    record RunRow(UUID run, String jobNamespace, String jobName, String state, Instant created, Instant started,
                  Instant ended) {
    }

    record VersionRow(long id, long datasetId, String namespace, String name, String version, Instant created,
                      UUID writer, String facets) {
    }

    /**
     * A catalog partition's lineage: the newest run of each job that built the partition (a business
     * date also takes its micro-batch windows), as of a time when one is given.
     */
    public Trace partition(String dataset, String partitionKey, Instant asOf, int depth) {
        try (Connection c = dataSource.getConnection()) {
            List<RunRow> runs = Jdbc.query(c, """
                    select distinct on (r.job_id) r.run_uuid, j.namespace, j.name, r.state, r.created_at, r.started_at,
                           r.ended_at
                    from lineage_run_partition p join lineage_run r on r.run_uuid = p.run_uuid
                    join lineage_job j on j.id = r.job_id
                    where p.dataset = ? and (p.partition_key = ? or p.partition_key like ? || 'T%')
                      and (?::timestamptz is null or r.created_at <= ?::timestamptz)
                    order by r.job_id, (r.state = 'COMPLETE') desc, r.created_at desc, r.run_uuid""",
                    java.util.Arrays.asList(dataset, partitionKey, partitionKey, ts(asOf), ts(asOf)), LineageTraces::runRow);
            if (runs.isEmpty()) {
                throw new NoSuchElementException("no lineage recorded for partition " + dataset + " " + partitionKey
                        + (asOf == null ? "" : " as of " + asOf));
            }
            return trace(c, "partition:" + dataset + ":" + partitionKey, asOf, runs, depth);
        } catch (SQLException e) {
            throw new IllegalStateException("trace failed: " + e.getMessage(), e);
        }
    }

    /**
     * Downstream of a catalog partition: the versions its runs wrote, the runs that read them (a
     * named version; an unnamed read by a later run of the same partition key, or by a later run that
     * names no partition), what those wrote, and so on to the depth.
     */
    public Trace partitionDownstream(String dataset, String partitionKey, int requestedDepth) {
        int depth = Math.max(0, Math.min(requestedDepth, config.maxDepth()));
        int maxNodes = config.maxNodes();
        try (Connection c = dataSource.getConnection()) {
            List<RunRow> level = Jdbc.query(c, """
                    select distinct r.run_uuid, j.namespace, j.name, r.state, r.created_at, r.started_at, r.ended_at
                    from lineage_run_partition p join lineage_run r on r.run_uuid = p.run_uuid
                    join lineage_job j on j.id = r.job_id
                    where p.dataset = ? and (p.partition_key = ? or p.partition_key like ? || 'T%')
                    order by r.created_at, r.run_uuid""", List.of(dataset, partitionKey, partitionKey),
                    LineageTraces::runRow);
            if (level.isEmpty()) {
                throw new NoSuchElementException("no lineage recorded for partition " + dataset + " " + partitionKey);
            }
            Map<UUID, RunRow> runs = new LinkedHashMap<>();
            Map<UUID, Integer> runDepth = new HashMap<>();
            Map<Long, VersionRow> versions = new LinkedHashMap<>();
            Map<Long, Integer> versionDepth = new HashMap<>();
            Set<TraceEdge> edges = new LinkedHashSet<>();
            level.forEach(r -> {
                runs.put(r.run(), r);
                runDepth.put(r.run(), 0);
            });
            boolean truncated = false;
            int d = 0;
            while (!level.isEmpty() && d < depth) {
                List<RunRow> next = new ArrayList<>();
                for (RunRow r : level) {
                    for (VersionRow v : Jdbc.query(c, VERSION_SELECT + """
                             join lineage_run_io io on io.dataset_id = v.dataset_id and io.version = v.version
                             where io.run_uuid = ? and io.direction = 'O' order by d.namespace, d.name""",
                            List.of(r.run()), LineageTraces::versionRow)) {
                        versions.putIfAbsent(v.id(), v);
                        versionDepth.putIfAbsent(v.id(), d);
                        edges.add(new TraceEdge(runNode(r.run()), versionNode(v), "wrote"));
                        for (RunRow reader : Jdbc.query(c, """
                                select distinct r.run_uuid, j.namespace, j.name, r.state, r.created_at, r.started_at,
                                       r.ended_at
                                from lineage_run_io io join lineage_run r on r.run_uuid = io.run_uuid
                                join lineage_job j on j.id = r.job_id
                                where io.dataset_id = ? and io.direction = 'I' and (io.version = ? or (io.version = ''
                                  and r.created_at >= ?::timestamptz and (
                                      exists (select 1 from lineage_run_partition mine
                                              join lineage_run_partition theirs on theirs.partition_key = mine.partition_key
                                              where mine.run_uuid = r.run_uuid and theirs.run_uuid = ?)
                                      or not exists (select 1 from lineage_run_partition mine
                                                     where mine.run_uuid = r.run_uuid))))
                                order by r.created_at, r.run_uuid""", List.of(v.datasetId(), v.version(),
                                ts(v.created()), v.writer() == null ? r.run() : v.writer()), LineageTraces::runRow)) {
                            if (!runs.containsKey(reader.run())) {
                                if (runs.size() + versions.size() >= maxNodes) {
                                    truncated = true;
                                    continue;
                                }
                                runs.put(reader.run(), reader);
                                runDepth.put(reader.run(), d + 1);
                                next.add(reader);
                            }
                            edges.add(new TraceEdge(versionNode(v), runNode(reader.run()), "read by"));
                        }
                    }
                }
                level = next;
                d++;
            }
            Map<UUID, List<String[]>> partitions = partitionsOf(c, List.copyOf(runs.keySet()));
            List<String[]> wanted = new ArrayList<>();
            runs.keySet().forEach(r -> wanted.addAll(partitions.getOrDefault(r, List.of())));
            List<LineageQuality.PartitionState> states = quality.states(wanted);
            List<TraceRun> traceRuns = new ArrayList<>();
            int i = 0;
            for (RunRow r : runs.values()) {
                List<LineageQuality.PartitionState> mine = new ArrayList<>();
                for (int k = 0; k < partitions.getOrDefault(r.run(), List.of()).size(); k++) {
                    mine.add(states.get(i++));
                }
                traceRuns.add(new TraceRun(runNode(r.run()), r.run().toString(), r.jobNamespace(), r.jobName(),
                        r.state(), r.started() != null ? r.started() : r.created(), r.ended(), runDepth.get(r.run()),
                        mine, List.of()));
            }
            traceRuns.sort(Comparator.comparingInt(TraceRun::depth).thenComparing(TraceRun::jobNamespace)
                    .thenComparing(TraceRun::jobName).thenComparing(TraceRun::runId));
            List<TraceVersion> traceVersions = versions.values().stream().map(v -> toTrace(v, versionDepth.get(v.id())))
                    .sorted(Comparator.comparingInt(TraceVersion::depth).thenComparing(TraceVersion::namespace)
                            .thenComparing(TraceVersion::name).thenComparing(TraceVersion::version)).toList();
            return new Trace("partition:" + dataset + ":" + partitionKey + ":downstream", null, depth,
                    (!level.isEmpty() && d >= depth) || requestedDepth > depth, truncated, maxNodes, clock.instant(),
                    traceRuns, traceVersions, edges.stream().sorted(Comparator.comparing(TraceEdge::origin)
                            .thenComparing(TraceEdge::destination)).toList(), List.of(), List.of());
        } catch (SQLException e) {
            throw new IllegalStateException("trace failed: " + e.getMessage(), e);
        }
    }

    /** What one run read, version by version, and upstream from there. */
    public Trace run(UUID runId, int depth) {
        try (Connection c = dataSource.getConnection()) {
            List<RunRow> runs = Jdbc.query(c, """
                    select r.run_uuid, j.namespace, j.name, r.state, r.created_at, r.started_at, r.ended_at
                    from lineage_run r join lineage_job j on j.id = r.job_id where r.run_uuid = ?""", List.of(runId),
                    LineageTraces::runRow);
            if (runs.isEmpty()) {
                throw new NoSuchElementException("no run " + runId);
            }
            return trace(c, "run:" + runId, null, runs, depth);
        } catch (SQLException e) {
            throw new IllegalStateException("trace failed: " + e.getMessage(), e);
        }
    }

    /**
     * Which input versions produced a dataset version: the named version, or the newest one written
     * by a run at or before {@code asOf}.
     */
    public Trace version(String namespace, String name, String version, Instant asOf, int depth) {
        try (Connection c = dataSource.getConnection()) {
            List<VersionRow> found = Jdbc.query(c, """
                    select v.id, v.dataset_id, d.namespace, d.name, v.version, v.created_at, v.created_by_run, v.facets::text
                    from lineage_dataset_version v join lineage_dataset d on d.id = v.dataset_id
                    where d.namespace = ? and d.name = ? and (?::text is null or v.version = ?::text)
                      and (?::timestamptz is null or v.created_at <= ?::timestamptz) and v.created_by_run is not null
                    order by v.created_at desc, v.version desc limit 1""",
                    java.util.Arrays.asList(namespace, name, nullable(version), nullable(version), ts(asOf), ts(asOf)),
                    LineageTraces::versionRow);
            if (found.isEmpty()) {
                throw new NoSuchElementException("no version of " + namespace + " " + name + " written by a run"
                        + (version == null ? "" : " named " + version) + (asOf == null ? "" : " as of " + asOf));
            }
            VersionRow v = found.get(0);
            List<RunRow> runs = Jdbc.query(c, """
                    select r.run_uuid, j.namespace, j.name, r.state, r.created_at, r.started_at, r.ended_at
                    from lineage_run r join lineage_job j on j.id = r.job_id where r.run_uuid = ?""",
                    List.of(v.writer()), LineageTraces::runRow);
            return trace(c, versionId(v.namespace(), v.name(), v.version()), asOf, runs, depth);
        } catch (SQLException e) {
            throw new IllegalStateException("trace failed: " + e.getMessage(), e);
        }
    }

    private Trace trace(Connection c, String subject, Instant asOf, List<RunRow> start, int requestedDepth)
            throws SQLException {
        int depth = Math.max(0, Math.min(requestedDepth, config.maxDepth()));
        int maxNodes = config.maxNodes();
        boolean truncated = false;
        Map<UUID, RunRow> runs = new LinkedHashMap<>();
        Map<UUID, Integer> runDepth = new HashMap<>();
        Map<Long, VersionRow> versions = new LinkedHashMap<>();
        Map<Long, Integer> versionDepth = new HashMap<>();
        Set<TraceEdge> edges = new LinkedHashSet<>();
        Map<UUID, List<String[]>> partitions = new HashMap<>();
        Map<String, TreeSet<String>> readers = new LinkedHashMap<>();
        List<RunRow> level = new ArrayList<>(start);
        start.forEach(r -> {
            runs.put(r.run(), r);
            runDepth.put(r.run(), 0);
        });
        // what the starting runs wrote: the versions the subject is about
        for (RunRow r : start) {
            for (VersionRow v : Jdbc.query(c, """
                    select v.id, v.dataset_id, d.namespace, d.name, v.version, v.created_at, v.created_by_run, v.facets::text
                    from lineage_run_io io join lineage_dataset_version v on v.dataset_id = io.dataset_id
                         and v.version = io.version
                    join lineage_dataset d on d.id = v.dataset_id
                    where io.run_uuid = ? and io.direction = 'O' order by d.namespace, d.name""", List.of(r.run()),
                    LineageTraces::versionRow)) {
                versions.putIfAbsent(v.id(), v);
                versionDepth.putIfAbsent(v.id(), 0);
                edges.add(new TraceEdge(runNode(r.run()), versionNode(v), "wrote"));
            }
        }
        int d = 0;
        while (!level.isEmpty()) {
            partitions.putAll(partitionsOf(c, level.stream().map(RunRow::run).toList()));
            if (d >= depth) {
                break;
            }
            List<RunRow> next = new ArrayList<>();
            for (RunRow r : level) {
                for (VersionRow v : inputs(c, r, partitions.getOrDefault(r.run(), List.of()))) {
                    if (!versions.containsKey(v.id()) && runs.size() + versions.size() >= maxNodes) {
                        truncated = true;
                        continue;
                    }
                    versions.putIfAbsent(v.id(), v);
                    versionDepth.putIfAbsent(v.id(), d + 1);
                    edges.add(new TraceEdge(versionNode(v), runNode(r.run()), "read by"));
                    if (v.writer() == null) {
                        readers.computeIfAbsent(v.namespace() + "\u0000" + v.name() + "\u0000" + v.version(),
                                k -> new TreeSet<>()).add(r.jobNamespace() + " " + r.jobName());
                        continue;
                    }
                    if (!runs.containsKey(v.writer())) {
                        if (runs.size() + versions.size() >= maxNodes) {
                            truncated = true;
                            continue;
                        }
                        List<RunRow> writer = Jdbc.query(c, """
                                select r.run_uuid, j.namespace, j.name, r.state, r.created_at, r.started_at, r.ended_at
                                from lineage_run r join lineage_job j on j.id = r.job_id where r.run_uuid = ?""",
                                List.of(v.writer()), LineageTraces::runRow);
                        if (writer.isEmpty()) {
                            continue;
                        }
                        runs.put(v.writer(), writer.get(0));
                        runDepth.put(v.writer(), d + 1);
                        next.add(writer.get(0));
                    }
                    edges.add(new TraceEdge(runNode(v.writer()), versionNode(v), "wrote"));
                }
            }
            level = next;
            d++;
        }
        boolean depthCut = !level.isEmpty() && d >= depth && level.stream().anyMatch(r -> hasInputs(c, r.run()));

        // quality: each run's partitions, and the blocked ones upstream of every node
        List<UUID> runIds = List.copyOf(runs.keySet());
        List<String[]> wanted = new ArrayList<>();
        runIds.forEach(r -> wanted.addAll(partitions.getOrDefault(r, List.of())));
        List<LineageQuality.PartitionState> states = quality.states(wanted);
        Map<UUID, List<LineageQuality.PartitionState>> stateOf = new HashMap<>();
        int i = 0;
        for (UUID r : runIds) {
            List<LineageQuality.PartitionState> mine = new ArrayList<>();
            for (int k = 0; k < partitions.getOrDefault(r, List.of()).size(); k++) {
                mine.add(states.get(i++));
            }
            stateOf.put(r, mine);
        }
        Map<String, Set<String>> upstreamOf = new HashMap<>();
        runIds.forEach(r -> upstreamOf.put(runNode(r), new TreeSet<>()));
        versions.values().forEach(v -> upstreamOf.put(versionNode(v), new TreeSet<>()));
        edges.forEach(e -> upstreamOf.computeIfAbsent(e.destination(), k -> new TreeSet<>()).add(e.origin()));
        Map<String, List<String>> blockedAt = new HashMap<>();
        runIds.forEach(r -> blockedAt.put(runNode(r), stateOf.get(r).stream()
                .filter(LineageQuality.PartitionState::blocked).map(LineageQuality.PartitionState::words).toList()));
        Map<String, List<String>> blocked = LineageQuality.blockedUpstream(upstreamOf, blockedAt);

        List<TraceRun> traceRuns = runIds.stream().map(runs::get).map(r -> new TraceRun(runNode(r.run()),
                r.run().toString(), r.jobNamespace(), r.jobName(), r.state(), r.started() != null ? r.started()
                : r.created(), r.ended(), runDepth.get(r.run()), stateOf.get(r.run()),
                blocked.getOrDefault(runNode(r.run()), List.of())))
                .sorted(Comparator.comparingInt(TraceRun::depth).thenComparing(TraceRun::jobNamespace)
                        .thenComparing(TraceRun::jobName).thenComparing(TraceRun::runId)).toList();
        List<TraceVersion> traceVersions = versions.values().stream().map(v -> toTrace(v, versionDepth.get(v.id())))
                .sorted(Comparator.comparingInt(TraceVersion::depth).thenComparing(TraceVersion::namespace)
                        .thenComparing(TraceVersion::name).thenComparing(TraceVersion::version)).toList();
        List<TraceVersion> landing = traceVersions.stream().filter(v -> v.object() != null)
                .sorted(Comparator.comparing(TraceVersion::namespace).thenComparing(TraceVersion::name)
                        .thenComparing(TraceVersion::version)).toList();
        List<SourceExtract> sources = readers.entrySet().stream().map(e -> {
            String[] k = e.getKey().split("\u0000", 3);
            return new SourceExtract(k[0], k[1], k[2].isEmpty() ? null : k[2], List.copyOf(e.getValue()));
        }).sorted(Comparator.comparing(SourceExtract::namespace).thenComparing(SourceExtract::name)).toList();
        List<TraceEdge> sortedEdges = edges.stream().sorted(Comparator.comparing(TraceEdge::origin)
                .thenComparing(TraceEdge::destination)).toList();
        return new Trace(subject, asOf, depth, depthCut || requestedDepth > depth, truncated, maxNodes, clock.instant(),
                traceRuns, traceVersions, sortedEdges, landing, sources);
    }

    private boolean hasInputs(Connection c, UUID run) {
        try {
            return !Jdbc.query(c, "select 1 from lineage_run_io where run_uuid = ? and direction = 'I' limit 1",
                    List.of(run), rs -> 1).isEmpty();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The versions a run read. A named version is that version (recorded even when no writer's event
     * arrived); an unnamed one: the versions written before the run by runs sharing one of its
     * partition keys, else the newest version written before it.
     */
    private List<VersionRow> inputs(Connection c, RunRow r, List<String[]> partitions) throws SQLException {
        List<Object[]> io = Jdbc.query(c, """
                select io.dataset_id, io.version, d.namespace, d.name from lineage_run_io io
                join lineage_dataset d on d.id = io.dataset_id
                where io.run_uuid = ? and io.direction = 'I' order by d.namespace, d.name, io.version""",
                List.of(r.run()), rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)});
        List<VersionRow> found = new ArrayList<>();
        String[] keys = partitions.stream().map(p -> p[1]).distinct().toArray(String[]::new);
        for (Object[] in : io) {
            long dataset = (Long) in[0];
            String version = (String) in[1];
            if (!version.isEmpty()) {
                List<VersionRow> v = Jdbc.query(c, VERSION_SELECT + " where v.dataset_id = ? and v.version = ?",
                        List.of(dataset, version), LineageTraces::versionRow);
                found.addAll(v);
                continue;
            }
            List<VersionRow> sameKeys = keys.length == 0 ? List.of() : Jdbc.query(c, VERSION_SELECT + """
                     where v.dataset_id = ? and v.created_at <= ?::timestamptz and v.created_by_run in (
                         select p.run_uuid from lineage_run_partition p where p.partition_key = any(?))
                     order by v.created_at, v.version""", List.of(dataset, ts(r.created()), c.createArrayOf("text", keys)),
                    LineageTraces::versionRow);
            if (!sameKeys.isEmpty()) {
                found.addAll(sameKeys);
                continue;
            }
            List<VersionRow> newest = Jdbc.query(c, VERSION_SELECT + """
                     where v.dataset_id = ? and v.created_at <= ?::timestamptz
                     order by v.created_at desc, v.version desc limit 1""", List.of(dataset, ts(r.created())),
                    LineageTraces::versionRow);
            if (!newest.isEmpty()) {
                found.addAll(newest);
            } else {
                // read, but no version of it is known: the dataset itself, as a source
                found.add(new VersionRow(-dataset, dataset, (String) in[2], (String) in[3], "", null, null, "{}"));
            }
        }
        return found;
    }

    private static final String VERSION_SELECT = """
            select v.id, v.dataset_id, d.namespace, d.name, v.version, v.created_at, v.created_by_run, v.facets::text
            from lineage_dataset_version v join lineage_dataset d on d.id = v.dataset_id
            """;

    private Map<UUID, List<String[]>> partitionsOf(Connection c, List<UUID> runs) throws SQLException {
        Map<UUID, List<String[]>> byRun = new HashMap<>();
        Jdbc.query(c, """
                select run_uuid, dataset, partition_key from lineage_run_partition where run_uuid = any(?)
                order by run_uuid, dataset, partition_key""", List.of(c.createArrayOf("uuid", runs.toArray())), rs -> {
                    byRun.computeIfAbsent((UUID) rs.getObject(1), k -> new ArrayList<>())
                            .add(new String[] {rs.getString(2), rs.getString(3)});
                    return null;
                });
        return byRun;
    }

    private static TraceVersion toTrace(VersionRow v, int depth) {
        JsonNode facets;
        try {
            facets = JSON.readTree(v.facets() == null ? "{}" : v.facets());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        JsonNode o = facets.path("finledger_object");
        LandingObject object = o.isObject() ? new LandingObject(o.path("key").asText(null),
                o.path("versionId").asText(null), o.path("sha256").asText(null),
                o.path("sizeBytes").canConvertToLong() ? o.path("sizeBytes").asLong() : null) : null;
        JsonNode schema = facets.at("/schema/fields");
        return new TraceVersion(versionNode(v), v.namespace(), v.name(), v.version(), v.created(),
                v.writer() == null ? null : v.writer().toString(), depth, object, schema.isArray() ? schema : null);
    }

    static String runNode(UUID run) {
        return "run:" + run;
    }

    static String versionNode(VersionRow v) {
        return versionId(v.namespace(), v.name(), v.version());
    }

    static String versionId(String namespace, String name, String version) {
        return "datasetVersion:" + namespace + ":" + name + ":" + version;
    }

    private static RunRow runRow(java.sql.ResultSet rs) throws SQLException {
        return new RunRow((UUID) rs.getObject(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5),
                instant(rs, 6), instant(rs, 7));
    }

    private static VersionRow versionRow(java.sql.ResultSet rs) throws SQLException {
        return new VersionRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                instant(rs, 6), (UUID) rs.getObject(7), rs.getString(8));
    }

    static Instant instant(java.sql.ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String ts(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String nullable(String s) {
        return s == null || s.isBlank() ? null : s;
    }

}
