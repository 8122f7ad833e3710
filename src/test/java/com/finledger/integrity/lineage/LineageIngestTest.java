package com.finledger.integrity.lineage;

import static com.finledger.integrity.lineage.LineageFixtures.JSON;
import static com.finledger.integrity.lineage.LineageFixtures.get;
import static com.finledger.integrity.lineage.LineageFixtures.load;
import static com.finledger.integrity.lineage.LineageFixtures.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.finledger.integrity.platform.Jdbc;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** POST /api/v1/lineage as Airflow, Spark on Glue and dbt send events: stored once each, projected, never merged. */
@QuarkusTest
class LineageIngestTest {

    @Inject
    DataSource dataSource;

    @Inject
    LineageEvents events;

    private long count(String sql, Object... params) {
        return Jdbc.query(dataSource, sql, List.of(params), rs -> rs.getLong(1)).get(0);
    }

    private String runState(String runId) {
        return Jdbc.query(dataSource, "select coalesce(state, '-') from lineage_run where run_uuid = ?::uuid",
                List.of(runId), rs -> rs.getString(1)).get(0);
    }

    /** Everything the graph holds about a run, as text, to compare before and after. */
    private String projection(String runId) {
        return String.join("\n", Jdbc.query(dataSource, """
                select r.state || '|' || r.created_at || '|' || coalesce(r.started_at::text, '') || '|'
                       || coalesce(r.ended_at::text, '') || '|' || j.namespace || '|' || j.name || '|' ||
                       coalesce((select string_agg(io.direction || d.namespace || d.name || io.version || io.first_seen, ','
                                 order by io.direction, d.namespace, d.name, io.version)
                                 from lineage_run_io io join lineage_dataset d on d.id = io.dataset_id
                                 where io.run_uuid = r.run_uuid), '') || '|' ||
                       coalesce((select string_agg(d.namespace || d.name || v.version || v.created_at || v.facets::text
                                 || coalesce(d.fields::text, ''), ',' order by d.namespace, d.name, v.version)
                                 from lineage_dataset_version v join lineage_dataset d on d.id = v.dataset_id
                                 where v.created_by_run = r.run_uuid), '')
                from lineage_run r join lineage_job j on j.id = r.job_id where r.run_uuid = ?::uuid""",
                List.of(runId), rs -> rs.getString(1)));
    }

    @Test
    void eachIntegrationsEventsAreStoredOnceAndARedeliveryChangesNothing() {
        for (String fixture : List.of("airflow-task-run.json", "spark-glue-run.json", "dbt-model-run.json")) {
            ArrayNode run = load(fixture);
            String runId = run.get(0).at("/run/runId").asText();
            // the terminal event first: the run must still end COMPLETE
            for (int i = run.size() - 1; i >= 0; i--) {
                post(run.get(i)).statusCode(201).body("created", equalTo(true)).body("duplicate", equalTo(false));
            }
            assertEquals("COMPLETE", runState(runId), fixture);
            assertEquals(run.size(), count("select count(*) from lineage_event where run_id = ?", runId), fixture);
            String before = projection(runId);
            for (JsonNode e : run) {
                post(e).statusCode(200).body("created", equalTo(false)).body("duplicate", equalTo(true));
            }
            post(run).statusCode(200).body("received", equalTo(run.size())).body("created", equalTo(0))
                    .body("redelivered", equalTo(run.size()));
            assertEquals(run.size(), count("select count(*) from lineage_event where run_id = ?", runId), fixture);
            assertEquals(before, projection(runId), fixture + ": a redelivery changed the graph");
        }
    }

    @Test
    void theGraphIsTheSameWhateverOrderTheEventsArriveIn() {
        // the same Spark run twice under two namespaces: once in order, once reversed, once as a batch
        List<String> seen = new ArrayList<>();
        for (int order = 0; order < 3; order++) {
            String ns = "s3://order-" + order + "-" + UUID.randomUUID();
            ArrayNode run = load("spark-glue-run.json", Map.of("s3://finledger-curated-eu-west-1", ns));
            String runId = run.get(0).at("/run/runId").asText();
            if (order == 0) {
                run.forEach(e -> post(e).statusCode(201));
            } else if (order == 1) {
                for (int i = run.size() - 1; i >= 0; i--) {
                    post(run.get(i)).statusCode(201);
                }
            } else {
                ArrayNode shuffled = JSON.createArrayNode().add(run.get(1)).add(run.get(2)).add(run.get(0));
                post(shuffled).statusCode(201).body("created", equalTo(3));
            }
            seen.add(projection(runId).replace(runId, "RUN").replace(ns, "NS"));
        }
        assertEquals(seen.get(0), seen.get(1));
        assertEquals(seen.get(0), seen.get(2));
        assertTrue(seen.get(0).startsWith("COMPLETE|"), seen.get(0));
    }

