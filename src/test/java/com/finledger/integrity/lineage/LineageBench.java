package com.finledger.integrity.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.finledger.integrity.platform.Jdbc;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Benchmarks of lineage (Maven profile {@code bench}, not part of verify); results in
 * target/bench/lineage.json.
 *
 * <ol>
 *   <li>Ingest of generated real-shaped events (Airflow task, dbt model and Spark/Glue runs, START and
 *       COMPLETE) through POST /api/v1/lineage, batched (JSON arrays) and one per request, each against
 *       a trivial POST of the same app (same auth, same bodies, JSON parsed, nothing stored) in the
 *       same run. Targets: ≥ 5,000 events/s batched, ≥ 1,000 events/s one per request.</li>
 *   <li>Depth-10 upstream queries over a generated layered graph of 1M job-dataset edges: p95 &lt; 50 ms,
 *       through the HTTP API (with data quality) and through the service alone.</li>
 * </ol>
 */
@QuarkusTest
class LineageBench {

    private static final Path OUT = Path.of("target", "bench");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("pipeline:demo".getBytes());
    private static final String READER = "Basic " + Base64.getEncoder().encodeToString("auditor:demo".getBytes());

    @TestHTTPResource("/")
    URL root;

    @Inject
    DataSource dataSource;

    @Inject
    LineageGraph graph;

