package com.finledger.integrity.alerts;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.operations.AwsEventIntake;
import com.finledger.integrity.operations.AwsEvents;
import com.finledger.integrity.recovery.ActionableItems;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Glue job that fails after its retries raises one alert (not one per evaluation or per event) and one
 * webhook notification, with its runbook; a later success resolves it with a resolve notification; a
 * silence mutes a DMS alert until it expires; bad alert rules are refused with file:line and the last
 * valid set is kept.
 */
@QuarkusTest
class GlueFailureAlertTest {

    private static WireMockServer slack;

    @Inject
    AwsEventIntake events;

    @Inject
    AlertEngine engine;

    @Inject
    Notifiers notifiers;

    @Inject
    AlertRules rules;

    @Inject
    Clock clock;

    @BeforeAll
    static void start() {
        slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        slack.stubFor(post(urlEqualTo("/hooks/ops")).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    @AfterAll
    static void stop() {
        slack.stop();
    }

    @BeforeEach
    void webhook() {
        notifiers.use(List.of(new WebhookNotifier(URI.create(slack.baseUrl() + "/hooks/ops"), "http://finledger.test")));
        slack.resetRequests();
    }

    private List<LoggedRequest> posts(String containing) {
        return slack.findAll(postRequestedFor(urlEqualTo("/hooks/ops")).withRequestBody(containing(containing)));
    }

    @Inject
    ActionableItems actionable;

    @Test
    void aGlueFailureRaisesOneAlertAndALaterSuccessResolvesIt() {
        String job = "glue-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t = clock.instant();
        // first attempt fails: within the rule's one retry, nothing yet
        events.apply(AwsEvents.glue(job + "-1", t.minusSeconds(600), job, "jr_a", "FAILED"));
        engine.evaluate(t);
        assertEquals(0, posts(job).size(), "a failure with a retry left is not an alert");
        // the retry fails too, and the event arrives twice
        String failed = AwsEvents.glue(job + "-2", t.minusSeconds(300), job, "jr_a_attempt_1", "FAILED");
        events.apply(failed);
        events.apply(failed);
        engine.evaluate(t);
        engine.evaluate(t.plusSeconds(60));
        engine.evaluate(t.plusSeconds(120));
        List<Alert> alerts = QuarkusTransaction.requiringNew().call(() -> Alert.<Alert>list("subject", job));
        assertEquals(1, alerts.size());
        assertEquals(Alert.State.FIRING, alerts.get(0).state);
        assertEquals("/runbooks#glue-job-failed", alerts.get(0).runbook);
        List<LoggedRequest> sent = posts(job);
        assertEquals(1, sent.size(), "one notification, not one per evaluation");
        String body = sent.get(0).getBodyAsString();
        assertTrue(body.contains("\"status\":\"FIRING\"") && body.contains("http://finledger.test/runbooks#glue-job-failed"),
                body);
        // still failing after the re-notify interval (PT1H): one reminder
        engine.evaluate(t.plus(Duration.ofMinutes(61)));
        assertEquals(2, posts(job).size());
        assertTrue(posts(job).get(1).getBodyAsString().contains("\"status\":\"REPEAT\""));
        // the recovery console lists the failed job for on-call
        assertEquals(List.of("FAILED"), actionable.all().stream().filter(i -> i.name().equals(job))
                .map(ActionableItems.Item::state).toList(), "the failed Glue job is a recovery item");
        // a later run succeeds: resolved, with a resolve notification
        events.apply(AwsEvents.glue(job + "-3", t.minusSeconds(60), job, "jr_b", "SUCCEEDED"));
        engine.evaluate(t.plus(Duration.ofMinutes(62)));
        Alert after = QuarkusTransaction.requiringNew().call(() -> Alert.<Alert>find("subject", job).firstResult());
        assertEquals(Alert.State.RESOLVED, after.state);
        assertEquals(3, posts(job).size());
        assertTrue(posts(job).get(2).getBodyAsString().contains("\"status\":\"RESOLVED\""));
        assertTrue(actionable.all().stream().noneMatch(i -> i.name().equals(job)), "a job that succeeded again is no item");
    }

    @Test
    void aSilenceMutesUntilItExpires() {
        String task = "arn:aws:dms:eu-west-1:123456789012:task:silenced-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t = clock.instant();
        AlertSilence silence = engine.silence("dms-task-failing", "*" + task.substring(task.lastIndexOf(':') + 1),
                "planned maintenance", t.plus(Duration.ofMinutes(10)), "ops");
        events.apply(AwsEvents.dms(task + "-1", t.minusSeconds(30), task, "REPLICATION_TASK_STOPPED"));
        AlertEngine.Evaluation muted = engine.evaluate(t.plusSeconds(60));
        assertTrue(muted.silenced() >= 1);
        assertEquals(0, posts(task).size(), "silenced: the alert fires but is not sent");
        Alert firing = QuarkusTransaction.requiringNew().call(() -> Alert.<Alert>find("subject", task).firstResult());
        assertEquals(Alert.State.FIRING, firing.state);
        engine.evaluate(t.plus(Duration.ofMinutes(11)));
        assertEquals(1, posts(task).size(), "the silence expired: the alert is sent");
        assertThrows(IllegalArgumentException.class,
                () -> engine.silence("no-such-rule", null, "x", t.plusSeconds(600), "ops"));
        assertEquals("admin", engine.expire(silence.id, "admin").expiredBy);
    }

    @Test
    void badRulesAreRefusedWithFileAndLineAndTheLastValidSetIsKept() throws Exception {
        Path dir = Files.createTempDirectory("alert-rules");
        Files.writeString(dir.resolve("bad.yaml"), """
                alerts:
                  - name: x
                    kind: glue-job-failed
                    severity: critical
                  - name: y
                    kind: no-such-kind
                    severity: loud
                """);
        AlertRules.Loaded loaded = AlertRules.load(dir);
        assertTrue(loaded.rules().isEmpty());
        assertTrue(loaded.errors().stream().anyMatch(e -> e.endsWith("bad.yaml:6: unknown alert kind 'no-such-kind'; one of "
                + java.util.Arrays.stream(AlertKind.values()).map(AlertKind::slug).toList())), loaded.errors().toString());
        assertTrue(loaded.errors().stream().anyMatch(e -> e.contains("bad.yaml:7: 'severity' must be one of")),
                loaded.errors().toString());
        int before = rules.rules().size();
        try {
            rules.reload(dir);
            assertEquals(before, rules.rules().size(), "the last valid set is kept");
            assertEquals(2, rules.lastErrors().size());
        } finally {
            rules.reload();
        }
        assertEquals(8, rules.rules().size());
    }
}
