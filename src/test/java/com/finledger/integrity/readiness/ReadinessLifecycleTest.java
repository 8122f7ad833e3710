package com.finledger.integrity.readiness;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoScript;
import com.finledger.integrity.pipeline.LocalPipelineRunner;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotent and serialized evaluation, the two-person override, release and re-evaluation, late data. */
@QuarkusTest
class ReadinessLifecycleTest {

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DemoScript script;

    @Inject
    ReadinessService readiness;

    @Inject
    PartitionEvaluator evaluator;

    @Inject
    LocalPipelineRunner pipeline;

    @Inject
    AuditLog auditLog;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void world() {
        fixture.ensureDefaultWorld();
    }

    @Test
    void reEvaluatingChangesNoStateOrVersionButKeepsEveryComputation() throws SQLException {
        DemoScript.Fault drift = script.fault(Defect.SCHEMA_DRIFT).orElseThrow();
        String partition = drift.businessDate().toString();
        PartitionReadiness before = readiness.find(drift.dataset(), partition).orElseThrow();
        long totalsBefore = count("select count(*) from control_total where dataset = '" + drift.dataset()
                + "' and partition_key = '" + partition + "'");

        evaluator.evaluate(drift.dataset(), drift.businessDate(), "test");
        PartitionReadiness after = readiness.find(drift.dataset(), partition).orElseThrow();

        assertEquals(before.state(), after.state());
        assertEquals(before.version(), after.version(), "pollers see no change");
        assertEquals(before.checksSummary(), after.checksSummary());
        assertEquals(totalsBefore + 4, count("select count(*) from control_total where dataset = '" + drift.dataset()
                + "' and partition_key = '" + partition + "'"), "a new version of each layer's totals is kept");
    }

    @Test
    void concurrentEvaluationsOfOnePartitionRunOneAfterTheOther() throws Exception {
        LocalDate date = fixture.defaultSpec().firstBusinessDate();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Callable<PartitionEvaluator.Evaluation>> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(() -> evaluator.evaluate("payments", date, "test-concurrent"));
        }
        List<Long> ids = new ArrayList<>();
        for (Future<PartitionEvaluator.Evaluation> f : pool.invokeAll(jobs)) {
            ids.add(f.get().id());
        }
        pool.shutdown();