    private final Map<String, Object> results = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void benchmarks() throws Exception {
        int events = Integer.getInteger("bench.lineage.events", 100_000);
        int clients = Integer.getInteger("bench.lineage.clients", 8);
        int batchSize = Integer.getInteger("bench.lineage.batch", 500);
        ingest(events, clients, batchSize);
        upstreamQueries(Integer.getInteger("bench.lineage.edges", 1_000_000));
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("lineage.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        System.out.println("[bench] results written to " + OUT.resolve("lineage.json"));
    }

    // ------------------------------------------------------------------ ingest

    /** Events shaped like the fixtures: a run's START and COMPLETE, varied jobs, datasets and sizes. */
    private static List<String> generate(int count, long seed) {
        Random random = new Random(seed);
        ArrayNode airflow = LineageFixtures.load("airflow-task-run.json");
        ArrayNode dbt = LineageFixtures.load("dbt-model-run.json");
        ArrayNode spark = LineageFixtures.load("spark-glue-run.json");
        // a Glue job with a 240-column schema is rare; keep the shape, with a typical 24 columns
        for (JsonNode e : spark) {
            for (JsonNode d : e.path("inputs")) {
                trimSchema(d);
            }
            for (JsonNode d : e.path("outputs")) {
                trimSchema(d);
            }
        }
        List<ArrayNode> templates = List.of(airflow, dbt, spark);
        List<String> out = new ArrayList<>(count);
        Instant base = Instant.parse("2026-11-01T00:00:00Z");
        while (out.size() < count) {
            ArrayNode template = templates.get(random.nextInt(templates.size()));
            String run = new UUID(random.nextLong(), random.nextLong()).toString();
            int job = random.nextInt(2000);
            int table = random.nextInt(20_000);
            Instant start = base.plusSeconds(random.nextInt(30 * 86_400));
            for (int i = 0; i < template.size() && out.size() < count; i++) {
                if (template.size() == 3 && i == 1) {
                    continue; // Spark's RUNNING event: START and COMPLETE are enough per run here
                }
                ObjectNode e = template.get(i).deepCopy();
                e.put("eventTime", start.plusSeconds(i * 90L).toString());
                ((ObjectNode) e.get("run")).put("runId", run);
                ((ObjectNode) e.get("job")).put("name", e.at("/job/name").asText() + "_" + job);
                for (JsonNode d : e.path("outputs")) {
                    ((ObjectNode) d).put("name", d.get("name").asText() + "_" + table);
                }
                for (JsonNode d : e.path("inputs")) {
                    ((ObjectNode) d).put("name", d.get("name").asText() + "_" + random.nextInt(20_000));
                }
                out.add(e.toString());
            }
        }
        return out;
    }

    private static void trimSchema(JsonNode dataset) {
        JsonNode fields = dataset.at("/facets/schema/fields");
        if (fields.isArray()) {
            while (fields.size() > 24) {
                ((ArrayNode) fields).remove(fields.size() - 1);
            }
        }
        JsonNode columns = dataset.at("/facets/columnLineage/fields");
        if (columns.isObject()) {
            List<String> names = new ArrayList<>();
            columns.fieldNames().forEachRemaining(names::add);
            names.subList(Math.min(24, names.size()), names.size()).forEach(((ObjectNode) columns)::remove);
        }
    }

    private void ingest(int count, int clients, int batchSize) throws Exception {
        List<String> events = generate(count, 42);
        long bytes = events.stream().mapToLong(String::length).sum();
        System.out.printf(Locale.ROOT, "[bench] %d generated events, %.1f MB, average %d bytes%n", events.size(),
                bytes / 1e6, bytes / events.size());
        List<String> batches = new ArrayList<>();
        for (int i = 0; i < events.size(); i += batchSize) {
            batches.add("[" + String.join(",", events.subList(i, Math.min(events.size(), i + batchSize))) + "]");
        }
        // warm-up on other events, so that both sides run JIT-compiled
        List<String> warm = generate(4_000, 7);
        post("api/v1/bench/trivial", warm, clients, 201);
        post("api/v1/lineage", warm, clients, 201);

        double trivialBatchS = post("api/v1/bench/trivial", batches, clients, 201);
        long before = count("select count(*) from lineage_event");
        double batchS = post("api/v1/lineage", batches, clients, 201);
        long stored = count("select count(*) from lineage_event") - before;
        assertEquals(events.size(), stored, "every batched event stored once");

        // one per request: the same number of fresh events (new run ids), so nothing is a redelivery
        List<String> singles = generate(count, 4242);
        double trivialSingleS = post("api/v1/bench/trivial", singles, clients, 201);
        before = count("select count(*) from lineage_event");
        double singleS = post("api/v1/lineage", singles, clients, 201);
        assertEquals(singles.size(), count("select count(*) from lineage_event") - before);

        double batchRate = events.size() / batchS;
        double singleRate = singles.size() / singleS;
        double trivialBatchRate = events.size() / trivialBatchS;
        double trivialSingleRate = singles.size() / trivialSingleS;
        System.out.printf(Locale.ROOT, "[bench] ingest batched (%d per request, %d clients): %.0f events/s "
                + "(target >= 5000) %s; trivial POST of the same batches: %.0f events/s; ratio %.3f%n", batchSize,
                clients, batchRate, batchRate >= 5000 ? "MET" : "NOT MET", trivialBatchRate, batchRate / trivialBatchRate);
        System.out.printf(Locale.ROOT, "[bench] ingest one per request (%d clients): %.0f events/s (target >= 1000) %s; "
                + "trivial POST of the same bodies: %.0f requests/s; ratio %.3f%n", clients, singleRate,
                singleRate >= 1000 ? "MET" : "NOT MET", trivialSingleRate, singleRate / trivialSingleRate);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("events", events.size());
        r.put("average_event_bytes", bytes / events.size());
        r.put("clients", clients);
        r.put("batch_size", batchSize);
        r.put("batched_events_per_s", batchRate);
        r.put("batched_trivial_events_per_s", trivialBatchRate);
        r.put("batched_ratio_vs_trivial", batchRate / trivialBatchRate);
        r.put("batched_target_min", 5000);
        r.put("batched_met", batchRate >= 5000);
        r.put("single_events_per_s", singleRate);
        r.put("single_trivial_requests_per_s", trivialSingleRate);
        r.put("single_ratio_vs_trivial", singleRate / trivialSingleRate);
        r.put("single_target_min", 1000);
        r.put("single_met", singleRate >= 1000);
        results.put("ingest", r);
    }

    /** Posts every body with this many concurrent clients; returns the wall-clock seconds. */
    private double post(String path, List<String> bodies, int clients, int expected) throws Exception {
        URI uri = URI.create(root + path);
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Authorization", AUTH)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != expected && response.statusCode() != 200) {
                        throw new IllegalStateException(path + " answered " + response.statusCode() + ": "
                                + response.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return (System.nanoTime() - t0) / 1e9;
    }

    // ------------------------------------------------------------------ queries

    /**
     * A layered graph: 50 layers of datasets; every job writes one dataset and reads two of the layer
     * before, so a depth-10 upstream walk reaches up to ~2,000 datasets. edges = jobs x 3.
     */
    private void upstreamQueries(int edges) throws Exception {
        int jobs = edges / 3;
        int layers = 50;
        int width = jobs / (layers - 1);
        long t0 = System.nanoTime();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into lineage_namespace (name) values ('bench://graph') "
                    + "on conflict do nothing");
            s.execute("""
                    insert into lineage_dataset (namespace, name, created_at, updated_at)
                    select 'bench://graph', 'l' || (g / %1$d) || '.d' || (g %% %1$d), now(), now()
                    from generate_series(0, %1$d * %2$d - 1) g""".formatted(width, layers));
            s.execute("""
                    insert into lineage_job (namespace, name, created_at, updated_at)
                    select 'bench://graph', 'job' || g, now(), now() from generate_series(0, %d - 1) g""".formatted(
                    width * (layers - 1)));
            s.execute("create temp table bench_ids as select (select min(id) from lineage_dataset "
                    + "where namespace = 'bench://graph') as d0, (select min(id) from lineage_job "
                    + "where namespace = 'bench://graph') as j0");
            // job g writes dataset (layer g / width + 1, slot g % width) and reads two pseudo-random ones of the layer below
            s.execute("""
                    insert into lineage_job_io (job_id, direction, dataset_id)
                    select b.j0 + g, 'O', b.d0 + g + %1$d from generate_series(0, %1$d * %2$d - 1) g, bench_ids b""".formatted(
                    width, layers - 1));
            s.execute("""
                    insert into lineage_job_io (job_id, direction, dataset_id)
                    select distinct b.j0 + g, 'I', b.d0 + (g / %1$d) * %1$d + ((g * k + k * 7919) %% %1$d)
                    from generate_series(0, %1$d * %2$d - 1) g, generate_series(1, 2) k, bench_ids b""".formatted(
                    width, layers - 1));
            s.execute("analyze lineage_job_io");
            s.execute("analyze lineage_dataset");
            s.execute("analyze lineage_job");
        }
        long edgeCount = count("select count(*) from lineage_job_io j join lineage_job b on b.id = j.job_id "
                + "where b.namespace = 'bench://graph'");
        double buildS = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "[bench] graph: %d edges, %d datasets, %d jobs, built in %.1f s%n", edgeCount,
                (long) width * layers, (long) width * (layers - 1), buildS);

