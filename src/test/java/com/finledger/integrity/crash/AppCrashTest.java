package com.finledger.integrity.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.audit.AuditChains;
import com.finledger.integrity.audit.AuditVerification;
import com.finledger.integrity.platform.CrashPoints;
import com.finledger.integrity.platform.Jdbc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The whole application, started as a process of its own, killed with SIGKILL in the middle of the writes
 * finance relies on and started again against the same PostgreSQL and object store: a DMS change file being
 * recorded (the intake's sweep), a partner file being decided and an evaluation being stored (a pipeline run over
 * HTTP), an override being approved, a backfill's landing step (a recovery job). Each kill lands with the write's
 * transaction open ({@link CrashPoints}); each restart redoes the work (or resumes the job by itself) and the
 * database shows every effect exactly once: no file recorded twice, no pipeline run or override decision doubled
 * or lost, control totals and readiness as an uninterrupted run leaves them, the audit chain intact.
 *
 * <p>One world, one database, six application starts: each start is armed with the next crash point, so it
 * first redoes what the previous one was killed in and then is killed itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class AppCrashTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(240);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int FIRST_PORT = Integer.getInteger("crash.app.first-port", 62881);

    private static CrashHarness harness;
    private static CrashHarness.Child app;
    private static int port;
    private static int starts;

    private static long changeFiles;
    private static long overrideId;
    private static long jobId;
    private static long landedBeforeBackfill;
    private static Map<String, String> totalsBeforeBackfill;

    @BeforeAll
    static void database() {
        harness = new CrashHarness("app");
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    // ---- driving the application ----

    private static CrashHarness.Child start(String crashPoint, boolean generate, boolean sweepChangeFiles) {
        port = FIRST_PORT + (starts++ % 9);
        app = harness.startApp(crashPoint, port, generate, Map.of("crash.app.sweep-change-files",
                Boolean.toString(sweepChangeFiles), "crash.app.dms-files", Boolean.toString(generate)));
        return app;
    }

    private static void killAt(String point) throws Exception {
        assertEquals(point, app.awaitCrashPoint(START), "the application stands at its crash point");
        assertNotEquals(0, app.kill(), "killed, not finished");
    }

    private static HttpRequest.Builder request(String user, String path) {
        String auth = Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofMinutes(4))
                .header("Authorization", "Basic " + auth).header("Content-Type", "application/json")
                .header("Accept", "application/json");
    }

    private static JsonNode call(String user, String method, String path, String body, int expected) throws Exception {
        HttpRequest r = request(user, path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), method + " " + path + ": " + response.body());
        return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    /** A call the crash point will hold forever: sent, never answered. */
    private static CompletableFuture<HttpResponse<String>> callHeld(String user, String path, String body) {
        return HTTP.sendAsync(request(user, path).POST(body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- reading the database the processes share ----

    private static long count(String sql, Object... args) {
        return Jdbc.query(harness.dataSource(), sql, List.of(args), rs -> rs.getLong(1)).get(0);
    }

    private static void assertNoDoubles() {
        assertEquals(0, count("select count(*) from (select 1 from landed_object group by object_key, version_id, dataset,"
                + " business_date having count(*) > 1) d"), "a landed object recorded twice");
        assertEquals(0, count("select count(*) from (select 1 from partner_file group by bucket, object_key, version_id"
                + " having count(*) > 1) d"), "a partner file decided twice");
        assertEquals(0, count("select count(*) from (select 1 from control_total group by evaluation_id, layer,"
                + " dataset, partition_key having count(*) > 1) d"), "an evaluation stored a total twice");
        assertEquals(0, count("select count(*) from control_total t join evaluation e on e.id = t.evaluation_id"
                + " where e.finished_at is null"), "totals of an evaluation that never finished");
        assertEquals(0, count("select count(*) from partition_readiness r join evaluation e on e.id = r.last_evaluation_id"
                + " where e.finished_at is null"), "readiness pointing at an evaluation that never finished");
        assertEquals(0, count("select count(*) from (select 1 from readiness_override where decision is not null"
                + " group by dataset, partition_key, blocked_version having count(*) > 1) d"), "an override decided twice");
    }

    private static void assertChainIntact() {
        AuditVerification v = AuditChains.verify(harness.dataSource());
        assertTrue(v.intact(), "audit chain: " + v.problem());
        assertTrue(v.entriesChecked() > 0);
    }

    private static Map<String, String> latestTotals(LocalDate date) {
        Map<String, String> out = new TreeMap<>();
        Jdbc.query(harness.dataSource(), """
                select distinct on (dataset, partition_key, layer) dataset, partition_key, layer, row_count,
                       row_fingerprint, row_amounts::text
                from control_total where partition_key like ? order by dataset, partition_key, layer, version desc""",
                List.of(date + "%"), rs -> out.put(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3),
                        rs.getLong(4) + " " + rs.getLong(5) + " " + rs.getString(6)));
        return out;
    }

    // ---- the crashes ----

    @Test
    @Order(1)
    void killedWhileRecordingADmsChangeFile() throws Exception {
        start(CrashPoints.CHANGE_FILE_RECORDED, true, true);
        killAt(CrashPoints.CHANGE_FILE_RECORDED);
        assertEquals(0, count("select count(*) from landed_object"), "the first change file's record was not committed");
        assertNoDoubles();
        assertChainIntact();
    }

    @Test
    @Order(2)
    void restartedItTakesEveryChangeFileOnceThenIsKilledDecidingAPartnerFile() throws Exception {
        start(CrashPoints.PARTNER_FILE_DECIDED, false, true);
        app.awaitReady(START);
        changeFiles = count("select count(*) from landed_object");
        assertTrue(changeFiles > 0, "the sweep redone after the restart recorded the change files");
        assertEquals(changeFiles, count("select count(distinct (object_key, version_id)) from landed_object"));
        assertNoDoubles();

        callHeld("pipeline", "/api/v1/pipeline/runs", null);
        killAt(CrashPoints.PARTNER_FILE_DECIDED);
        assertEquals(0, count("select count(*) from pipeline_run"), "the killed run recorded nothing of itself");
        // the file was registered on receipt (its own commit); the decision held open left no trace
        assertEquals(0, count("select count(*) from partner_file where state not in ('RECEIVED', 'VALIDATING')"),
                "the decision held open was not committed");
        assertEquals(0, count("select count(*) from audit_log where action in ('partner_file.accepted',"
                + " 'partner_file.quarantined', 'partner_file.duplicate')"));
        assertEquals(changeFiles, count("select count(*) from landed_object"));
        assertNoDoubles();
        assertChainIntact();
    }

    @Test
    @Order(3)
    void restartedTheRunLandsEveryFileOnceThenIsKilledStoringAnEvaluation() throws Exception {
        long decidedBefore = count("select count(*) from partner_file where state not in ('RECEIVED', 'VALIDATING')");
        start(CrashPoints.EVALUATION_STORED, false, false);
        app.awaitReady(START);
        callHeld("pipeline", "/api/v1/pipeline/runs", null);
        killAt(CrashPoints.EVALUATION_STORED);

        // the landing and the models committed before the evaluations began
        assertEquals(1, count("select count(*) from pipeline_run"), "one run, recorded once");
        assertEquals(changeFiles, count("select count(*) from landed_object where object_key like 'landing/%\\_ledger/%'"), "the run's DMS landing took none of the swept change files again");
        assertTrue(count("select count(*) from partner_file") > decidedBefore, "the partner files were decided");
        assertEquals(0, count("select count(*) from partner_file where state in ('RECEIVED', 'VALIDATING')"),
                "the file whose decision was killed was decided by the restarted run");
        assertEquals(count("select count(*) from partner_file"), count("select count(distinct subject_id) from audit_log"
                + " where action in ('partner_file.accepted', 'partner_file.quarantined', 'partner_file.duplicate')"), "every file decided");
        assertEquals(count("select count(*) from partner_file"), count("select count(*) from audit_log"
                + " where action in ('partner_file.accepted', 'partner_file.quarantined', 'partner_file.duplicate')"), "and each decided once");
        assertEquals(0, count("select count(*) from landed_object where raw_loaded_at is null"), "RAW loaded all");
        assertEquals(1, count("select count(*) from evaluation where finished_at is null"),
                "the evaluation killed mid-store is left started, its results absent");
        assertNoDoubles();
        assertChainIntact();
    }

    @Test
    @Order(4)
    void restartedARunEvaluatesAgainAndLandsNothingTwiceThenIsKilledApprovingAnOverride() throws Exception {
        long landed = count("select count(*) from landed_object");
        long files = count("select count(*) from partner_file");
        start(CrashPoints.OVERRIDE_APPROVED, false, false);
        app.awaitReady(START);
        JsonNode run = call("pipeline", "POST", "/api/v1/pipeline/runs", null, 200);
        assertEquals(0, run.path("objectsLanded").asInt(), "nothing landed again: " + run);
        assertEquals(landed, count("select count(*) from landed_object"));
        assertEquals(files, count("select count(*) from partner_file"));
        assertEquals(2, count("select count(*) from pipeline_run"));
        assertEquals(0, count("select count(*) from partition_readiness where last_evaluation_id is null"
                + " and state in ('READY', 'BLOCKED')"));
        assertNoDoubles();

        List<String> blocked = Jdbc.query(harness.dataSource(), "select dataset || '/' || partition_key from"
                + " partition_readiness where state = 'BLOCKED' and partition_key not like '%T%' order by 1 limit 1",
                List.of(), rs -> rs.getString(1));
        assertFalse(blocked.isEmpty(), "the demo world's defects block a partition");
        JsonNode asked = call("preparer", "POST", "/api/v1/readiness/" + blocked.get(0) + "/overrides",
                "{\"reason\": \"crash test: known defect, accepted\"}", 201);
        overrideId = asked.path("id").asLong();
        callHeld("approver", "/api/v1/overrides/" + overrideId + "/approve", "{\"reason\": \"crash test: approved\"}");
        killAt(CrashPoints.OVERRIDE_APPROVED);
        assertEquals(0, count("select count(*) from readiness_override where decision is not null"), "the approval was lost whole");
        assertEquals(1, count("select count(*) from partition_readiness where dataset || '/' || partition_key = ?"
                + " and state = 'BLOCKED'", blocked.get(0)), "still blocked");
        assertEquals(0, count("select count(*) from audit_log where action = 'override.approved'"));
        assertChainIntact();
    }

    @Test
    @Order(5)
    void restartedTheApprovalTakesOnceThenABackfillIsKilledLanding() throws Exception {
        start(CrashPoints.BACKFILL_LANDED, false, false);
        app.awaitReady(START);
        JsonNode approved = call("approver", "POST", "/api/v1/overrides/" + overrideId + "/approve",
                "{\"reason\": \"crash test: approved\"}", 200);
        assertEquals("APPROVED", approved.path("decision").asText(), approved.toString());
        String partition = approved.path("dataset").asText() + "/" + approved.path("partition").asText();
        assertEquals(1, count("select count(*) from audit_log where action = 'override.approved'"));
        assertEquals("READY_WITH_EXCEPTION " + (approved.path("blockedVersion").asLong() + 1), Jdbc.query(
                harness.dataSource(), "select state || ' ' || version from partition_readiness where dataset || '/' ||"
                        + " partition_key = ?", List.of(partition), rs -> rs.getString(1)).get(0));
        assertNoDoubles();

        LocalDate day = LocalDate.parse(Jdbc.query(harness.dataSource(), "select min(business_date)::text from landed_object",
                List.of(), rs -> rs.getString(1)).get(0));
        landedBeforeBackfill = count("select count(*) from landed_object");
        totalsBeforeBackfill = latestTotals(day);
        assertFalse(totalsBeforeBackfill.isEmpty());
        // from the first date (landed: the backfill must leave it as it is) to the date the Alpha pull missed a
        // window (the backfill pulls it: something new to land exactly once)
        JsonNode preview = call("ops", "POST", "/api/v1/recovery/previews", "{\"action\": \"backfill\", \"params\":"
                + " {\"from\": \"" + day + "\", \"to\": \"" + day.plusDays(2) + "\"}}", 200);
        LocalDate to = day;
        for (JsonNode touch : preview.path("touches")) {
            if (touch.path("state").asText().equals("HOLE") && touch.path("detail").asText().equals("pulled as a backfill")) {
                to = LocalDate.parse(touch.path("name").asText().replaceAll(".*\\[(\\d{4}-\\d{2}-\\d{2}).*", "$1"));
            }
        }
        assertNotEquals(day, to, "the demo world's API_WINDOW_GAP leaves a hole after the first date: " + preview);
        JsonNode job = call("ops", "POST", "/api/v1/recovery/jobs", "{\"action\": \"backfill\", \"params\": {\"from\": \""
                + day + "\", \"to\": \"" + to + "\"}, \"idempotency_key\": \"crash-backfill\"}", 202);
        jobId = job.path("id").asLong();
        killAt(CrashPoints.BACKFILL_LANDED);
        assertEquals("RUNNING 0", Jdbc.query(harness.dataSource(), "select state || ' ' || steps_done from recovery_job"
                + " where id = ?", List.of(jobId), rs -> rs.getString(1)).get(0), "left running, its landing undone");
        assertEquals(landedBeforeBackfill, count("select count(*) from landed_object"));
        assertChainIntact();
    }

    @Test
    @Order(6)
    void restartedTheBackfillResumesByItselfLandsTheHoleOnceAndLeavesTheLandedDateAsItWas() throws Exception {
        start(null, false, false);
        app.awaitReady(START);
        JsonNode job = null;
        long deadline = System.currentTimeMillis() + START.toMillis();
        while (System.currentTimeMillis() < deadline) {
            job = call("ops", "GET", "/api/v1/recovery/jobs/" + jobId, null, 200);
            if (!job.path("state").asText().matches("QUEUED|RUNNING")) {
                break;
            }
            Thread.sleep(500);
        }
        assertNotNull(job);
        assertEquals("SUCCEEDED", job.path("state").asText(), job.toString());
        assertEquals(2, job.path("attempts").asInt(), "resumed once, by the start-up");
        assertEquals(1, count("select count(*) from audit_log where action = 'recovery.resumed' and subject_id = ?",
                Long.toString(jobId)));
        assertEquals(1, count("select count(*) from audit_log where action = 'recovery.succeeded' and subject_id = ?",
                Long.toString(jobId)));
        long landedByJob = 0;
        for (JsonNode result : job.path("results")) {
            landedByJob += result.path("objects_landed").asLong();
        }
        assertTrue(landedByJob > 0, "the hole was pulled: " + job);
        assertEquals(landedBeforeBackfill + landedByJob, count("select count(*) from landed_object"),
                "what the resumed job landed, once; what was landed before, not again");
        LocalDate day = LocalDate.parse(Jdbc.query(harness.dataSource(), "select min(business_date)::text from landed_object",
                List.of(), rs -> rs.getString(1)).get(0));
        assertEquals(totalsBeforeBackfill, latestTotals(day), "every control total of the date is what it was");
        assertNoDoubles();
        JsonNode verified = call("auditor", "GET", "/api/v1/audit/verify", null, 200);
        assertTrue(verified.path("intact").asBoolean(), verified.toString());
        app.kill();
        assertChainIntact();
    }
}
