package com.finledger.integrity.alerts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.finledger.integrity.operations.AwsEventIntake;
import com.finledger.integrity.operations.AwsEvents;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The JSON API and page of alerts, silences, jobs and SLOs: roles, a firing alert with its runbook, problems. */
@QuarkusTest
class AlertApiTest {

    @Inject
    AwsEventIntake events;

    @Inject
    AlertEngine engine;

    @Inject
    Notifiers notifiers;

    @Inject
    Clock clock;

    @Inject
    com.finledger.integrity.DemoWorldFixture fixture;

    @Inject
    com.finledger.integrity.operations.OperationsMetrics metrics;

    @Inject
    com.finledger.integrity.operations.SloService slos;

    @Test
    void theLocalPipelineAnnouncesItsJobsAsAwsEventsAndHealthAndMetricsShowTheDependencies() {
        fixture.ensureDefaultWorld();
        given().auth().preemptive().basic("pipeline", "demo").get("/api/v1/jobs").then().statusCode(200)
                .body("find { it.name == 'finledger-transform' }.kind", equalTo("GLUE_JOB"))
                .body("find { it.name == 'finledger-transform' }.state", equalTo("SUCCEEDED"))
                .body("find { it.name.endsWith(':task:finledger-payments-ledger-cdc') }.state", equalTo("RUNNING"))
                .body("find { it.name == 'processor_alpha' }.runs[0].state", equalTo("SUCCEEDED"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.hasItems("warehouse", "source-databases", "object-store",
                        "event-queue"));
        metrics.refresh(slos.measure(clock.instant()));
        given().auth().preemptive().basic("admin", "demo").get("/q/metrics").then().statusCode(200)
                .body(containsString("finledger_breaks_open")).body(containsString("finledger_layer_records_in{"))
                .body(containsString("finledger_slo_lag_seconds{dataset=\"payments\""));
    }

    @Test
    void onCallSeesTheFiringAlertAndSilencesIt() {
        notifiers.use(List.of());
        String task = "arn:aws:dms:eu-west-1:123456789012:task:api-" + UUID.randomUUID().toString().substring(0, 8);
        events.apply(AwsEvents.dms(task + "-f", clock.instant().minusSeconds(10), task, "REPLICATION_TASK_FAILED"));
        given().auth().preemptive().basic("ops", "demo").contentType("application/json").body("{}")
                .post("/api/v1/alerts/evaluations").then().statusCode(200);
        given().auth().preemptive().basic("ops", "demo").get("/api/v1/alerts?state=FIRING").then().statusCode(200)
                .body("find { it.subject == '" + task + "' }.runbook", equalTo("/runbooks#dms-task-failing"));
        given().auth().preemptive().basic("ops", "demo").get("/api/v1/jobs?failed=true").then().statusCode(200)
                .body("name", hasItem(task));
        given().auth().preemptive().basic("ops", "demo").get("/api/v1/alerts?state=LOUD").then().statusCode(400);
        given().auth().preemptive().basic("ops", "demo").contentType("application/json")
                .body("{\"rule\":\"dms-task-failing\",\"reason\":\"maintenance\",\"expires_at\":\"yesterday\"}")
                .post("/api/v1/alerts/silences").then().statusCode(400).body(containsString("expires_at"));
        given().auth().preemptive().basic("ops", "demo").contentType("application/json")
                .body("{\"rule\":\"dms-task-failing\",\"subject_like\":\"*api-*\",\"reason\":\"maintenance\","
                        + "\"expires_at\":\"" + Instant.now().plusSeconds(3600) + "\"}")
                .post("/api/v1/alerts/silences").then().statusCode(201).body("active", equalTo(true))
                .body("createdBy", equalTo("ops"));
        given().auth().preemptive().basic("finance_preparer", "demo").get("/api/v1/alerts").then().statusCode(401);
        given().auth().preemptive().basic("preparer", "demo").get("/api/v1/alerts").then().statusCode(403);
        given().auth().preemptive().basic("auditor", "demo").contentType("application/json").body("{}")
                .post("/api/v1/alerts/silences").then().statusCode(403);
        given().auth().preemptive().basic("ops", "demo").get("/api/v1/slo").then().statusCode(200);
        given().auth().preemptive().basic("admin", "demo").get("/alerts?rule=dms-task-failing").then().statusCode(200)
                .body(containsString(task)).body(containsString("href=\"/runbooks#dms-task-failing\""))
                .body(containsString("maintenance"));
    }
}