    @Test
    void distinctEventsSharingRunTypeAndTimeAreBothKept() {
        ArrayNode run = load("dbt-model-run.json");
        ObjectNode complete = (ObjectNode) run.get(1);
        ObjectNode second = complete.deepCopy();
        // the same run, type and time, but it names another output: a different event, not a duplicate
        ((ObjectNode) second.get("outputs").get(0)).put("name", "finledger.curated.transactions_audit");
        String runId = complete.at("/run/runId").asText();
        post(complete).statusCode(201);
        post(second).statusCode(201).body("duplicate", equalTo(false));
        assertEquals(2, count("select count(*) from lineage_event where run_id = ? and event_type = 'COMPLETE'", runId));
        assertEquals(2, count("""
                select count(*) from lineage_run_io io where io.run_uuid = ?::uuid and io.direction = 'O'""", runId));
    }

    @Test
    void theWireIsReadAsLenientlyAsMarquezReadsIt() {
        String runId = UUID.randomUUID().toString();
        // no eventType, a time without zone and with nanoseconds, unknown facets and fields
        String event = """
                {"eventTime": "2026-11-03T09:10:11.123456789", "producer": "https://example.com/custom-producer",
                 "run": {"runId": "%s", "facets": {"acme_cost": {"_producer": "x", "_schemaURL": "y", "eur": "0.12 €",
                   "nested": {"ключ": ["值", 1.50, null, true]}}}},
                 "job": {"namespace": "acme", "name": "nightly ✓"}, "outputs": [], "x-vendor": {"a": 1}}""".formatted(runId);
        post(event).statusCode(201);
        assertEquals("2026-11-03 09:10:11.123457+00", Jdbc.query(dataSource,
                "select (event_time at time zone 'UTC')::text || '+00' from lineage_event where run_id = ?",
                List.of(runId), rs -> rs.getString(1)).get(0));
        JsonNode stored = Jdbc.query(dataSource, "select event::text from lineage_event where run_id = ?", List.of(runId),
                rs -> tree(rs.getString(1))).get(0);
        assertEquals(tree(event), stored, "the raw event is kept verbatim, unknown facets and fields too");
        assertEquals("-", runState(runId), "no eventType: the run exists without a state");
        // a zone id and an offset are read too
        post(event.replace(runId, UUID.randomUUID().toString()).replace("2026-11-03T09:10:11.123456789",
                "2026-11-03T10:10:11+01:00[Europe/Paris]")).statusCode(201);
    }

    @Test
    void staticLineageJobAndDatasetEventsAreAccepted() {
        ArrayNode events = load("static-lineage.json");
        post(events).statusCode(201).body("events.kind", equalTo(List.of("JOB", "DATASET")));
        get("auditor", "/api/v1/namespaces/{ns}/jobs/{job}".replace("{ns}", enc("airflow://finledger-mwaa"))
                .replace("{job}", enc("finledger_daily.curate_settlements")))
                .statusCode(200).body("outputs.name", hasItem("finledger.curated.settlements"))
                .body("inputs.name", hasItem("finledger.raw.northbank_settlement_lines"));
        get("auditor", "/api/v1/namespaces/" + enc("snowflake://finledger-prod") + "/datasets/"
                + enc("finledger.curated.settlements")).statusCode(200)
                .body("fields.name", equalTo(List.of("settlement_id", "amount_minor")));
    }

