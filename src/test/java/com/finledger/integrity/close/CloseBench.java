package com.finledger.integrity.close;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoWorld;
import com.finledger.integrity.demo.WorldSpec;
import com.finledger.integrity.pipeline.LocalPipelineRunner;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Month-end close benchmark (Maven profile {@code bench}, not part of verify): a demo month at
 * {@code -Dbench.close.scale} (default 100) is built by the pipeline (landing → RAW → dbt → evaluations:
 * the baseline, timed in this run), signed and approved (the evidence pack's build time, target < 60 s),
 * then rerun from its pinned raw objects and compared (target ≤ 1.2× the original build). Writes
 * target/bench/close.json.
 */
@QuarkusTest
class CloseBench {

    @Inject
    DemoWorld world;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    LocalPipelineRunner pipeline;

    @Inject
    CloseReruns reruns;

    @Inject
    javax.sql.DataSource dataSource;

    @Test
    void rerunAgainstTheOriginalBuildAndTheEvidencePack() throws Exception {
        int scale = Integer.getInteger("bench.close.scale", 100);
        int days = Integer.getInteger("bench.close.days", 3);
        WorldSpec base = fixture.defaultSpec();
        DemoWorldFixture.invalidate();
        world.generate(new WorldSpec(base.seed(), base.firstBusinessDate(), days, scale, Set.of(Defect.MISSING_SETTLEMENT)),
                "bench");
        long t0 = System.nanoTime();
        LocalPipelineRunner.PipelineRun run = pipeline.run("bench");
        long withEvaluationsMillis = (System.nanoTime() - t0) / 1_000_000;
        // the build itself: landing, RAW and dbt (the run's own times; its evaluations follow)
        long buildMillis = java.time.Duration.between(run.startedAt(), run.finishedAt()).toMillis();
        String period = YearMonth.from(base.firstBusinessDate()).toString();
        String api = "/api/v1/close/" + period;

        List<Map<String, Object>> items = given().auth().preemptive().basic("preparer", "demo").get(api).then()
                .statusCode(200).extract().path("checklist.items.findAll { it.blocking }");
        for (Map<String, Object> i : items) {
            int id = given().auth().preemptive().basic("preparer", "demo").contentType("application/json")
                    .body("{\"reason\": \"bench\"}").post("/api/v1/readiness/" + i.get("dataset") + "/" + i.get("partition")
                            + "/overrides").then().statusCode(201).extract().path("id");
            given().auth().preemptive().basic("approver", "demo").contentType("application/json")
                    .body("{\"reason\": \"bench\"}").post("/api/v1/overrides/" + id + "/approve").then().statusCode(200);
        }
        given().auth().preemptive().basic("preparer", "demo").contentType("application/json").body("{}")
                .post(api + "/sign-off").then().statusCode(200);
        long a0 = System.nanoTime();
        given().auth().preemptive().basic("approver", "demo").contentType("application/json").body("{}")
                .post(api + "/approve").then().statusCode(200);
        long approveMillis = (System.nanoTime() - a0) / 1_000_000;
        long evidenceMillis = com.finledger.integrity.platform.Jdbc.query(dataSource, """
                select e.build_millis from close_evidence e join close_period p on p.id = e.period_id
                where p.period = ? order by e.id desc limit 1""", List.of(period), rs -> rs.getLong(1)).get(0);
        byte[] archive = given().auth().preemptive().basic("auditor", "demo").get(api + "/evidence").then().statusCode(200)
                .extract().asByteArray();

        long r0 = System.nanoTime();
        long id = ((Number) given().auth().preemptive().basic("preparer", "demo").contentType("application/json").post(api + "/reruns").then().statusCode(202)
                .extract().path("id")).longValue();
        CloseRerun rerun = reruns.find(id);
        while (!rerun.state.finished()) {
            Thread.sleep(200);
            rerun = reruns.find(id);
        }
        long rerunMillis = (System.nanoTime() - r0) / 1_000_000;

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scale", scale);
        out.put("business_days", days);
        out.put("original_build_millis", buildMillis);
        out.put("original_build_with_evaluations_millis", withEvaluationsMillis);
        out.put("ratio_against_build_with_evaluations", (double) rerunMillis / withEvaluationsMillis);
        out.put("rerun_and_compare_millis", rerunMillis);
        out.put("rerun_state", rerun.state.name());
        out.put("rerun_step_millis", new ObjectMapper().readTree(rerun.result).get("step_millis"));
        double ratio = (double) rerunMillis / buildMillis;
        out.put("ratio", ratio);
        out.put("ratio_target", "<= 1.2");
        out.put("ratio_met", ratio <= 1.2);
        out.put("approve_with_evidence_millis", approveMillis);
        out.put("evidence_bytes", archive.length);
        out.put("evidence_target", "< 60000 ms");
        out.put("evidence_build_millis", evidenceMillis);
        out.put("evidence_met", evidenceMillis < 60_000);
        Files.createDirectories(Path.of("target", "bench"));
        Files.writeString(Path.of("target", "bench", "close.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        System.out.printf("close bench (scale %d, %d days): original build %d ms, rerun + compare %d ms (%.2fx, target <= 1.2x, %s),"
                + " evidence pack %d ms (%d bytes, target < 60 s)%n", scale, days, buildMillis, rerunMillis, ratio,
                rerun.state, evidenceMillis, archive.length);
    }
}
