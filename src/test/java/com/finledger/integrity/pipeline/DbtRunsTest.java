package com.finledger.integrity.pipeline;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.finledger.integrity.DemoWorldFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * dbt's artifacts are taken in after each run: the local pipeline's build is recorded per node with
 * the rows its MERGE changed, and Airflow's runs come in through the API, once per invocation.
 */
@QuarkusTest
class DbtRunsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DemoWorldFixture fixture;

    @Inject
    LocalPipelineRunner pipeline;

    @Test
    void thePipelinesDbtBuildIsRecordedPerModelAndTest() {
        fixture.ensureDefaultWorld();
        pipeline.run("test");

        JsonPath run = given().auth().preemptive().basic("auditor", "demo").get("/api/v1/dbt/runs?limit=1")
                .then().statusCode(200).extract().jsonPath();

        assertEquals("build", run.getString("[0].command"));
        assertEquals(true, run.getBoolean("[0].succeeded"));
        List<Map<String, Object>> nodes = run.getList("[0].nodes");
        List<Map<String, Object>> models = nodes.stream().filter(n -> n.get("resourceType").equals("model")).toList();
        assertEquals(11, models.size(), nodes.toString());
        Map<String, Object> staging = models.stream().filter(n -> "staging.payments".equals(n.get("relation")))
                .findFirst().orElseThrow();
        assertEquals("success", staging.get("status"));
        assertEquals(0, ((Number) staging.get("rowsAffected")).intValue(), "a second build changes no row");
        assertEquals(List.of("source.finledger.raw.payments"), staging.get("dependsOn"));
        assertTrue(nodes.stream().anyMatch(n -> n.get("resourceType").equals("test") && n.get("status").equals("pass")),
                "the models' grain tests ran and passed");
    }

    @Test
    void airflowPostsRunResultsOnceAndDifferentContentUnderTheSameInvocationIsRefused() throws Exception {
        fixture.ensureDefaultWorld();
        ObjectNode runResults = (ObjectNode) JSON.readTree(Path.of("target", "dbt", "target", "run_results.json")
                .toFile());
        ((ObjectNode) runResults.get("metadata")).put("invocation_id", "airflow-" + System.nanoTime());
        Map<String, Object> body = Map.of("run_results", runResults);

        given().auth().preemptive().basic("pipeline", "demo").contentType("application/json").body(body)
                .post("/api/v1/dbt/runs").then().statusCode(201).body("duplicate", equalTo(false));
        given().auth().preemptive().basic("pipeline", "demo").contentType("application/json").body(body)
                .post("/api/v1/dbt/runs").then().statusCode(200).body("duplicate", equalTo(true));

        runResults.put("elapsed_time", 999.5);
        given().auth().preemptive().basic("pipeline", "demo").contentType("application/json")
                .body(Map.of("run_results", runResults)).post("/api/v1/dbt/runs").then().statusCode(409)
                .body("detail", containsString("already recorded with different run results"));
        given().auth().preemptive().basic("ops", "demo").contentType("application/json").body(body)
                .post("/api/v1/dbt/runs").then().statusCode(403);
    }

    @Test
    void runResultsThatAreNotDbtsAreRefusedWithTheJsonPathOfEachProblemAndNothingIsStored() {
        long before = given().auth().preemptive().basic("auditor", "demo").get("/api/v1/dbt/runs?limit=200")
                .then().statusCode(200).extract().jsonPath().getList("$").size();

        given().auth().preemptive().basic("pipeline", "demo").contentType("application/json")
                .body(Map.of("run_results", Map.of("metadata", Map.of("invocation_id", "x"),
                        "results", List.of(Map.of("unique_id", "model.finledger.stg_payments")))))
                .post("/api/v1/dbt/runs").then().statusCode(400)
                .body("detail", containsString("$.results[0].status: required"))
                .body("detail", containsString("$.results[0].execution_time: must be a number"));

        assertEquals(before, given().auth().preemptive().basic("auditor", "demo").get("/api/v1/dbt/runs?limit=200")
                .then().statusCode(200).extract().jsonPath().getList("$").size());
    }
}
