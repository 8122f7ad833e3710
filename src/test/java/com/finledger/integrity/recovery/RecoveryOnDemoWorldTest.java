package com.finledger.integrity.recovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoWorld;
import com.finledger.integrity.demo.WorldSpec;
import com.finledger.integrity.pipeline.LocalPipelineRunner;
import com.finledger.integrity.platform.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The recovery console on a two-day demo world whose second day misses Processor Alpha's pull window: only ops
 * and admin may use it; a dry run changes nothing; re-running what already succeeded (a backfill of a READY
 * date, the RAW load of a READY partition) leaves every control total and readiness version as it was and
 * repeating a request returns its job; a backfill whose runner is stopped after three steps is resumed by a
 * new runner and ends with exactly the totals of an uninterrupted backfill of a fresh copy of the same world;
 * a stopped DMS task is listed and resumed.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecoveryOnDemoWorldTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean generated;
    private static Map<String, String> interruptedTotals;
    private static Map<String, String> interruptedStates;

    @Inject
    DemoWorld world;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    LocalPipelineRunner pipeline;

    @Inject
    RecoveryJobs jobs;

    @Inject
    DmsTasks dmsTasks;

    @Inject
    DataSource dataSource;

    private LocalDate day1() {
        return fixture.defaultSpec().firstBusinessDate();
    }

    private LocalDate day2() {
        return day1().plusDays(1);
    }

    private void generate() {
        WorldSpec base = fixture.defaultSpec();
        DemoWorldFixture.invalidate();
        world.generate(new WorldSpec(base.seed(), base.firstBusinessDate(), 2, 1, Set.of(Defect.API_WINDOW_GAP)), "test");
        pipeline.run("test");
    }

    private synchronized void world() {
        if (!generated) {
            generate();
            generated = true;
        }
    }

    static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, "demo").contentType("application/json");
    }

    @Test
    @Order(1)
    void onlyOpsAndAdminMayPreviewOrRunARecovery() {
        world();
        String preview = "{\"action\": \"reevaluate\", \"params\": {\"dataset\": \"payments\", \"partition\": \"" + day1() + "\"}}";
        for (String user : List.of("preparer", "approver", "auditor", "pipeline")) {
            as(user).body(preview).post("/api/v1/recovery/previews").then().statusCode(403);
            as(user).body(preview.replace("}}", "}, \"idempotency_key\": \"refused-" + user + "\"}"))
                    .post("/api/v1/recovery/jobs").then().statusCode(403);
            as(user).get("/api/v1/recovery/jobs").then().statusCode(403);
            as(user).get("/api/v1/recovery/items").then().statusCode(403);
        }
        as("ops").body(preview).post("/api/v1/recovery/previews").then().statusCode(200);
        as("admin").body(preview).post("/api/v1/recovery/previews").then().statusCode(200);
        assertEquals(0L, count("select count(*) from recovery_job"), "nothing refused was queued");
    }

    @Test
    @Order(2)
    void aDryRunShowsWhatItWouldTouchAndChangesNothing() throws Exception {
        world();
        Map<String, Long> before = snapshot();
        JsonNode backfill = preview("backfill", Map.of("from", day1().toString(), "to", day2().toString()));
        assertEquals(8, backfill.path("steps").size(), "land, RAW, models, evaluate per date: " + backfill.path("steps"));
        assertTrue(backfill.path("touches").toString().contains("\"state\":\"HOLE\""), "the missing Alpha window is shown as a hole");
        assertTrue(backfill.path("touches").toString().contains("alpha_transactions " + day2()), backfill.toString());
        String from = day2() + "T00:00:00Z";
        String to = day2().plusDays(1) + "T00:00:00Z";
        JsonNode repull = preview("api-repull", Map.of("source", "processor_alpha", "from", from, "to", to));
        assertTrue(repull.path("touches").toString().contains("BLOCKED"), "the blocked partition it would fix: " + repull);
        preview("reevaluate", Map.of("dataset", "transactions", "partition", day1().toString()));
        preview("dbt-rerun", Map.of("dataset", "payments", "partition", day1().toString()));
        preview("glue-rerun", Map.of("dataset", "payments", "partition", day1().toString()));
        preview("dms-resume", Map.of("task", dmsTask()));
        as("ops").body("{\"action\": \"backfill\", \"params\": {\"from\": \"yesterday\", \"to\": \"" + day2() + "\"}}")
                .post("/api/v1/recovery/previews").then().statusCode(400).body("detail", containsString("params.from"));
        as("ops").body("{\"action\": \"api-repull\", \"params\": {\"source\": \"processor_alpha\", \"from\": \"" + day1()
                + "T06:00:00Z\", \"to\": \"" + day2() + "T06:00:00Z\"}}").post("/api/v1/recovery/previews").then()
                .statusCode(400).body("detail", containsString("overlaps"));
        as("ops").body("{\"action\": \"dms-resume\", \"params\": {\"task\": \"no-such-task\"}}").post("/api/v1/recovery/previews")
                .then().statusCode(400).body("detail", containsString("params.task"));
        assertEquals(before, snapshot(), "a dry run writes nothing anywhere");
    }

    @Test
    @Order(3)
    void rerunningWhatAlreadySucceededLeavesControlTotalsAndReadinessAsTheyWere() throws Exception {
        world();
        Map<String, String> states = readiness(day1());
        assertFalse(states.isEmpty());
        states.forEach((k, v) -> assertTrue(v.startsWith("READY "), k + " is " + v + " before the rerun"));
        Map<String, String> totals = totals(day1());
        long landed = count("select count(*) from landed_object");
        long raw = count("select count(*) from raw.payments") + count("select count(*) from raw.alpha_transactions");

        String body = job("backfill", Map.of("from", day1().toString(), "to", day1().toString()), "backfill-ready-day");
        JsonNode accepted = JSON.readTree(as("ops").body(body).post("/api/v1/recovery/jobs").then().statusCode(202)
                .extract().asString());
        long id = accepted.path("id").asLong();
        JsonNode done = await(id);
        assertEquals("SUCCEEDED", done.path("state").asText(), done.toString());
        assertEquals(4, done.path("stepsDone").asInt());
        // the same request again (a double click, a retried call) answers with the same job and queues nothing
        as("ops").body(body).post("/api/v1/recovery/jobs").then().statusCode(200).body("id", org.hamcrest.Matchers.equalTo((int) id));
        as("ops").body(job("reevaluate", Map.of("dataset", "payments", "partition", day1().toString()), "backfill-ready-day"))
                .post("/api/v1/recovery/jobs").then().statusCode(409).body("detail", containsString("idempotency_key"));

        String glue = job("glue-rerun", Map.of("dataset", "payments", "partition", day1().toString()), "glue-ready-day");
        long glueId = JSON.readTree(as("ops").body(glue).post("/api/v1/recovery/jobs").then().statusCode(202).extract()
                .asString()).path("id").asLong();
        JsonNode glueDone = await(glueId);
        assertEquals("SUCCEEDED", glueDone.path("state").asText(), glueDone.toString());
        assertTrue(glueDone.at("/results/0/run_id").asText().startsWith("local_"), glueDone.toString());

        assertEquals(totals, totals(day1()), "every control total of the date, at every layer, is what it was");
        assertEquals(states, readiness(day1()), "every partition keeps its state and version");
        assertEquals(landed, count("select count(*) from landed_object"), "nothing landed twice");
        assertEquals(raw, count("select count(*) from raw.payments") + count("select count(*) from raw.alpha_transactions"),
                "RAW holds no second copy");
        assertEquals(List.of("recovery.requested", "recovery.succeeded"), Jdbc.query(dataSource,
                "select action from audit_log where subject_type = 'recovery_job' and subject_id = ? order by seq",
                List.of(Long.toString(id)), rs -> rs.getString(1)));
    }

    @Test
    @Order(4)
    void aBackfillStoppedMidWayIsResumedByANewRunnerAndEndsWithTheSameTotalsAsAnUninterruptedOne() throws Exception {
        world();
        assertEquals("BLOCKED", readiness(day2()).get("alpha_transactions").split(" ")[0], "the missing window blocks day 2");
        jobs.stopAfterStepsForTests(5);   // day 1 done and day 2 landed (the hole pulled), then the runner dies
        long id;
        try {
            id = JSON.readTree(as("ops").body(job("backfill", Map.of("from", day1().toString(), "to", day2().toString()),
                    "backfill-interrupted")).post("/api/v1/recovery/jobs").then().statusCode(202).extract().asString())
                    .path("id").asLong();
            long deadline = System.currentTimeMillis() + 180_000;
            while (jobs.find(id).stepsDone < 5 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(500);
        } finally {
            jobs.replaceRunnerForTests();   // the old runner is gone; the new one knows nothing but the database
        }
        RecoveryJob halfway = jobs.find(id);
        assertEquals(RecoveryJob.State.RUNNING, halfway.state, "left running, as a crash leaves it");
        assertEquals(5, halfway.stepsDone);
        assertEquals(List.of(id), jobs.resumeInterrupted(), "what a start-up resumes");
        JsonNode done = await(id);
        assertEquals("SUCCEEDED", done.path("state").asText(), done.toString());
        assertEquals(2, done.path("attempts").asInt());
        assertEquals(8, done.path("results").size(), "each step ran once: " + done.path("results"));
        assertTrue(done.at("/results/4/objects_landed").asLong() > 0, "the hole was pulled: " + done.path("results"));
        interruptedTotals = new TreeMap<>(totals(day1()));
        interruptedTotals.putAll(totals(day2()));
        interruptedStates = new TreeMap<>(states(day1()));
        interruptedStates.putAll(states(day2()));
        assertEquals("READY", interruptedStates.get("alpha_transactions " + day2()), interruptedStates.toString());

        // the same world again, backfilled without interruption
        generate();
        generated = true;
        JsonNode straight = await(JSON.readTree(as("ops").body(job("backfill", Map.of("from", day1().toString(), "to",
                day2().toString()), "backfill-uninterrupted")).post("/api/v1/recovery/jobs").then().statusCode(202).extract()
                .asString()).path("id").asLong());
        assertEquals("SUCCEEDED", straight.path("state").asText(), straight.toString());
        Map<String, String> uninterrupted = new TreeMap<>(totals(day1()));
        uninterrupted.putAll(totals(day2()));
        Map<String, String> uninterruptedStates = new TreeMap<>(states(day1()));
        uninterruptedStates.putAll(states(day2()));
        assertEquals(uninterrupted.size(), interruptedTotals.size());
        assertEquals(uninterrupted, interruptedTotals, "the same control totals, layer by layer, partition by partition");
        assertEquals(uninterruptedStates, interruptedStates);
    }

    @Test
    @Order(5)
    void aStoppedDmsTaskIsListedAndResumed() throws Exception {
        world();
        String task = dmsTask();
        ((LocalDmsTasks) unwrap(dmsTasks)).stop(task, true, "Last Error Task error notification received");
        JsonNode items = JSON.readTree(as("ops").get("/api/v1/recovery/items").then().statusCode(200).extract().asString());
        assertTrue(items.toString().contains("\"name\":\"" + task + "\"") && items.toString().contains("FAILED"), items.toString());
        as("auditor").get("/api/v1/replication").then().statusCode(200).body(containsString("failed"));
        // a full reload is not simulated locally: the job fails with the reason, audited, and is offered again
        JsonNode refused = await(JSON.readTree(as("ops").body(job("dms-resume", Map.of("task", task, "start_type",
                "reload-target"), "reload-" + task)).post("/api/v1/recovery/jobs").then().statusCode(202).extract().asString())
                .path("id").asLong());
        assertEquals("FAILED", refused.path("state").asText(), refused.toString());
        assertTrue(refused.path("error").asText().contains("cannot reload"), refused.toString());
        assertEquals(List.of("recovery.requested", "recovery.failed"), Jdbc.query(dataSource,
                "select action from audit_log where subject_type = 'recovery_job' and subject_id = ? order by seq",
                List.of(refused.path("id").asText()), rs -> rs.getString(1)));
        assertTrue(JSON.readTree(as("ops").get("/api/v1/recovery/items").then().statusCode(200).extract().asString())
                .toString().contains("\"kind\":\"Recovery job\""), "the failed job is offered to try again");
        JsonNode done = await(JSON.readTree(as("ops").body(job("dms-resume", Map.of("task", task), "resume-" + task))
                .post("/api/v1/recovery/jobs").then().statusCode(202).extract().asString()).path("id").asLong());
        assertEquals("SUCCEEDED", done.path("state").asText(), done.toString());
        assertEquals("running", dmsTasks.status(task));
        String after = JSON.readTree(as("ops").get("/api/v1/recovery/items").then().statusCode(200).extract().asString()).toString();
        assertFalse(after.contains("\"name\":\"" + task + "\""), after);
        assertFalse(after.contains("\"kind\":\"Recovery job\""), "a later success on the same target settles the failed job");
    }

    private static Object unwrap(Object bean) {
        return bean instanceof io.quarkus.arc.ClientProxy p ? p.arc_contextualInstance() : bean;
    }

    private String dmsTask() {
        return Jdbc.query(dataSource, "select distinct task_identifier from local_dms_table_stats order by 1", List.of(),
                rs -> rs.getString(1)).get(0);
    }

    private JsonNode preview(String action, Map<String, String> params) throws Exception {
        return JSON.readTree(as("ops").body(JSON.writeValueAsString(Map.of("action", action, "params", params)))
                .post("/api/v1/recovery/previews").then().statusCode(200).extract().asString());
    }

    private static String job(String action, Map<String, String> params, String key) throws Exception {
        return JSON.writeValueAsString(Map.of("action", action, "params", params, "idempotency_key", key,
                "reason", "test"));
    }

    private JsonNode await(long id) throws Exception {
        long deadline = System.currentTimeMillis() + 240_000;
        JsonNode j;
        do {
            Thread.sleep(300);
            j = JSON.readTree(as("ops").get("/api/v1/recovery/jobs/" + id).then().statusCode(200).extract().asString());
        } while (List.of("QUEUED", "RUNNING").contains(j.path("state").asText()) && System.currentTimeMillis() < deadline);
        return j;
    }

    /** The newest control total of every partition of the date (and its windows) at every layer, as values. */
    private Map<String, String> totals(LocalDate date) {
        Map<String, String> out = new TreeMap<>();
        Jdbc.query(dataSource, """
                select distinct on (dataset, partition_key, layer) dataset, partition_key, layer,
                       concat_ws('|', row_count, row_fingerprint, row_amounts::text, distinct_keys, key_fingerprint,
                                 amounts::text, duplicate_rows, duplicate_fingerprint, duplicate_amounts::text,
                                 superseded_rows, deleted_keys)
                from control_total where partition_key like ? order by dataset, partition_key, layer, version desc""",
                List.of(date + "%"), rs -> out.put(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3), rs.getString(4)));
        return out;
    }

    /** State and version of every date partition of the date. */
    private Map<String, String> readiness(LocalDate date) {
        Map<String, String> out = new TreeMap<>();
        Jdbc.query(dataSource, "select dataset, state, version from partition_readiness where partition_key = ?",
                List.of(date.toString()), rs -> out.put(rs.getString(1), rs.getString(2) + " " + rs.getLong(3)));
        return out;
    }

    /** State of every partition (dates and windows) of the date. */
    private Map<String, String> states(LocalDate date) {
        Map<String, String> out = new TreeMap<>();
        Jdbc.query(dataSource, "select dataset, partition_key, state from partition_readiness where partition_key like ?",
                List.of(date + "%"), rs -> out.put(rs.getString(1) + " " + rs.getString(2), rs.getString(3)));
        return out;
    }

    private long count(String sql) {
        return Jdbc.query(dataSource, sql, List.of(), rs -> rs.getLong(1)).get(0);
    }

    /** Rows (and readiness versions) of everything a recovery could write. */
    private Map<String, Long> snapshot() {
        Map<String, Long> s = new TreeMap<>();
        for (String table : List.of("audit_log", "evaluation", "control_total", "control_result", "landed_object",
                "pull_window", "pull_attempt", "partner_file", "recovery_job", "dbt_invocation", "local_dms_task",
                "pipeline_run", "lineage_event")) {
            s.put(table, count("select count(*) from " + table));
        }
        s.put("readiness versions", count("select coalesce(sum(version), 0) from partition_readiness"));
        s.put("raw rows", count("select count(*) from raw.payments") + count("select count(*) from raw.alpha_transactions"));
        s.put("checkpoints", count("select coalesce(sum(last_change_seq), 0) from cdc_checkpoint"));
        return s;
    }
}
