package com.finledger.integrity.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.Catalog.CuratedDataset;
import com.finledger.integrity.catalog.Catalog.Dataset;
import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.lineage.DatasetNames.Name;
import com.finledger.integrity.lineage.OwnFacets.Partition;
import io.micrometer.core.instrument.MeterRegistry;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.InputDataset;
import io.openlineage.client.OpenLineage.OutputDataset;
import io.openlineage.client.OpenLineage.RunEvent;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import io.openlineage.client.OpenLineageClientUtils;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The lineage we record ourselves where AWS emits none: DMS change files, the API extractor's pulls,
 * partner files, RAW loads and the dbt models, each as OpenLineage run events built with the
 * OpenLineage Java client and handed to {@link LineageEvents#store}.
 *
 * <p>Events are derived from the ledgers after their transaction committed (landed objects, pull
 * attempts, the partner-file ledger, RAW load marks, dbt invocations), never from in-flight state, so
 * an event never describes a load that rolled back. They are deterministic: the run id is a name-based
 * UUID of the load's natural key and every event time is one the ledger recorded, so recording the same
 * rows again builds byte-identical events that the store recognises as redeliveries. That makes
 * recording safe to repeat: the data path records what it just committed, and a scheduled sweep
 * re-records a look-back period to fill whatever a failed or interrupted recording missed. A failure to
 * record is logged and counted ({@code finledger_own_lineage_failures}) and never fails the load.
 */
@ApplicationScoped
public class OwnLineage {

    private static final Logger LOG = Logger.getLogger(OwnLineage.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Job namespace of our own jobs. */
    public static final String NAMESPACE = "finledger";
    static final String RECEIVED_BY = "finledger";

    @Inject
    DataSource dataSource;

    @Inject
    LineageEvents events;

    @Inject
    CatalogService catalogService;

    @Inject
    Config config;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    @ConfigProperty(name = "finledger.own-lineage.enabled", defaultValue = "true")
    boolean enabled;

    @ConfigProperty(name = "finledger.own-lineage.sweep-look-back", defaultValue = "PT6H")
    Duration sweepLookBack;

    private final OpenLineage ol = new OpenLineage(OwnFacets.PRODUCER);
    /** Built from the configuration on first use (tests set their own). */
    volatile DatasetNames names;

    /** What one recording did. */
    public record Recorded(int stored, int duplicates, int failed) {

        Recorded plus(Recorded other) {
            return new Recorded(stored + other.stored, duplicates + other.duplicates, failed + other.failed);
        }
    }

    DatasetNames names() {
        if (names == null) {
            names = new DatasetNames(key -> config.getOptionalValue(key, String.class));
        }
        return names;
    }

    /**
     * Records the lineage of everything the ledgers committed since a moment. Never throws: a problem
     * is logged and counted, and the sweep records it again later.
     */
    public Recorded recordSince(Instant since) {
        return recordSince(since, KINDS.toArray(String[]::new));
    }

    /** The kinds of own lineage: {@code dms}, {@code extract}, {@code intake}, {@code raw_load}, {@code dbt}. */
    public static final List<String> KINDS = List.of("dms", "extract", "intake", "raw_load", "dbt");

    /** Records the lineage of some kinds only (a code path records what it just committed). Never throws. */
    public Recorded recordSince(Instant since, String... kinds) {
        Recorded total = new Recorded(0, 0, 0);
        if (!enabled) {
            return total;
        }
        long startedNanos = System.nanoTime();
        for (String kind : kinds) {
            total = total.plus(safely(kind, switch (kind) {
                case "dms" -> () -> recordDms(since);
                case "extract" -> () -> recordPulls(since);
                case "intake" -> () -> recordPartnerFiles(since);
                case "raw_load" -> () -> recordRawLoads(since);
                case "dbt" -> () -> recordDbt(since);
                default -> throw new IllegalArgumentException("no own lineage of kind " + kind);
            }));
        }
        LOG.debugf("own lineage since %s (%s): %s in %d ms", since, String.join(",", kinds), total,
                (System.nanoTime() - startedNanos) / 1_000_000);
        return total;
    }

    /** The sweep: re-records the look-back period, so lineage a failed recording missed arrives late but arrives. */
    @Scheduled(identity = "own-lineage-sweep", every = "${finledger.own-lineage.sweep-every:30m}", delayed = "60s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        Recorded r = recordSince(clock.instant().minus(sweepLookBack));
        if (r.stored() > 0 || r.failed() > 0) {
            LOG.infof("own lineage sweep: %d event(s) recorded late, %d already there, %d failed", r.stored(),
                    r.duplicates(), r.failed());
        }
    }

    private interface Emitter {
        Recorded run() throws SQLException;
    }

    private Recorded safely(String kind, Emitter emitter) {
        try {
            return emitter.run();
        } catch (RuntimeException | SQLException e) {
            LOG.errorf(e, "recording own lineage (%s) failed: %s", kind, e.getMessage());
            metrics.counter("finledger_own_lineage_failures", "kind", kind).increment();
            return new Recorded(0, 0, 1);
        }
    }

    // ---------------------------------------------------------------- DMS change files

    /** One run of {@code dms.<task>} per change-file version: the ledger table → the landing object. */
    Recorded recordDms(Instant since) throws SQLException {
        Catalog catalog = catalogService.catalog();
        List<String> cdc = catalog.sources().stream().filter(s -> s.kind() == SourceKind.POSTGRES_CDC)
                .flatMap(s -> s.datasets().stream()).map(Dataset::name).toList();
        List<RunEvent> built = new ArrayList<>();
        int failed = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                with objects as (select distinct object_key, version_id from landed_object
                                 where recorded_at >= ? and dataset = any(?))
                select o.dataset, o.object_key, o.version_id, min(o.sha256), min(o.size_bytes), min(o.recorded_at),
                       array_agg(o.business_date::text order by o.business_date),
                       array(select distinct w.window_key from landed_window w join landed_object x
                             on x.id = w.landed_object_id where x.object_key = o.object_key
                             and x.version_id = o.version_id order by 1)
                from landed_object o join objects using (object_key, version_id)
                group by o.dataset, o.object_key, o.version_id order by min(o.id)""")) {
            ps.setTimestamp(1, Timestamp.from(since));
            ps.setArray(2, c.createArrayOf("text", cdc.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        Dataset dataset = catalog.dataset(rs.getString(1));
                        Source source = catalog.sourceOf(dataset);
                        String key = rs.getString(2);
                        String version = rs.getString(3);
                        List<Partition> partitions = partitions(dataset.name(), strings(rs.getArray(7)),
                                strings(rs.getArray(8)));
                        OpenLineage.RunFacetsBuilder runFacets = ol.newRunFacetsBuilder();
                        OwnFacets.partitions(runFacets, partitions);
                        Name table = names().sourceTable(source, dataset);
                        InputDataset input = ol.newInputDatasetBuilder().namespace(table.namespace()).name(table.name())
                                .facets(ol.newDatasetFacetsBuilder().schema(schema(dataset)).build()).build();
                        built.add(event(EventType.COMPLETE, time(rs.getTimestamp(6)),
                                runId("dms", source.dmsTask().orElse(source.name()), key, version), runFacets.build(),
                                "dms." + source.dmsTask().orElse(source.name()), List.of(input),
                                List.of(objectOutput(key, version, rs.getString(4), rs.getLong(5), null))));
                    } catch (RuntimeException e) {
                        failed += failure("dms", e);
                    }
                }
            }
        }
        return store("dms", built).plus(new Recorded(0, 0, failed));
    }

    // ---------------------------------------------------------------- API extractor pulls

    /** One run of {@code extract.<source>} per pull of a window: the endpoint's window → the objects it landed. */
    Recorded recordPulls(Instant since) throws SQLException {
        Catalog catalog = catalogService.catalog();
        List<RunEvent> built = new ArrayList<>();
        int failed = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select w.source, w.endpoint, w.window_from, w.window_to, a.pull_no, a.kind, a.started_at,
                       a.finished_at, a.status, a.row_count, a.checksum, a.changed, a.error
                from pull_attempt a join pull_window w on w.id = a.window_id
                where a.finished_at >= ? order by a.finished_at, a.id""")) {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        Source source = catalog.source(rs.getString(1));
                        Dataset dataset = source.datasets().get(0);
                        Instant from = rs.getTimestamp(3).toInstant();
                        Instant to = rs.getTimestamp(4).toInstant();
                        int pullNo = rs.getInt(5);
                        Instant started = rs.getTimestamp(7).toInstant();
                        Instant finished = rs.getTimestamp(8).toInstant();
                        boolean ok = rs.getString(9).equals("SUCCEEDED");
                        List<OutputDataset> outputs = new ArrayList<>();
                        Set<String> dates = new TreeSet<>();
                        Set<String> windows = new TreeSet<>();
                        if (ok && rs.getBoolean(12)) {
                            pulledObjects(c, source, dataset, from, to, started, finished, outputs, dates, windows);
                        }
                        Name endpoint = names().apiEndpoint(source);
                        InputDataset input = ol.newInputDatasetBuilder().namespace(endpoint.namespace())
                                .name(endpoint.name()).build();
                        UUID runId = runId("extract", source.name(), rs.getString(2), from.toString(),
                                Integer.toString(pullNo));
                        Map<String, Object> window = new LinkedHashMap<>();
                        window.put("from", from.toString());
                        window.put("to", to.toString());
                        window.put("kind", rs.getString(6));
                        window.put("pullNo", pullNo);
                        window.put("rows", rs.getObject(10));
                        window.put("checksum", rs.getString(11));
                        window.put("changed", rs.getBoolean(12));
                        OpenLineage.RunFacetsBuilder startFacets = ol.newRunFacetsBuilder()
                                .put("finledger_pull_window", OwnFacets.run("PullWindowRunFacet", window));
                        String job = "extract." + source.name();
                        built.add(event(EventType.START, started, runId, startFacets.build(), job, List.of(input),
                                List.of()));
                        OpenLineage.RunFacetsBuilder endFacets = ol.newRunFacetsBuilder()
                                .put("finledger_pull_window", OwnFacets.run("PullWindowRunFacet", window));
                        OwnFacets.partitions(endFacets, partitions(dataset.name(), dates, windows));
                        if (!ok) {
                            endFacets.errorMessage(ol.newErrorMessageRunFacet(
                                    Optional.ofNullable(rs.getString(13)).orElse("pull failed"), "text", null));
                        }
                        built.add(event(ok ? EventType.COMPLETE : EventType.FAIL, finished, runId, endFacets.build(),
                                job, List.of(input), outputs));
                    } catch (RuntimeException e) {
                        failed += failure("extract", e);
                    }
                }
            }
        }
        return store("extract", built).plus(new Recorded(0, 0, failed));
    }

    /** The object versions a pull landed: the window's objects (one per business date) recorded during the pull. */
    private void pulledObjects(Connection c, Source source, Dataset dataset, Instant from, Instant to, Instant started,
                               Instant finished, List<OutputDataset> outputs, Set<String> dates, Set<String> windows)
            throws SQLException {
        // the extractor's key: landing/<source>/<table>/business_date=<d>/window-<from>-<to>.ndjson, ':' removed
        String prefix = "landing/" + source.name() + "/" + dataset.table() + "/business_date=";
        String suffix = ("/window-" + from + "-" + to + ".ndjson").replace(":", "");
        try (PreparedStatement ps = c.prepareStatement("""
                select o.object_key, o.version_id, o.sha256, o.size_bytes, o.business_date::text,
                       array(select w.window_key from landed_window w where w.landed_object_id = o.id order by 1)
                from landed_object o
                where o.dataset = ? and starts_with(o.object_key, ?) and right(o.object_key, ?) = ?
                  and o.recorded_at between ? and ? order by o.object_key, o.version_id""")) {
            ps.setString(1, dataset.name());
            ps.setString(2, prefix);
            ps.setInt(3, suffix.length());
            ps.setString(4, suffix);
            ps.setTimestamp(5, Timestamp.from(started));
            ps.setTimestamp(6, Timestamp.from(finished));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    outputs.add(objectOutput(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), null));
                    dates.add(rs.getString(5));
                    windows.addAll(strings(rs.getArray(6)));
                }
            }
        }
    }

    // ---------------------------------------------------------------- partner files

    /** One run of {@code intake.<partner>} per file version: its decision and the object version with its SHA-256. */
    Recorded recordPartnerFiles(Instant since) throws SQLException {
        List<RunEvent> built = new ArrayList<>();
        int failed = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select id, bucket, object_key, version_id, size_bytes, sha256, partner, dataset, business_date::text,
                       received_at, received_via, state, reason, decided_at, late, duplicate_of, row_count, replay_of
                from partner_file where received_at >= ? or decided_at >= ? order by id""")) {
            ps.setTimestamp(1, Timestamp.from(since));
            ps.setTimestamp(2, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        String bucket = rs.getString(2);
                        String key = rs.getString(3);
                        String version = rs.getString(4);
                        String partner = rs.getString(7);
                        String state = rs.getString(12);
                        UUID runId = runId("intake", bucket, key, version);
                        String job = "intake." + partner;
                        Map<String, Object> file = new LinkedHashMap<>();
                        file.put("partner", partner);
                        file.put("receivedVia", rs.getString(11));
                        file.put("replayOf", rs.getObject(18));
                        OpenLineage.OutputDataset received = ol.newOutputDatasetBuilder().namespace("s3://" + bucket)
                                .name(key).facets(ol.newDatasetFacetsBuilder()
                                        .version(ol.newDatasetVersionDatasetFacet(version)).build()).build();
                        built.add(event(EventType.START, time(rs.getTimestamp(10)), runId, ol.newRunFacetsBuilder()
                                .put("finledger_partner_file", OwnFacets.run("PartnerFileRunFacet", file)).build(), job,
                                List.of(), List.of(received)));
                        if (rs.getTimestamp(14) == null || List.of("RECEIVED", "VALIDATING").contains(state)) {
                            continue; // not decided yet: its end is recorded once it is
                        }
                        Map<String, Object> decided = new LinkedHashMap<>(file);
                        decided.put("state", state);
                        decided.put("reason", rs.getString(13));
                        decided.put("late", rs.getBoolean(15));
                        decided.put("duplicateOf", rs.getObject(16));
                        decided.put("rows", rs.getObject(17));
                        OpenLineage.RunFacetsBuilder facets = ol.newRunFacetsBuilder()
                                .put("finledger_partner_file", OwnFacets.run("PartnerFileRunFacet", decided));
                        if (rs.getString(9) != null) {
                            OwnFacets.partitions(facets, List.of(new Partition(rs.getString(8), rs.getString(9))));
                        }
                        boolean quarantined = state.equals("QUARANTINED");
                        if (quarantined) {
                            facets.errorMessage(ol.newErrorMessageRunFacet(
                                    Optional.ofNullable(rs.getString(13)).orElse("quarantined"), "text", null));
                        }
                        built.add(event(quarantined ? EventType.FAIL : EventType.COMPLETE, time(rs.getTimestamp(14)),
                                runId, facets.build(), job, List.of(),
                                List.of(objectOutput("s3://" + bucket, key, version, rs.getString(6), rs.getLong(5),
                                        rs.getObject(17) == null ? null : rs.getLong(17)))));
                    } catch (RuntimeException e) {
                        failed += failure("intake", e);
                    }
                }
            }
        }
        return store("intake", built).plus(new Recorded(0, 0, failed));
    }

    // ---------------------------------------------------------------- RAW loads

    /** One run of {@code raw_load.<dataset>} per landed object and business date loaded: the object version → RAW. */
    Recorded recordRawLoads(Instant since) throws SQLException {
        Catalog catalog = catalogService.catalog();
        List<RunEvent> built = new ArrayList<>();
        int failed = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select o.dataset, o.business_date::text, o.object_key, o.version_id, o.sha256, o.size_bytes,
                       o.row_count, o.raw_loaded_at,
                       array(select w.window_key from landed_window w where w.landed_object_id = o.id order by 1)
                from landed_object o where o.raw_loaded_at >= ? order by o.raw_loaded_at, o.id""")) {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        Dataset dataset = catalog.dataset(rs.getString(1));
                        String date = rs.getString(2);
                        String key = rs.getString(3);
                        String version = rs.getString(4);
                        OpenLineage.RunFacetsBuilder facets = ol.newRunFacetsBuilder();
                        OwnFacets.partitions(facets, partitions(dataset.name(), List.of(date), strings(rs.getArray(9))));
                        Name object = names().landingObject(key);
                        InputDataset input = ol.newInputDatasetBuilder().namespace(object.namespace())
                                .name(object.name()).facets(objectFacets(key, version, rs.getString(5), rs.getLong(6)))
                                .build();
                        Name raw = names().warehouseTable("raw", dataset.name());
                        OutputDataset output = ol.newOutputDatasetBuilder().namespace(raw.namespace()).name(raw.name())
                                .outputFacets(ol.newOutputDatasetOutputFacetsBuilder().outputStatistics(
                                        ol.newOutputStatisticsOutputDatasetFacet(rs.getLong(7), null, null)).build())
                                .build();
                        built.add(event(EventType.COMPLETE, time(rs.getTimestamp(8)),
                                runId("raw_load", dataset.name(), key, version, date), facets.build(),
                                "raw_load." + dataset.name(), List.of(input), List.of(output)));
                    } catch (RuntimeException e) {
                        failed += failure("raw_load", e);
                    }
                }
            }
        }
        return store("raw_load", built).plus(new Recorded(0, 0, failed));
    }

    // ---------------------------------------------------------------- dbt models

    /**
     * One run of {@code dbt.<model unique_id>} per model node of each dbt invocation recorded since the
     * moment: the relations its compiled SQL reads → its relation, with the columns each output column
     * is computed from ({@link SqlColumnLineage}), and the partitions whose RAW data changed since the
     * invocation before.
     */
    Recorded recordDbt(Instant since) throws SQLException {
        return recordDbt("i.registered_at >= ?", Timestamp.from(since));
    }

    /** The lineage of one dbt invocation (Airflow's, posted through the API), after it was recorded. Never throws. */
    public Recorded recordDbtInvocation(String invocationId) {
        return enabled ? safely("dbt", () -> recordDbt("i.invocation_id = ?", invocationId)) : new Recorded(0, 0, 0);
    }

    private Recorded recordDbt(String where, Object parameter) throws SQLException {
        List<RunEvent> built = new ArrayList<>();
        int failed = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select i.invocation_id, i.run_results::text, i.registered_at,
                       (select max(p.registered_at) from dbt_invocation p where p.id < i.id)
                from dbt_invocation i where %s order by i.id""".formatted(where))) {
            ps.setObject(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        JsonNode runResults = JSON.readTree(rs.getString(2));
                        Timestamp previous = rs.getTimestamp(4);
                        Map<String, Set<String>> changed = rawChangesBetween(c,
                                previous == null ? Instant.EPOCH : previous.toInstant(), rs.getTimestamp(3).toInstant());
                        built.addAll(dbtEvents(catalogService.catalog(), rs.getString(1), runResults, rs.getTimestamp(3).toInstant(), changed));
                    } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
                        failed += failure("dbt", e);
                    }
                }
            }
        }
        return store("dbt", built).plus(new Recorded(0, 0, failed));
    }

    /** Partition keys (business dates and windows) per dataset whose RAW rows were loaded in {@code (after, upTo]}. */
    private static Map<String, Set<String>> rawChangesBetween(Connection c, Instant after, Instant upTo)
            throws SQLException {
        Map<String, Set<String>> changed = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select o.dataset, o.business_date::text, w.window_key from landed_object o
                left join landed_window w on w.landed_object_id = o.id
                where o.raw_loaded_at > ? and o.raw_loaded_at <= ?""")) {
            ps.setTimestamp(1, Timestamp.from(after));
            ps.setTimestamp(2, Timestamp.from(upTo));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Set<String> keys = changed.computeIfAbsent(rs.getString(1), k -> new TreeSet<>());
                    keys.add(rs.getString(2));
                    if (rs.getString(3) != null) {
                        keys.add(rs.getString(3));
                    }
                }
            }
        }
        return changed;
    }

    List<RunEvent> dbtEvents(Catalog catalog, String invocationId, JsonNode runResults, Instant registeredAt,
                             Map<String, Set<String>> rawChanges) {
        // each model's output columns, so that a model selecting * from another resolves its columns
        Map<String, SqlColumnLineage.Result> analysed = new LinkedHashMap<>();
        Map<String, List<String>> knownColumns = new LinkedHashMap<>();
        knownColumns.putAll(rawTableColumns(catalog));
        List<JsonNode> models = new ArrayList<>();
        runResults.path("results").forEach(r -> {
            if (r.path("unique_id").asText().startsWith("model.") && r.hasNonNull("relation_name")) {
                models.add(r);
            }
        });
        // run_results lists nodes in the order dbt finished them, upstream first; repeat for safety
        for (int pass = 0; pass < 3; pass++) {
            for (JsonNode r : models) {
                String relation = SqlColumnLineage.unquote(r.path("relation_name").asText());
                if (analysed.containsKey(relation)) {
                    continue;
                }
                // a model that failed to compile has no SQL: its run is recorded without inputs or columns
                SqlColumnLineage.Result result = r.hasNonNull("compiled_code")
                        ? SqlColumnLineage.analyse(r.path("compiled_code").asText(),
                                rel -> Optional.ofNullable(knownColumns.get(rel)))
                        : new SqlColumnLineage.Result(List.of(), Map.of(), List.of(), false);
                if (result.complete() || pass == 2) {
                    analysed.put(relation, result);
                    knownColumns.put(relation, result.columns());
                }
            }
        }
        List<RunEvent> built = new ArrayList<>();
        for (JsonNode r : models) {
            String uniqueId = r.path("unique_id").asText();
            String relation = SqlColumnLineage.unquote(r.path("relation_name").asText());
            SqlColumnLineage.Result lineage = analysed.get(relation);
            String[] parts = relationParts(relation);
            Name output = names().warehouseRelation(parts[0], parts[1], parts[2]);
            List<InputDataset> inputs = new ArrayList<>();
            for (String read : lineage.relations()) {
                String[] p = relationParts(read);
                Name in = names().warehouseRelation(p[0], p[1], p[2]);
                inputs.add(ol.newInputDatasetBuilder().namespace(in.namespace()).name(in.name()).build());
            }
            OpenLineage.ColumnLineageDatasetFacetFieldsBuilder fields = ol.newColumnLineageDatasetFacetFieldsBuilder();
            List<OpenLineage.SchemaDatasetFacetFields> schema = new ArrayList<>();
            for (String column : lineage.columns()) {
                schema.add(ol.newSchemaDatasetFacetFieldsBuilder().name(column).build());
                List<OpenLineage.InputField> inputFields = new ArrayList<>();
                for (SqlColumnLineage.Source src : lineage.lineage().getOrDefault(column, Set.of())) {
                    String[] p = relationParts(src.relation());
                    Name in = names().warehouseRelation(p[0], p[1], p[2]);
                    inputFields.add(ol.newInputFieldBuilder().namespace(in.namespace()).name(in.name())
                            .field(src.column()).transformations(List.of(ol.newInputFieldTransformationsBuilder()
                                    .type("DIRECT").subtype(src.kind().name()).build())).build());
                }
                if (!inputFields.isEmpty()) {
                    fields.put(column, ol.newColumnLineageDatasetFacetFieldsAdditionalBuilder()
                            .inputFields(inputFields).build());
                }
            }
            OpenLineage.DatasetFacetsBuilder outFacets = ol.newDatasetFacetsBuilder();
            if (lineage.complete()) {
                // a statement read only in part gives neither columns nor their lineage: nothing half true
                outFacets.schema(ol.newSchemaDatasetFacet(schema));
                outFacets.columnLineage(ol.newColumnLineageDatasetFacetBuilder().fields(fields.build()).build());
            }
            OpenLineage.OutputDatasetBuilder out = ol.newOutputDatasetBuilder().namespace(output.namespace())
                    .name(output.name()).facets(outFacets.build());
            JsonNode rows = r.path("adapter_response").path("rows_affected");
            if (rows.isNumber()) {
                out.outputFacets(ol.newOutputDatasetOutputFacetsBuilder()
                        .outputStatistics(ol.newOutputStatisticsOutputDatasetFacet(rows.asLong(), null, null)).build());
            }
            Instant started = registeredAt;
            Instant completed = registeredAt;
            for (JsonNode t : r.path("timing")) {
                Instant s = dbtTime(t.path("started_at").asText(null));
                Instant e = dbtTime(t.path("completed_at").asText(null));
                if (s != null && (started == registeredAt || s.isBefore(started))) {
                    started = s;
                }
                if (e != null && (completed == registeredAt || e.isAfter(completed))) {
                    completed = e;
                }
            }
            String status = r.path("status").asText();
            EventType end = switch (status) {
                case "success" -> EventType.COMPLETE;
                case "skipped" -> EventType.ABORT;
                default -> EventType.FAIL;
            };
            UUID runId = runId("dbt", invocationId, uniqueId);
            String job = "dbt." + uniqueId;
            Map<String, Object> dbt = new LinkedHashMap<>();
            dbt.put("invocationId", invocationId);
            dbt.put("uniqueId", uniqueId);
            dbt.put("status", status);
            OpenLineage.RunFacetsBuilder startFacets = ol.newRunFacetsBuilder()
                    .put("finledger_dbt", OwnFacets.run("DbtNodeRunFacet", dbt));
            String sql = r.hasNonNull("compiled_code") ? r.path("compiled_code").asText() : null;
            built.add(event(EventType.START, started, runId, startFacets.build(), job, sql, inputs, List.of()));
            OpenLineage.RunFacetsBuilder endFacets = ol.newRunFacetsBuilder()
                    .put("finledger_dbt", OwnFacets.run("DbtNodeRunFacet", dbt));
            OwnFacets.partitions(endFacets, modelPartitions(catalog, parts[1], parts[2], rawChanges));
            if (end == EventType.FAIL) {
                endFacets.errorMessage(ol.newErrorMessageRunFacet(r.path("message").asText("dbt " + status), "text",
                        null));
            }
            built.add(event(end, completed, runId, endFacets.build(), job, sql, inputs, List.of(out.build())));
        }
        return built;
    }

    /** database, schema, table of a relation name; a shorter name is completed with the warehouse's database. */
    private String[] relationParts(String relation) {
        String[] parts = relation.split("\\.");
        return switch (parts.length) {
            case 3 -> parts;
            case 2 -> new String[] {names().warehouseDatabase(), parts[0], parts[1]};
            case 1 -> new String[] {names().warehouseDatabase(), "public", parts[0]};
            default -> new String[] {parts[parts.length - 3], parts[parts.length - 2], parts[parts.length - 1]};
        };
    }

    /** RAW tables have the columns the warehouse dialect creates them with. */
    private Map<String, List<String>> rawTableColumns(Catalog catalog) {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        String database = names().warehouseDatabase().toLowerCase();
        catalog.datasets().forEach(d -> columns.put(database + ".raw." + d.name().toLowerCase(),
                com.finledger.integrity.warehouse.WarehouseDialect.RAW_COLUMNS));
        return columns;
    }

    /**
     * The partitions a model built: a staging model ({@code staging.<dataset>}) those of its dataset whose
     * RAW rows changed; a curated model those of the datasets it is built from, through curated ones too.
     */
    private static List<Partition> modelPartitions(Catalog catalog, String schema, String table,
                                                   Map<String, Set<String>> rawChanges) {
        Map<String, Set<String>> reached = new LinkedHashMap<>(rawChanges);
        for (CuratedDataset curated : catalog.curated()) {
            Set<String> keys = new TreeSet<>();
            for (String from : curated.builtFrom()) {
                Set<String> upstream = reached.getOrDefault(from, Set.of());
                for (String key : upstream) {
                    // a windowed curated dataset is built per window, the others per business date
                    if (curated.partitioning().windowed() || key.length() == 10) {
                        keys.add(key);
                    }
                }
            }
            if (!keys.isEmpty()) {
                reached.put(curated.name(), keys);
            }
        }
        String dataset = schema.equals("staging") || schema.endsWith("_staging") ? table
                : catalog.curated().stream().anyMatch(cd -> cd.name().equals(table)) ? table : null;
        if (dataset == null || !reached.containsKey(dataset)) {
            return List.of();
        }
        return reached.get(dataset).stream().map(k -> new Partition(dataset, k)).toList();
    }

    private static Instant dbtTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$") ? text : text + "Z";
        return java.time.OffsetDateTime.parse(t).toInstant();
    }

    // ---------------------------------------------------------------- building and storing

    private RunEvent event(EventType type, Instant time, UUID runId, OpenLineage.RunFacets runFacets, String job,
                           List<InputDataset> inputs, List<OutputDataset> outputs) {
        return event(type, time, runId, runFacets, job, null, inputs, outputs);
    }

    /** An event of one of our jobs, typed by its kind (the job name's prefix), with the SQL it ran if any. */
    private RunEvent event(EventType type, Instant time, UUID runId, OpenLineage.RunFacets runFacets, String job,
                           String sql, List<InputDataset> inputs, List<OutputDataset> outputs) {
        String[] typed = switch (job.substring(0, job.indexOf('.'))) {
            case "dms" -> new String[] {"STREAMING", "AWS_DMS", "REPLICATION_TASK"};
            case "extract" -> new String[] {"BATCH", "FINLEDGER", "API_PULL"};
            case "intake" -> new String[] {"BATCH", "FINLEDGER", "PARTNER_FILE"};
            case "raw_load" -> new String[] {"BATCH", "FINLEDGER", "RAW_LOAD"};
            case "dbt" -> new String[] {"BATCH", "DBT", "MODEL"};
            default -> throw new IllegalArgumentException("no job kind " + job);
        };
        OpenLineage.JobFacetsBuilder jobFacets = ol.newJobFacetsBuilder().jobType(ol.newJobTypeJobFacetBuilder()
                .processingType(typed[0]).integration(typed[1]).jobType(typed[2]).build());
        if (sql != null) {
            jobFacets.sql(ol.newSQLJobFacet(sql, names().snowflake() ? "snowflake" : "postgres"));
        }
        return ol.newRunEventBuilder().eventType(type).eventTime(ZonedDateTime.ofInstant(time, ZoneOffset.UTC))
                .run(ol.newRun(runId, runFacets))
                .job(ol.newJobBuilder().namespace(NAMESPACE).name(job).facets(jobFacets.build()).build())
                .inputs(inputs).outputs(outputs).build();
    }

    private OutputDataset objectOutput(String key, String version, String sha256, long size, Long rows) {
        Name object = names().landingObject(key);
        return objectOutput(object.namespace(), key, version, sha256, size, rows);
    }

    private OutputDataset objectOutput(String namespace, String key, String version, String sha256, long size,
                                       Long rows) {
        OpenLineage.OutputDatasetBuilder out = ol.newOutputDatasetBuilder().namespace(namespace).name(key)
                .facets(objectFacets(key, version, sha256, size));
        if (rows != null) {
            out.outputFacets(ol.newOutputDatasetOutputFacetsBuilder()
                    .outputStatistics(ol.newOutputStatisticsOutputDatasetFacet(rows, size, null)).build());
        }
        return out.build();
    }

    private OpenLineage.DatasetFacets objectFacets(String key, String version, String sha256, long size) {
        return ol.newDatasetFacetsBuilder().version(ol.newDatasetVersionDatasetFacet(version))
                .put("finledger_object", OwnFacets.object(key, version, sha256, size)).build();
    }

    private OpenLineage.SchemaDatasetFacet schema(Dataset dataset) {
        return ol.newSchemaDatasetFacet(dataset.columns().stream().map(col -> ol.newSchemaDatasetFacetFieldsBuilder()
                .name(col.name()).type(col.type()).build()).toList());
    }

    private static List<Partition> partitions(String dataset, Iterable<String> dates, Iterable<String> windows) {
        Set<String> keys = new LinkedHashSet<>();
        new TreeSet<String>(toList(dates)).forEach(keys::add);
        new TreeSet<String>(toList(windows)).forEach(keys::add);
        return keys.stream().map(k -> new Partition(dataset, k)).toList();
    }

    private static List<String> toList(Iterable<String> values) {
        List<String> list = new ArrayList<>();
        values.forEach(list::add);
        return list;
    }

    private static List<String> strings(Array array) {
        try {
            return array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant time(Timestamp ts) {
        return ts.toInstant();
    }

    /** A name-based (version 3) UUID of a load's natural key: the same load always has the same run id. */
    static UUID runId(String kind, String... key) {
        return UUID.nameUUIDFromBytes(("finledger-lineage:" + kind + ":" + String.join("\u0000", key))
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The event as the JSON the OpenLineage client writes. */
    static JsonNode json(RunEvent event) {
        try {
            return JSON.readTree(OpenLineageClientUtils.toJson(event));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hands each event to the store; one that cannot be stored is logged and counted, the others still go. */
    Recorded store(String kind, List<RunEvent> built) {
        int stored = 0;
        int duplicates = 0;
        int failed = 0;
        for (RunEvent event : built) {
            try {
                if (events.store(json(event), RECEIVED_BY).created()) {
                    stored++;
                } else {
                    duplicates++;
                }
            } catch (RuntimeException e) {
                failed += failure(kind, e);
            }
        }
        if (stored > 0) {
            metrics.counter("finledger_own_lineage_events", "kind", kind).increment(stored);
        }
        return new Recorded(stored, duplicates, failed);
    }

    private int failure(String kind, Exception e) {
        LOG.errorf("recording own lineage (%s) failed: %s", kind, e.getMessage());
        metrics.counter("finledger_own_lineage_failures", "kind", kind).increment();
        return 1;
    }
}