    @Test
    void nDJsonBatchesAreAcceptedAndMalformedOnesStoreNothing() {
        ArrayNode run = load("airflow-task-run.json");
        String runId = run.get(0).at("/run/runId").asText();
        String ndjson = run.get(0) + "\n\n" + run.get(1) + "\n";
        given().auth().preemptive().basic("pipeline", "demo").contentType("application/x-ndjson").body(ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/lineage").then().statusCode(201).body("created", equalTo(2));
        assertEquals("COMPLETE", runState(runId));

        ArrayNode other = load("airflow-task-run.json");
        String otherRun = other.get(0).at("/run/runId").asText();
        given().auth().preemptive().basic("pipeline", "demo").contentType("application/x-ndjson")
                .body((other.get(0) + "\n{\"eventTime\": \n").getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/lineage").then().statusCode(400)
                .body("problems[0].index", equalTo(1)).body("detail", containsString("line 2 is not JSON"));
        assertEquals(0, count("select count(*) from lineage_event where run_id = ?", otherRun));
    }

    @Test
    void malformedEventsGetEveryProblemWithItsPathAndNothingIsStored() {
        long before = count("select count(*) from lineage_event");
        long runs = count("select count(*) from lineage_run");
        String bad = """
                {"eventType": "DONE", "eventTime": "yesterday", "producer": "p",
                 "run": {"runId": "not-a-uuid", "facets": {"finledger_partition": {"dataset": "payments"}}},
                 "job": {"namespace": "finledger"},
                 "inputs": [{"namespace": "s3://b"}],
                 "outputs": [{"namespace": "pg", "name": "t", "facets": {"schema": {"fields": [{"type": "int"}]},
                   "columnLineage": {"fields": {"a/b": {"inputFields": [{"namespace": "pg", "name": "s"}]}}}}}]}""";
        post(bad).statusCode(400)
                .body("problems.path", equalTo(List.of("/eventTime", "/eventType", "/run/runId",
                        "/run/facets/finledger_partition/partitionKey", "/job/name", "/inputs/0/name",
                        "/outputs/0/facets/schema/fields/0/name",
                        "/outputs/0/facets/columnLineage/fields/a~1b/inputFields/0/field")))
                .body("detail", containsString("/run/runId must be a UUID"));

        // a batch: the good events are not stored either, and each problem names its event
        ArrayNode batch = load("dbt-model-run.json");
        ObjectNode broken = batch.get(1).deepCopy();
        broken.remove("producer");
        ((ObjectNode) broken.get("job")).put("name", "");
        batch.add(broken);
        post(batch).statusCode(400).body("problems.index", equalTo(List.of(2, 2)))
                .body("problems.path", equalTo(List.of("/producer", "/job/name")))
                .body("title", containsString("nothing of the batch was stored"));
        post("[]").statusCode(400);
        post("{\"eventTime\": ").statusCode(400).body("title", equalTo("Malformed JSON body"));
        assertEquals(before, count("select count(*) from lineage_event"));
        assertEquals(runs, count("select count(*) from lineage_run"));
    }

    @Test
    void eventsAndBatchesOverTheLimitsAre413AndStoreNothing() {
        long before = count("select count(*) from lineage_event");
        ArrayNode run = load("dbt-model-run.json");
        ObjectNode huge = run.get(0).deepCopy();
        ((ObjectNode) huge.at("/run/facets")).set("padding", JSON.createObjectNode().put("_producer", "x")
                .put("_schemaURL", "y").put("text", "é".repeat(600_000)));
        post(huge).statusCode(413).body("detail", containsString("more than the limit of 1048576"));
        ArrayNode tooMany = JSON.createArrayNode();
        tooMany.add(run.get(1));
        tooMany.add(huge);
        post(tooMany).statusCode(413).body("detail", containsString("event 1 is"));
        // a batch body over max-batch-bytes (8 MiB by default)
        ArrayNode big = JSON.createArrayNode();
        ObjectNode spark = load("spark-glue-run.json").get(2).deepCopy();
        while (big.toString().length() < 8_500_000) {
            ObjectNode copy = spark.deepCopy();
            ((ObjectNode) copy.get("run")).put("runId", UUID.randomUUID().toString());
            big.add(copy);
        }
        post(big).statusCode(413).body("detail", containsString("finledger.lineage.max-batch-bytes"));
        assertEquals(before, count("select count(*) from lineage_event"));
    }

    @Test
    void onlyThePipelineAndAdminPostAndOnlyReadersRead() {
        ArrayNode run = load("dbt-model-run.json");
        for (String user : List.of("auditor", "ops", "preparer", "approver")) {
            given().auth().preemptive().basic(user, "demo").contentType("application/json").body(run.get(0).toString())
                    .post("/api/v1/lineage").then().statusCode(403);
        }
        given().auth().preemptive().basic("admin", "demo").contentType("application/json").body(run.get(0).toString())
                .post("/api/v1/lineage").then().statusCode(201);
        given().contentType("application/json").body(run.get(0).toString()).post("/api/v1/lineage").then()
                .statusCode(401);
        for (String user : List.of("auditor", "ops", "preparer", "approver", "admin")) {
            get(user, "/api/v1/namespaces").statusCode(200);
        }
        get("pipeline", "/api/v1/namespaces").statusCode(403);
        get("pipeline", "/api/v1/lineage", "nodeId", "dataset:dbt:x").statusCode(403);
    }

    @Test
    void theContractsJavaEntryPointTakesEventsBuiltWithTheOpenLineageClient() throws Exception {
        OpenLineage ol = new OpenLineage(URI.create(LineageFixtures.PRODUCER));
        UUID runId = UUID.randomUUID();
        OpenLineage.RunEvent event = ol.newRunEventBuilder()
                .eventType(OpenLineage.RunEvent.EventType.COMPLETE)
                .eventTime(ZonedDateTime.parse("2026-11-03T05:00:00Z"))
                .run(ol.newRunBuilder().runId(runId).build())
                .job(ol.newJobBuilder().namespace(LineageFixtures.JOBS).name("intake.northbank").build())
                .inputs(List.of())
                .outputs(List.of(ol.newOutputDatasetBuilder().namespace("s3://finledger-landing")
                        .name("partner/northbank/x.csv").build()))
                .build();
        JsonNode json = JSON.readTree(OpenLineageClientUtils.toJson(event));
        LineageEvents.Stored first = events.store(json, "test");
        LineageEvents.Stored again = events.store(json, "test");
        assertTrue(first.created());
        assertFalse(again.created());
        assertEquals(first.id(), again.id());
        assertEquals("COMPLETE", runState(runId.toString()));
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode tree(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
