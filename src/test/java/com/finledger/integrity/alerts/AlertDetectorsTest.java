package com.finledger.integrity.alerts;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.SettableClock;
import com.finledger.integrity.audit.AuditEntry;
import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.intake.ExpectedFiles;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.readiness.PartitionEvaluator;
import com.finledger.integrity.recovery.DmsTasks;
import com.finledger.integrity.recovery.LocalDmsTasks;
import com.finledger.integrity.rules.RuleFolders;
import com.finledger.integrity.rules.RuleService;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each alert detector end to end on the demo world: the real condition is brought about through the product's
 * own services (a failing rule blocks partitions, a vanished warehouse table fails an evaluation, a staging row
 * lost unbalances a control, the test clock passes a partner's cut-off before the late file came, the local DMS
 * stand-in fails a task, and a pipeline run meanwhile does not announce it as started; an audit entry is edited
 * behind the chain's back); repeated evaluations keep exactly one
 * alert and one notification (grouped per rule where the rule says so) to a Slack-compatible webhook with the
 * runbook link; removing the condition resolves the alert with a resolve notification. (Glue failures:
 * GlueFailureAlertTest; SLO breaches: operations/SloServiceTest.)
 */
@QuarkusTest
class AlertDetectorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "http://finledger.test";
    private static final String DATASET = "payments";
    /** Both READY in the default demo world (src/test/resources/demo-world-verdicts.txt). */
    private static final LocalDate DAY1 = LocalDate.parse("2026-11-02");
    private static final LocalDate DAY3 = LocalDate.parse("2026-11-04");

    private static WireMockServer hook;

    @Inject
    AlertEngine engine;

    @Inject
    Notifiers notifiers;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    PartitionEvaluator evaluator;

    @Inject
    RuleService ruleService;

    @Inject
    DataSource dataSource;

    @Inject
    AuditLog auditLog;

    @Inject
    ExpectedFiles expectedFiles;

    @Inject
    CatalogService catalog;

    @Inject
    DmsTasks dmsTasks;

    @Inject
    com.finledger.integrity.pipeline.LocalPipelineRunner pipeline;

    @BeforeAll
    static void start() {
        hook = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        hook.start();
        hook.stubFor(post(urlEqualTo("/hooks/oncall")).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    @AfterAll
    static void stop() {
        hook.stop();
    }

    @BeforeEach
    void baseline() {
        fixture.ensureDefaultWorld();
        notifiers.use(List.of(new WebhookNotifier(URI.create(hook.baseUrl() + "/hooks/oncall"), BASE)));
        // whatever the demo world already shows fires and is sent now; the test watches only what it changes
        engine.evaluate();
        hook.resetRequests();
    }

    @AfterEach
    void quiet() {
        SettableClock.unpin();
        notifiers.use(notifiers.configured());
    }

    @Test
    void aFailingRuleBlocksTwoPartitionsAVanishedTableFailsTheEvaluationAndBothResolve() throws Exception {
        assertEquals("READY", state(DAY1));
        assertEquals("READY", state(DAY3));
        Path rules = rulesWithProbe();
        Optional<String> original = RuleFolders.use(ruleService, Optional.of(rules.toString()));
        try {
            sql("create table if not exists staging.alert_probe (business_date date not null, row_key text not null)");
            assertTrue(ruleService.reload("test").accepted(), ruleService.lastErrors().toString());
            // the rule fails a row of each day: both partitions BLOCKED
            sql("insert into staging.alert_probe values ('" + DAY1 + "', 'probe-1'), ('" + DAY3 + "', 'probe-3')");
            evaluator.evaluate(DATASET, DAY1, "test");
            evaluator.evaluate(DATASET, DAY3, "test");
            assertEquals("BLOCKED", state(DAY1));
            assertEquals("BLOCKED", state(DAY3));
            evaluateThrice();
            String s1 = DATASET + "/" + DAY1;
            String s3 = DATASET + "/" + DAY3;
            // the days, and any of their window partitions the day's verdict holds back
            List<String> blocked = Jdbc.query(dataSource, """
                    select dataset || '/' || partition_key from partition_readiness
                    where dataset = ? and state = 'BLOCKED' and (partition_key like ? or partition_key like ?)
                    order by 1""", List.of(DATASET, DAY1 + "%", DAY3 + "%"), rs -> rs.getString(1));
            assertTrue(blocked.containsAll(List.of(s1, s3)), blocked.toString());
            for (String subject : blocked) {
                assertOneFiringAlert("blocked-partition", subject, AlertKind.BLOCKED_PARTITION);
            }
            // grouped by rule: one notification names them all
            List<JsonNode> firing = sent("blocked-partition", "FIRING");
            assertEquals(1, firing.size(), firing.toString());
            assertEquals(blocked, subjects(firing.get(0)).stream().sorted().toList());
            assertTrue(firing.get(0).path("text").asText().contains(blocked.size() + " alerts"), firing.get(0).toString());

            // the warehouse table the rule reads vanishes: the next evaluation of day 1 ends in ERROR
            sql("drop table staging.alert_probe");
            assertThrows(RuntimeException.class, () -> evaluator.evaluate(DATASET, DAY1, "test"));
            assertEquals("ERROR", Jdbc.query(dataSource, """
                    select outcome from evaluation where dataset = ? and partition_key = ? order by id desc limit 1""",
                    List.of(DATASET, DAY1.toString()), rs -> rs.getString(1)).get(0));
            evaluateThrice();
            assertOneFiringAlert("evaluation-failing", s1, AlertKind.EVALUATION_FAILING);
            assertOneNotification("evaluation-failing", "FIRING", s1, AlertKind.EVALUATION_FAILING);

            // the table is back and empty: both evaluate READY; every alert resolves, with resolve notifications
            sql("create table staging.alert_probe (business_date date not null, row_key text not null)");
            evaluator.evaluate(DATASET, DAY1, "test");
            evaluator.evaluate(DATASET, DAY3, "test");
            assertEquals("READY", state(DAY1));
            assertEquals("READY", state(DAY3));
            engine.evaluate();
            engine.evaluate();
            for (String subject : blocked) {
                assertResolved("blocked-partition", subject);
            }
            assertResolved("evaluation-failing", s1);
            List<JsonNode> resolved = sent("blocked-partition", "RESOLVED");
            assertEquals(1, resolved.size(), resolved.toString());
            assertEquals(blocked, subjects(resolved.get(0)).stream().sorted().toList());
            assertOneNotification("evaluation-failing", "RESOLVED", s1, AlertKind.EVALUATION_FAILING);
        } finally {
            RuleFolders.use(ruleService, original);
            ruleService.reload("test");
            sql("drop table if exists staging.alert_probe");
            evaluator.evaluate(DATASET, DAY1, "test");
            evaluator.evaluate(DATASET, DAY3, "test");
        }
        assertEquals("READY", state(DAY1));
    }

    @Test
    void aLostStagingRowUnbalancesAControlUntilItIsBack() throws Exception {
        assertEquals("READY", state(DAY1));
        Catalog.Dataset payments = catalog.catalog().datasets().filter(d -> d.name().equals(DATASET)).findFirst()
                .orElseThrow();
        Object[] row = Jdbc.query(dataSource, "select row_to_json(t)::text, t.ctid::text from staging." + DATASET
                + " t where t." + payments.businessDate() + " = ? limit 1", List.of(DAY1),
                rs -> new Object[] {rs.getString(1), rs.getString(2)}).get(0);
        sql("delete from staging." + DATASET + " where ctid = '" + row[1] + "'::tid");
        List<String> unbalanced;
        try {
            evaluator.evaluate(DATASET, DAY1, "test");
            // the day and its micro-batch window partitions (2026-11-02T..Z) each have their controls
            unbalanced = Jdbc.query(dataSource, """
                    select cr.partition_key || '/' || cr.control_name from control_result cr
                    join partition_readiness pr on pr.last_evaluation_id = cr.evaluation_id
                    where pr.dataset = ? and pr.partition_key like ? and not cr.balanced order by 1""",
                    List.of(DATASET, DAY1 + "%"), rs -> rs.getString(1));
            assertTrue(unbalanced.contains(DAY1 + "/raw_to_staging"), "a staging row less does not balance: " + unbalanced);
            evaluateThrice();
            List<String> alerted = alertSubjects("control-imbalance", DATASET + "/" + DAY1);
            assertEquals(unbalanced.stream().map(c -> DATASET + "/" + c).toList(), alerted,
                    "one alert per unbalanced control of a partition");
            for (String subject : alerted) {
                assertOneFiringAlert("control-imbalance", subject, AlertKind.CONTROL_IMBALANCE);
            }
            List<JsonNode> firing = sent("control-imbalance", "FIRING");
            assertEquals(1, firing.size(), "grouped by rule: one notification");
            assertEquals(alerted, subjects(firing.get(0)).stream().filter(s -> s.startsWith(DATASET + "/" + DAY1))
                    .sorted().toList());
        } finally {
            sql("insert into staging." + DATASET + " select * from json_populate_record(null::staging." + DATASET
                    + ", '" + ((String) row[0]).replace("'", "''") + "'::json)");
            evaluator.evaluate(DATASET, DAY1, "test");
        }
        assertEquals("READY", state(DAY1));
        engine.evaluate();
        for (String control : unbalanced) {
            assertResolved("control-imbalance", DATASET + "/" + control);
        }
        List<JsonNode> resolved = sent("control-imbalance", "RESOLVED");
        assertEquals(1, resolved.size(), resolved.toString());
        assertEquals(unbalanced.size(), subjects(resolved.get(0)).size());
    }

    @Test
    void aPartnerFileMissingAtItsCutOffAlertsUntilItArrives() {
        // the demo world's late file: due by the cut-off, landed hours after it
        ExpectedFiles.Expectation late = expectedFiles.check("test").stream()
                .filter(e -> e.status().equals("ARRIVED_LATE")).findFirst().orElseThrow();
        String subject = late.partner() + "/" + late.businessDate();
        Instant afterCutoff = late.cutoffAt().plus(Duration.ofMinutes(5));
        assertTrue(afterCutoff.isBefore(late.firstArrival()), late.toString());
        try {
            // five minutes past the cut-off the file has not come
            SettableClock.pin(afterCutoff);
            assertEquals("MISSING", status(expectedFiles.check("system:calendar"), late));
            for (int i = 0; i < 3; i++) {
                engine.evaluate(afterCutoff.plusSeconds(60L * i));
            }
            assertOneFiringAlert("partner-file-missing", subject, AlertKind.PARTNER_FILE_MISSING);
            JsonNode n = assertOneNotification("partner-file-missing", "FIRING", subject, AlertKind.PARTNER_FILE_MISSING);
            assertTrue(n.path("text").asText().contains(late.expectedName()), n.toString());
            // still missing two hours later: the rule's re-notify interval (PT2H) sends one reminder
            Instant later = afterCutoff.plus(Duration.ofMinutes(119));
            SettableClock.pin(later);
            expectedFiles.check("system:calendar");
            engine.evaluate(later);
            assertEquals(0, sent("partner-file-missing", "REPEAT").size(), "not before the interval");
            later = afterCutoff.plus(Duration.ofMinutes(121));
            SettableClock.pin(later);
            expectedFiles.check("system:calendar");
            engine.evaluate(later);
            engine.evaluate(later.plusSeconds(30));
            assertOneNotification("partner-file-missing", "REPEAT", subject, AlertKind.PARTNER_FILE_MISSING);
            // the file lands: ARRIVED_LATE, and the alert resolves
            Instant arrived = late.firstArrival().plusSeconds(60);
            SettableClock.pin(arrived);
            assertEquals("ARRIVED_LATE", status(expectedFiles.check("system:calendar"), late));
            engine.evaluate(arrived);
            assertResolved("partner-file-missing", subject);
            assertOneNotification("partner-file-missing", "RESOLVED", subject, AlertKind.PARTNER_FILE_MISSING);
        } finally {
            SettableClock.unpin();
            expectedFiles.check("test");
        }
    }

    @Test
    void aDmsTaskTheStandInFailsAlertsUntilItIsResumedAndASilenceMutesItsReminderUntilExpiry()
            throws InterruptedException {
        Catalog.Source cdc = catalog.catalog().sources().stream().filter(s -> s.dmsTask().isPresent()).findFirst()
                .orElseThrow();
        String task = cdc.dmsTask().orElseThrow();
        String arn = "arn:aws:dms:eu-west-1:000000000000:task:" + task;
        LocalDmsTasks local = (LocalDmsTasks) (dmsTasks instanceof io.quarkus.arc.ClientProxy p
                ? p.arc_contextualInstance() : dmsTasks);
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        SettableClock.pin(t);
        try {
            local.stop(task, true, "Last Error Task error notification received");
            evaluateThrice();
            assertOneFiringAlert("dms-task-failing", arn, AlertKind.DMS_TASK_FAILING);
            JsonNode n = assertOneNotification("dms-task-failing", "FIRING", arn, AlertKind.DMS_TASK_FAILING);
            assertTrue(n.path("text").asText().contains("Last Error Task error notification received"), n.toString());
            // a pipeline run meanwhile lands nothing for the task and does not announce it as started
            SettableClock.unpin();
            while (!Instant.now().isAfter(t.plusSeconds(2))) {
                Thread.sleep(100); // the run starts in a later second than the failure: a STARTED would be newer
            }
            pipeline.run("test");
            assertEquals("FAILED", QuarkusTransaction.requiringNew().call(() -> com.finledger.integrity.operations
                    .PipelineJob.<com.finledger.integrity.operations.PipelineJob>find("name", arn).firstResult().state));
            engine.evaluate();
            assertEquals(Alert.State.FIRING, alerts("dms-task-failing", arn).get(0).state);
            assertEquals(0, sent("dms-task-failing", "RESOLVED").size());
            // a silence until t+40m: the reminder due at t+30m is not sent; once the silence expired it is
            AlertSilence silence = engine.silence("dms-task-failing", "*:task:" + task, "DMS maintenance window",
                    t.plus(Duration.ofMinutes(40)), "ops");
            engine.evaluate(t.plus(Duration.ofMinutes(31)));
            engine.evaluate(t.plus(Duration.ofMinutes(35)));
            assertEquals(0, sent("dms-task-failing", "REPEAT").size(), "silenced");
            engine.evaluate(t.plus(Duration.ofMinutes(41)));
            engine.evaluate(t.plus(Duration.ofMinutes(42)));
            assertOneNotification("dms-task-failing", "REPEAT", arn, AlertKind.DMS_TASK_FAILING);
            assertEquals(List.of("alert.silence.create"), Jdbc.query(dataSource, """
                    select action from audit_log where subject_type = 'alert_silence' and subject_id = ?""",
                    List.of(String.valueOf(silence.id)), rs -> rs.getString(1)));
            // resumed (in the same second would be the same: the stand-in orders its own changes)
            dmsTasks.start(task, DmsTasks.StartType.RESUME_PROCESSING);
            engine.evaluate(t.plus(Duration.ofMinutes(43)));
            assertResolved("dms-task-failing", arn);
            assertOneNotification("dms-task-failing", "RESOLVED", arn, AlertKind.DMS_TASK_FAILING);
        } finally {
            SettableClock.unpin();
            if (!"running".equals(dmsTasks.status(task))) {
                dmsTasks.start(task, DmsTasks.StartType.RESUME_PROCESSING);
            }
        }
    }

    @Test
    void anAuditEntryEditedBehindTheChainsBackAlertsUntilRestored() throws SQLException {
        assertTrue(auditLog.verify().intact(), "the chain holds before the test edits it");
        AuditEntry target = auditLog.append("preparer", "test.alert-chain", "test_subject", "alert-chain-1",
                "total 100.00", Map.of());
        tamper("update audit_log set reason = 'total 999.00' where seq = " + target.seq());
        try {
            evaluateThrice();
            assertOneFiringAlert("audit-chain-broken", "audit_log", AlertKind.AUDIT_CHAIN_BROKEN);
            JsonNode n = assertOneNotification("audit-chain-broken", "FIRING", "audit_log", AlertKind.AUDIT_CHAIN_BROKEN);
            assertTrue(n.path("text").asText().contains("seq " + target.seq()), n.toString());
        } finally {
            tamper("update audit_log set reason = 'total 100.00' where seq = " + target.seq());
        }
        assertTrue(auditLog.verify().intact());
        engine.evaluate();
        assertResolved("audit-chain-broken", "audit_log");
        assertOneNotification("audit-chain-broken", "RESOLVED", "audit_log", AlertKind.AUDIT_CHAIN_BROKEN);
    }

    // --- helpers ---

    private void evaluateThrice() {
        for (int i = 0; i < 3; i++) {
            engine.evaluate();
        }
    }

    private static Path rulesWithProbe() throws Exception {
        Path dir = Files.createTempDirectory("alert-rules-probe");
        try (Stream<Path> files = Files.list(Path.of("rules"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Files.writeString(dir.resolve(DATASET + ".yaml"), Files.readString(dir.resolve(DATASET + ".yaml")) + """

                  - name: payments_alert_probe
                    type: custom_sql
                    severity: block
                    description: Rows the alert test lists in staging.alert_probe fail this rule.
                    sql: |
                      select row_key, 'listed by the alert test' as reason from staging.alert_probe
                      where business_date = :business_date
                """);
        return dir;
    }

    private String state(LocalDate day) {
        return Jdbc.query(dataSource, "select state from partition_readiness where dataset = ? and partition_key = ?",
                List.of(DATASET, day.toString()), rs -> rs.getString(1)).get(0);
    }

    private static String status(List<ExpectedFiles.Expectation> all, ExpectedFiles.Expectation of) {
        return all.stream().filter(e -> e.partner().equals(of.partner()) && e.businessDate().equals(of.businessDate()))
                .map(ExpectedFiles.Expectation::status).findFirst().orElseThrow();
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private void tamper(String update) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("alter table audit_log disable trigger audit_log_append_only");
            s.execute(update);
            s.execute("alter table audit_log enable trigger audit_log_append_only");
            c.commit();
        }
    }

    private static List<Alert> alerts(String rule, String subject) {
        return QuarkusTransaction.requiringNew().call(() -> Alert.<Alert>list("ruleName = ?1 and subject = ?2", rule,
                subject));
    }

    private static List<String> alertSubjects(String rule, String prefix) {
        return QuarkusTransaction.requiringNew().call(() -> Alert.<Alert>list(
                "ruleName = ?1 and state = ?2 and subject like ?3 order by subject", rule, Alert.State.FIRING,
                prefix + "%").stream().map(a -> a.subject).toList());
    }

    private static void assertOneFiringAlert(String rule, String subject, AlertKind kind) {
        List<Alert> found = alerts(rule, subject);
        assertEquals(1, found.size(), "one alert for " + subject + ", not one per evaluation");
        assertEquals(Alert.State.FIRING, found.get(0).state);
        assertEquals(kind, found.get(0).kind);
        assertEquals(kind.runbook(), found.get(0).runbook);
    }

    private static void assertResolved(String rule, String subject) {
        List<Alert> found = alerts(rule, subject);
        assertEquals(1, found.size());
        assertEquals(Alert.State.RESOLVED, found.get(0).state, subject);
    }

    /** Exactly one notification of this status names the subject; its runbook link is absolute. */
    private static JsonNode assertOneNotification(String rule, String status, String subject, AlertKind kind) {
        List<JsonNode> naming = sent(rule, status).stream().filter(n -> subjects(n).contains(subject)).toList();
        assertEquals(1, naming.size(), status + " notifications naming " + subject + ": " + naming);
        JsonNode n = naming.get(0);
        JsonNode item = StreamSupport.stream(n.path("alerts").spliterator(), false)
                .filter(a -> a.path("subject").asText().equals(subject)).findFirst().orElseThrow();
        assertEquals(BASE + "/runbooks#" + kind.slug(), item.path("runbook").asText());
        assertTrue(n.path("text").asText().contains("(runbook: " + BASE + "/runbooks#" + kind.slug() + ")"),
                n.toString());
        return n;
    }

    private static List<JsonNode> sent(String rule, String status) {
        List<JsonNode> out = new ArrayList<>();
        for (var r : hook.findAll(postRequestedFor(urlEqualTo("/hooks/oncall")))) {
            try {
                JsonNode n = JSON.readTree(r.getBodyAsString());
                if (n.path("rule").asText().equals(rule) && n.path("status").asText().equals(status)) {
                    out.add(n);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static List<String> subjects(JsonNode notification) {
        return StreamSupport.stream(notification.path("alerts").spliterator(), false)
                .map(a -> a.path("subject").asText()).toList();
    }
}