        List<Timestamp[]> spans = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select started_at, finished_at from evaluation where id in ("
                     + ids.get(0) + ", " + ids.get(1) + ", " + ids.get(2) + ") order by started_at")) {
            while (rs.next()) {
                spans.add(new Timestamp[] {rs.getTimestamp(1), rs.getTimestamp(2)});
            }
        }
        assertEquals(3, spans.size());
        for (int i = 1; i < spans.size(); i++) {
            assertFalse(spans.get(i)[0].before(spans.get(i - 1)[1]), "evaluation " + i + " started before the one "
                    + "before it finished");
        }
        assertEquals(ReadinessState.READY, readiness.find("payments", date.toString()).orElseThrow().state());
    }

    @Test
    void anOverrideNeedsASecondPersonAndBothReasons() {
        DemoScript.Fault late = script.fault(Defect.LATE_PARTNER_FILE).orElseThrow();
        String path = "/api/v1/readiness/" + late.dataset() + "/" + late.businessDate();

        given().auth().preemptive().basic("preparer", "demo").contentType("application/json").body("{}")
                .post(path + "/overrides").then().statusCode(400).body("detail", containsString("reason"));
        int id = given().auth().preemptive().basic("preparer", "demo").contentType("application/json")
                .body("{\"reason\": \"Northbank confirmed the late report is complete\"}")
                .post(path + "/overrides").then().statusCode(201).extract().path("id");
        given().auth().preemptive().basic("preparer", "demo").contentType("application/json")
                .body("{\"reason\": \"me again\"}").post("/api/v1/overrides/" + id + "/approve")
                .then().statusCode(403);
        given().auth().preemptive().basic("admin", "demo").contentType("application/json")
                .body("{\"reason\": \"checked the totals against the bank statement\"}")
                .post("/api/v1/overrides/" + id + "/approve").then().statusCode(200).body("decision", is("APPROVED"));

        given().auth().preemptive().basic("pipeline", "demo").get(path).then().statusCode(200)
                .body("state", equalTo("READY_WITH_EXCEPTION")).body("ready", is(true));
        assertTrue(auditLog.page("partition", late.dataset() + "/" + late.businessDate(), Long.MAX_VALUE, 20).stream()
                .anyMatch(e -> e.action().equals("readiness.ready_with_exception") && e.actor().equals("admin")
                        && e.reason().contains("asked by preparer")));
        DemoWorldFixture.invalidate();
    }

    @Test
    void releasingQuarantinedRowsLetsThePartitionBecomeReady() {
        DemoScript.Fault orphan = script.fault(Defect.ORPHAN_REFUND).orElseThrow();
        String dataset = orphan.dataset();
        String partition = orphan.businessDate().toString();
        String window = readiness.windows(dataset, partition).stream()
                .filter(w -> ReadinessResource.parse(w.checksSummary()).path("blocking").toString()
                        .contains("refunds_payment_exists")).findFirst().orElseThrow().partition();

        given().auth().preemptive().basic("auditor", "demo").contentType("application/json")
                .body("{\"rule\": \"refunds_payment_exists\", \"reason\": \"x\"}")
                .post("/api/v1/quarantine/" + dataset + "/" + partition + "/releases").then().statusCode(403);
        given().auth().preemptive().basic("ops", "demo").contentType("application/json")
                .body("{\"rule\": \"refunds_payment_exists\", \"reason\": \"payment created late in the ledger, confirmed\"}")
                .post("/api/v1/quarantine/" + dataset + "/" + partition + "/releases").then().statusCode(200);
        given().auth().preemptive().basic("ops", "demo").contentType("application/json").body("{}")
                .post("/api/v1/readiness/" + dataset + "/" + partition + "/evaluations").then().statusCode(200)
                .body("readiness.state", equalTo("READY"));

        assertEquals(ReadinessState.READY, readiness.find(dataset, partition).orElseThrow().state());
        assertEquals(ReadinessState.READY, readiness.find(dataset, window).orElseThrow().state(),
                "the orphan's window is ready too once its row is released");
        assertEquals("readiness.ready", auditLog.page("partition", dataset + "/" + window, Long.MAX_VALUE, 1).get(0)
                .action());
        DemoWorldFixture.invalidate();
    }

    @Test
    void lateDataReopensAReadyPartitionAndItIsValidatedAgain() throws SQLException {
        LocalDate date = fixture.defaultSpec().firstBusinessDate();
        PartitionReadiness before = readiness.find("refunds", date.toString()).orElseThrow();
        assertEquals(ReadinessState.READY, before.state());
        String window;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("""
                    select to_char(to_timestamp(floor(extract(epoch from created_at) / 900) * 900) at time zone 'UTC',
                                   'YYYY-MM-DD"T"HH24:MI"Z"')
                    from src_refunds.refunds where business_date = '%s' order by refund_id limit 1""".formatted(date))) {
                rs.next();
                window = rs.getString(1);
            }
            assertEquals(ReadinessState.READY, readiness.find("ledger_refunds", window).orElseThrow().state());
            s.execute("""
                    insert into src_refunds.refunds_changes
                    select (select max(change_seq) + 1 from src_refunds.refunds_changes), 'U', now(), r.refund_id,
                           r.payment_id, r.amount_minor, r.currency, 'late correction', r.created_at, r.business_date
                    from src_refunds.refunds r where r.business_date = '%s' order by r.refund_id limit 1"""
                    .formatted(date));
        }

        pipeline.run("test");

        PartitionReadiness ledger = readiness.find("ledger_refunds", date.toString()).orElseThrow();
        assertEquals(ReadinessState.READY, ledger.state());
        List<String> moves = auditLog.page("partition", "ledger_refunds/" + date, Long.MAX_VALUE, 10).stream()
                .map(e -> e.action()).toList();
        assertEquals(List.of("readiness.ready", "readiness.validating", "readiness.reopened"), moves.subList(0, 3));
        assertEquals(ReadinessState.READY, readiness.find("ledger_refunds", window).orElseThrow().state());
        List<String> windowMoves = auditLog.page("partition", "ledger_refunds/" + window, Long.MAX_VALUE, 10).stream()
                .map(e -> e.action()).toList();
        assertEquals(List.of("readiness.ready", "readiness.validating", "readiness.reopened"),
                windowMoves.subList(0, 3), "the window the late change belongs to re-opens and is validated again");
        DemoWorldFixture.invalidate();
    }

    @Test
    void pollersGet304UntilTheVersionChanges() {
        LocalDate date = fixture.defaultSpec().firstBusinessDate();
        String path = "/api/v1/readiness/payments/" + date;
        String etag = given().auth().preemptive().basic("pipeline", "demo").get(path).then().statusCode(200)
                .body("state", equalTo("READY")).extract().header("ETag");

        given().auth().preemptive().basic("pipeline", "demo").header("If-None-Match", etag).get(path)
                .then().statusCode(304);
        given().auth().preemptive().basic("pipeline", "demo").header("If-None-Match", "\"payments/" + date + "/0\"")
                .get(path).then().statusCode(200);
    }

    @Test
    void theBulkFormAnswersManyPartitionsAndUnknownOnesArePending() {
        LocalDate date = fixture.defaultSpec().firstBusinessDate();
        given().auth().preemptive().basic("pipeline", "demo").contentType("application/json")
                .body("{\"partitions\": [{\"dataset\": \"payments\", \"partition\": \"" + date + "\"},"
                        + " {\"dataset\": \"settlements\", \"partition\": \"2030-01-01\"}]}")
                .post("/api/v1/readiness/query").then().statusCode(200)
                .body("[0].state", equalTo("READY")).body("[1].state", equalTo("PENDING"))
                .body("[1].version", is(0));
    }

    @Test
    void badRequestsGetSpecificErrors() {
        given().auth().preemptive().basic("pipeline", "demo").get("/api/v1/readiness/nope/2026-11-02")
                .then().statusCode(404).body("detail", containsString("no dataset named nope"));
        given().auth().preemptive().basic("pipeline", "demo").get("/api/v1/readiness/payments/yesterday")
                .then().statusCode(400).body("detail", containsString("business date"));
        given().auth().preemptive().basic("pipeline", "demo").contentType("application/json").body("{}")
                .post("/api/v1/readiness/query").then().statusCode(400);
    }

    @Test
    void malformedBodiesAreRefusedWithWhereTheyBrokeAndChangeNothing() throws SQLException {
        long events = count("select count(*) from lineage_event");
        long runs = count("select count(*) from task_run");

        given().auth().preemptive().basic("pipeline", "demo").contentType("application/json")
                .body("{\"eventType\": \"COMPLETE\", ").post("/api/v1/lineage").then().statusCode(400)
                .body("title", equalTo("Malformed JSON body")).body("detail", containsString("line 1, column"));
        given().auth().preemptive().basic("pipeline", "demo").contentType("application/json")
                .body("{\"eventType\": \"DONE\", \"eventTime\": \"yesterday\", \"run\": {}, \"job\": {}}")
                .post("/api/v1/lineage").then().statusCode(400)
                .body("detail", containsString("/eventType must be one of"))
                .body("detail", containsString("/eventTime must be an ISO-8601 time"))
                .body("detail", containsString("/run/runId must be a UUID"))
                .body("detail", containsString("/job/name is required"));
        given().auth().preemptive().basic("pipeline", "demo").contentType("application/json")
                .body("[]").post("/api/v1/runs").then().statusCode(400)
                .body("detail", containsString("from Array value"));

        assertEquals(events, count("select count(*) from lineage_event"));
        assertEquals(runs, count("select count(*) from task_run"));
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