        Random random = new Random(11);
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            targets.add("l" + (layers - 1 - random.nextInt(10)) + ".d" + random.nextInt(width));
        }
        // warm-up
        for (String t : targets.subList(0, 30)) {
            graph.dataset("bench://graph", t, LineageGraph.Direction.UPSTREAM, 10, false);
        }
        List<Double> service = new ArrayList<>();
        int truncated = 0;
        long nodes = 0;
        for (String t : targets) {
            long q0 = System.nanoTime();
            LineageGraph.Graph g = graph.dataset("bench://graph", t, LineageGraph.Direction.UPSTREAM, 10, false);
            service.add((System.nanoTime() - q0) / 1e6);
            truncated += g.truncated() ? 1 : 0;
            nodes += g.nodes().size();
        }
        List<Double> api = new ArrayList<>();
        for (String t : targets) {
            URI uri = URI.create(root + "api/v1/lineage/upstream?namespace=" + URLEncoder.encode("bench://graph",
                    StandardCharsets.UTF_8) + "&name=" + t + "&depth=10");
            long q0 = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Authorization", READER)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            api.add((System.nanoTime() - q0) / 1e6);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("upstream answered " + response.statusCode() + ": " + response.body());
            }
        }
        // the baseline: the same requests' cost without the walk (a trivial GET of the same app and auth)
        List<Double> trivial = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            long q0 = System.nanoTime();
            http.send(HttpRequest.newBuilder(URI.create(root + "api/v1/whoami")).header("Authorization", READER)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            trivial.add((System.nanoTime() - q0) / 1e6);
        }
        double serviceP95 = percentile(service, 95);
        double apiP95 = percentile(api, 95);
        System.out.printf(Locale.ROOT, "[bench] depth-10 upstream over %d edges: service p50 %.1f ms p95 %.1f ms "
                + "p99 %.1f ms; HTTP API (with quality) p50 %.1f ms p95 %.1f ms (target < 50) %s; trivial GET p95 %.1f ms; "
                + "%d of %d answers truncated at the node cap, %.0f nodes on average%n", edgeCount,
                percentile(service, 50), serviceP95, percentile(service, 99), percentile(api, 50), apiP95,
                apiP95 < 50 ? "MET" : "NOT MET", percentile(trivial, 95), truncated, targets.size(),
                (double) nodes / targets.size());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("edges", edgeCount);
        r.put("datasets", (long) width * layers);
        r.put("jobs", (long) width * (layers - 1));
        r.put("queries", targets.size());
        r.put("depth", 10);
        r.put("service_ms_p50", percentile(service, 50));
        r.put("service_ms_p95", serviceP95);
        r.put("service_ms_p99", percentile(service, 99));
        r.put("api_ms_p50", percentile(api, 50));
        r.put("api_ms_p95", apiP95);
        r.put("api_ms_p99", percentile(api, 99));
        r.put("trivial_get_ms_p95", percentile(trivial, 95));
        r.put("truncated_answers", truncated);
        r.put("average_nodes", (double) nodes / targets.size());
        r.put("target_p95_ms_max", 50);
        r.put("met", apiP95 < 50);
        results.put("upstream_depth_10", r);
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private long count(String sql) {
        return Jdbc.query(dataSource, sql, List.of(), rs -> rs.getLong(1)).get(0);
    }
}
