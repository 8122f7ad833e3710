package com.finledger.integrity.close;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.audit.AuditEntry;
import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoWorld;
import com.finledger.integrity.demo.WorldSpec;
import com.finledger.integrity.pipeline.LocalPipelineRunner;
import com.finledger.integrity.platform.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A full month-end close of a generated demo month (one business day, the missing settlement injected):
 * blocked by the defect, the exception approved by two people, a preparer's own approval refused (also
 * for a user holding both roles), a rejection sends it back, signed and approved by two people; the
 * evidence pack verified offline with the README's commands and refused once tampered with; a late CDC
 * change re-opens the month with its cause, the signed numbers stay, and the reopen needs an approver.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CloseOnDemoWorldTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean generated;
    static byte[] archive;

    @Inject
    DemoWorld world;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    LocalPipelineRunner pipeline;

    @Inject
    DataSource dataSource;

    @Inject
    AuditLog auditLog;

    private LocalDate date() {
        return fixture.defaultSpec().firstBusinessDate();
    }

    private String period() {
        return YearMonth.from(date()).toString();
    }

    private synchronized void world() {
        if (!generated) {
            WorldSpec base = fixture.defaultSpec();
            DemoWorldFixture.invalidate();
            world.generate(new WorldSpec(base.seed(), base.firstBusinessDate(), 1, 1, Set.of(Defect.MISSING_SETTLEMENT)),
                    "test");
            pipeline.run("test");
            generated = true;
        }
    }

    static io.restassured.specification.RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, "demo").contentType("application/json");
    }

    @Test
    @Order(1)
    void theInjectedDefectBlocksSignOffUntilTwoPeopleApproveTheException() throws Exception {
        world();
        String api = "/api/v1/close/" + period();
        JsonNode detail = JSON.readTree(as("preparer").get(api).then().statusCode(200).extract().asString());
        JsonNode items = detail.path("checklist").path("items");
        List<String> blocked = new ArrayList<>();
        for (JsonNode i : items) {
            if (i.path("blocking").asBoolean()) {
                blocked.add(i.path("dataset").asText() + "/" + i.path("partition").asText());
                assertEquals("/readiness/" + i.path("dataset").asText() + "/" + i.path("partition").asText(),
                        i.path("fixHref").asText(), "each blocking item links to where it is fixed");
            }
        }
        assertTrue(blocked.contains("ledger_settlements/" + date()), "the missing settlement blocks its partition: " + blocked);
        assertEquals(4, detail.path("checklist").path("datasets").size(), "four finance datasets: " + detail.path("checklist").path("datasets"));
        assertTrue(detail.path("checklist").path("layerTotals").size() > 0, "control totals per layer and currency");

        as("preparer").body("{\"note\": \"November\"}").post(api + "/sign-off").then().statusCode(409)
                .body("detail", containsString("ledger_settlements " + date()));

        for (String partition : blocked) {
            String path = "/api/v1/readiness/" + partition;
            int id = as("preparer").body("{\"reason\": \"settlement confirmed by the processor, booked in December\"}")
                    .post(path + "/overrides").then().statusCode(201).extract().path("id");
            as("approver").body("{\"reason\": \"checked against the processor statement\"}")
                    .post("/api/v1/overrides/" + id + "/approve").then().statusCode(200);
        }
        detail = JSON.readTree(as("approver").get(api).then().statusCode(200).extract().asString());
        assertEquals(blocked.size(), detail.path("checklist").path("exceptions").size(), "approved exceptions listed");
        for (JsonNode i : detail.path("checklist").path("items")) {
            assertFalse(i.path("blocking").asBoolean(), i.toString());
        }
    }

    @Test
    @Order(2)
    void thePreparerCanNeverApproveTheirOwnSignOffAndARejectionSendsItBack() {
        world();
        String api = "/api/v1/close/" + period();
        // admin holds both roles: the service still refuses the same person on both sides
        as("admin").body("{\"note\": \"admin prepares\"}").post(api + "/sign-off").then().statusCode(200)
                .body("state", equalTo("SIGNED_OFF")).body("signedOffBy", equalTo("admin"));
        as("admin").body("{}").post(api + "/approve").then().statusCode(403)
                .body("detail", containsString("cannot approve"));
        as("admin").body("{\"reason\": \"x\"}").post(api + "/reject").then().statusCode(403);
        as("approver").body("{}").post(api + "/reject").then().statusCode(400);
        as("approver").body("{\"reason\": \"the note must name the exceptions\"}").post(api + "/reject").then()
                .statusCode(200).body("state", equalTo("OPEN")).body("rejectedBy", equalTo("approver"))
                .body("rejectionReason", equalTo("the note must name the exceptions"));

        as("preparer").body("{\"note\": \"November; exception: the missing settlement\"}").post(api + "/sign-off").then()
                .statusCode(200).body("state", equalTo("SIGNED_OFF")).body("signoffRound", equalTo(2));
        as("preparer").body("{}").post(api + "/approve").then().statusCode(403);
        as("auditor").body("{}").post(api + "/approve").then().statusCode(403);
        as("approver").body("{\"note\": \"agreed\"}").post(api + "/approve").then().statusCode(200)
                .body("state", equalTo("CLOSED")).body("approvedBy", equalTo("approver"));

        List<String> steps = new ArrayList<>(auditLog.page(CloseService.SUBJECT, period(), Long.MAX_VALUE, 20).stream()
                .map(e -> e.actor() + " " + e.action()).toList());
        java.util.Collections.reverse(steps);
        assertEquals(List.of("admin close.signed_off", "approver close.rejected", "preparer close.signed_off",
                "approver close.approved", "approver close.evidence_sealed"), steps.subList(steps.size() - 5, steps.size()));
        assertTrue(auditLog.verify().intact(), "the chain holds");
    }

    @Test
    @Order(3)
    void theEvidencePackIsSealedInTheAuditLogAndVerifiesOfflineWithTheReadmeCommands() throws Exception {
        world();
        Response r = as("auditor").get("/api/v1/close/" + period() + "/evidence");
        assertEquals(200, r.statusCode(), r.asString());
        archive = r.asByteArray();
        String seal = r.header("X-Evidence-Seal");
        AuditEntry sealed = auditLog.page(CloseService.SUBJECT, period(), Long.MAX_VALUE, 20).stream()
                .filter(e -> e.action().equals("close.evidence_sealed")).findFirst().orElseThrow();
        assertEquals(seal, JSON.readTree(sealed.details()).get("seal_sha256").asText());

        Map<String, byte[]> entries = unzip(archive);
        assertTrue(new String(entries.get("report.pdf"), 0, 5, StandardCharsets.US_ASCII).equals("%PDF-"));
        JsonNode evidence = JSON.readTree(entries.get("evidence.json"));
        assertEquals(period(), evidence.get("period").asText());
        assertEquals("preparer", evidence.get("signed_off_by").asText());
        assertEquals("approver", evidence.get("approved_by").asText());
        // the control totals are the signed ones, and the signed ones are the warehouse's at sign-off
        long ledgerStaging = Jdbc.query(dataSource, """
                select row_count from control_total where dataset = 'ledger_settlements' and partition_key = ?
                  and layer = 'staging' order by version desc limit 1""", List.of(date().toString()), rs -> rs.getLong(1)).get(0);
        JsonNode staging = null;
        for (JsonNode t : evidence.get("control_totals")) {
            if (t.get("dataset").asText().equals("ledger_settlements") && t.get("layer").asText().equals("staging")) {
                staging = t;
            }
        }
        assertEquals(ledgerStaging, staging.get("rows").asLong());
        assertTrue(evidence.get("rule_results").size() > 0);
        assertTrue(evidence.get("exceptions").size() > 0);
        assertTrue(evidence.get("breaks").has("at_risk_minor"));
        // the raw manifest is exactly the landing ledger's objects of the month's source datasets
        List<String> landed = Jdbc.query(dataSource, """
                select object_key || ' ' || version_id || ' ' || sha256 from landed_object
                where dataset in ('ledger_settlements', 'bank_settlement_lines', 'payments', 'ledger_refunds')
                  and business_date between ? and ? order by 1""",
                List.of(date().withDayOfMonth(1), date().withDayOfMonth(date().lengthOfMonth())), rs -> rs.getString(1));
        List<String> manifest = new ArrayList<>();
        evidence.get("raw_objects").forEach(o -> manifest.add(o.get("key").asText() + " " + o.get("version_id").asText()
                + " " + o.get("sha256").asText()));
        manifest.sort(null);
        assertFalse(landed.isEmpty());
        assertEquals(landed, manifest);
        assertTrue(entries.keySet().stream().anyMatch(n -> n.startsWith("lineage/ledger_settlements_")), entries.keySet().toString());
        // the curated settlements' lineage trace ends at landing objects of the pinned manifest (key, version, SHA-256)
        JsonNode trace = JSON.readTree(entries.get("lineage/settlements_" + date() + ".json"));
        List<String> traced = new ArrayList<>();
        trace.path("landingObjects").forEach(v -> traced.add(v.at("/object/key").asText() + " "
                + v.at("/object/versionId").asText() + " " + v.at("/object/sha256").asText()));
        assertFalse(traced.isEmpty(), "the trace reaches landing objects: " + trace);
        assertTrue(manifest.containsAll(traced), traced + " within " + manifest);

        Path file = Files.createTempDirectory("evidence").resolve("finledger-close.zip");
        Files.write(file, archive);
        Process p = run(List.of("python3", "-c", readmePythonCheck(), file.toString()), file.getParent());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals("sealed " + seal, out.strip());

        Path dir = Files.createDirectories(file.getParent().resolve("pack"));
        for (var e : entries.entrySet()) {
            Path target = dir.resolve(e.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, e.getValue());
        }
        Process sums = run(List.of("sh", "-c", "sha256sum -c SEAL.sha256 && sha256sum -c MANIFEST.sha256"), dir);
        String sumsOut = new String(sums.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, sums.waitFor(), sumsOut);

        as("auditor").contentType("application/zip").body(archive).post("/api/v1/close/evidence/verify").then()
                .statusCode(200).body("valid", equalTo(true)).body("seal", equalTo(seal));
    }

    @Test
    @Order(4)
    void aTamperedArchiveFailsVerification() throws Exception {
        world();
        Map<String, byte[]> entries = unzip(archive);
        String json = new String(entries.get("evidence.json"), StandardCharsets.UTF_8);
        entries.put("evidence.json", json.replaceFirst("\"approved_by\" : \"approver\"", "\"approved_by\" : \"mallory\"")
                .getBytes(StandardCharsets.UTF_8));
        assertNotEquals(json, new String(entries.get("evidence.json"), StandardCharsets.UTF_8));
        byte[] tampered = zip(entries);
        Path file = Files.createTempDirectory("tampered").resolve("finledger-close.zip");
        Files.write(file, tampered);
        Process p = run(List.of("python3", "-c", readmePythonCheck(), file.toString()), file.getParent());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor(), out);
        assertTrue(out.contains("TAMPERED: evidence.json"), out);
        as("auditor").contentType("application/zip").body(tampered).post("/api/v1/close/evidence/verify").then()
                .statusCode(200).body("valid", equalTo(false)).body("problems[0]", containsString("evidence.json"));

        // a forger who also rewrites the manifest still breaks the seal
        entries.put(EvidencePack.MANIFEST, EvidencePack.manifest(withoutSealFiles(entries)));
        Files.write(file, zip(entries));
        p = run(List.of("python3", "-c", readmePythonCheck(), file.toString()), file.getParent());
        out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor(), out);
        assertTrue(out.contains("TAMPERED: SEAL.sha256"), out);
        // and one who adds an entry is caught too
        Map<String, byte[]> extra = unzip(archive);
        extra.put("notes.txt", "nothing to see".getBytes(StandardCharsets.UTF_8));
        assertFalse(EvidencePack.verify(zip(extra)).valid());
    }

    @Test
    @Order(5)
    void aRerunFromThePinnedObjectsReproducesTheSignedTotalsAndFingerprintsExactly() throws Exception {
        world();
        String api = "/api/v1/close/" + period();
        int id = as("preparer").post(api + "/reruns").then().statusCode(202).body("state", org.hamcrest.Matchers
                .anyOf(equalTo("QUEUED"), equalTo("RUNNING"), equalTo("REPRODUCED"))).extract().path("id");
        JsonNode done = await(api + "/reruns/" + id);
        assertEquals("REPRODUCED", done.get("state").asText(), done.toString());
        assertEquals(100, done.get("percent").asInt());
        JsonNode partitions = done.at("/result/comparison/partitions");
        assertEquals(JSON.readTree(as("auditor").get(api).then().extract().asString()).path("checklist").path("items").size(),
                partitions.size(), "every finance partition compared");
        long rebuilt = 0;
        for (JsonNode p : partitions) {
            assertTrue(p.get("same").asBoolean(), p.toString());
            assertEquals(p.at("/signed/key_fingerprint").asLong(), p.at("/rerun/key_fingerprint").asLong());
            assertEquals(p.at("/signed/rows").asLong(), p.at("/rerun/rows").asLong());
            assertEquals(p.at("/signed/amounts"), p.at("/rerun/amounts"));
            rebuilt += p.at("/rerun/rows").asLong();
        }
        assertTrue(rebuilt > 1000, "the month was rebuilt, not compared empty: " + rebuilt + " rows");
        assertEquals(0, done.at("/result/objects/problems").size());
        assertTrue(done.at("/result/objects/objects").asInt() > 0);
        assertEquals(List.of(), Jdbc.query(dataSource, "select nspname from pg_namespace where nspname like 'rerun_" + id + "_%'",
                List.of(), rs -> rs.getString(1)), "scratch schemas dropped");
        assertTrue(auditLog.page(CloseService.SUBJECT, period(), Long.MAX_VALUE, 5).stream()
                .anyMatch(e -> e.action().equals("close.rerun_reproduced")));
    }

    @Inject
    CloseReruns reruns;

    @Test
    @Order(6)
    void aRerunInterruptedByARestartResumesAtItsNextStep() throws Exception {
        world();
        String api = "/api/v1/close/" + period();
        reruns.stopAfterStepsForTests(2);
        long id;
        try {
            id = ((Number) as("approver").post(api + "/reruns").then().statusCode(202).extract().path("id")).longValue();
            long deadline = System.currentTimeMillis() + 120_000;
            while (reruns.find(id).stepsDone < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(300);
        } finally {
            reruns.stopAfterStepsForTests(Integer.MAX_VALUE);
        }
        CloseRerun halfway = reruns.find(id);
        assertEquals(CloseRerun.State.RUNNING, halfway.state, "left running, as a crash leaves it");
        assertEquals(2, halfway.stepsDone);
        assertEquals(1, halfway.attempts);
        as("preparer").post(api + "/reruns").then().statusCode(202).body("id", equalTo((int) id));

        assertEquals(List.of(id), reruns.resumeInterrupted(), "what start-up resumes");
        JsonNode done = await(api + "/reruns/" + id);
        assertEquals("REPRODUCED", done.get("state").asText(), done.toString());
        assertEquals(2, done.get("attempts").asInt());
        assertTrue(done.at("/result/raw").size() > 0, "the raw copy of the first attempt was kept, not redone from scratch");
    }

    @Test
    @Order(7)
    void aRerunMissingAPinnedObjectShowsTheDifferenceRowByRow() throws Exception {
        world();
        String api = "/api/v1/close/" + period();
        // the pinned bank file of the day leaves the manifest: the rebuild cannot have its lines
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    delete from close_pinned_object where dataset = 'bank_settlement_lines'
                      and signoff_round = (select signoff_round from close_period where period = '%s')"""
                    .formatted(period()));
        }
        int id = as("approver").post(api + "/reruns").then().statusCode(202).extract().path("id");
        JsonNode done = await(api + "/reruns/" + id);
        assertEquals("DIFFERENT", done.get("state").asText(), done.toString());
        JsonNode bank = null;
        for (JsonNode d : done.at("/result/row_diffs")) {
            if (d.get("dataset").asText().equals("bank_settlement_lines")) {
                bank = d;
            }
        }
        long lines = Jdbc.query(dataSource, "select count(*) from staging.bank_settlement_lines", List.of(),
                rs -> rs.getLong(1)).get(0);
        assertEquals(lines, bank.get("differences").asLong(), bank.toString());
        assertEquals(Math.min(100, lines), bank.get("only_in_warehouse").size(), "each missing line named by its key");
    }

    private static JsonNode await(String path) throws Exception {
        long deadline = System.currentTimeMillis() + 300_000;
        while (true) {
            JsonNode r = JSON.readTree(as("auditor").get(path).then().statusCode(200).extract().asString());
            if (!List.of("QUEUED", "RUNNING").contains(r.get("state").asText()) || System.currentTimeMillis() > deadline) {
                return r;
            }
            Thread.sleep(500);
        }
    }

    @Test
    @Order(8)
    void aLateChangeReopensTheClosedMonthWithItsCauseAndTheSignedNumbersStay() throws Exception {
        world();
        String api = "/api/v1/close/" + period();
        JsonNode before = JSON.readTree(as("auditor").get(api).then().statusCode(200).extract().asString());
        as("preparer").body("{\"reason\": \"x\"}").post(api + "/reopen/approve").then().statusCode(403);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    insert into src_settlements.settlements_changes
                    select (select max(change_seq) + 1 from src_settlements.settlements_changes), 'U', now(), x.settlement_id,
                           x.payment_id, x.processor, x.amount_minor + 100, x.fee_minor, x.currency, x.settled_at, x.business_date
                    from src_settlements.settlements x where x.business_date = '%s' order by x.settlement_id limit 1"""
                    .formatted(date()));
        }
        pipeline.run("test");

        JsonNode after = JSON.readTree(as("auditor").get(api).then().statusCode(200).extract().asString());
        assertEquals("REOPEN_REQUESTED", after.at("/period/state").asText());
        assertTrue(after.at("/period/reopenCause").asText().startsWith("late data for ledger_settlements " + date()),
                after.at("/period/reopenCause").asText());
        assertEquals(before.get("signedTotals"), after.get("signedTotals"), "the signed numbers do not move");
        assertTrue(auditLog.page(CloseService.SUBJECT, period(), Long.MAX_VALUE, 5).stream()
                .anyMatch(e -> e.action().equals("close.late_data")));
        // the evidence of the closed round stays downloadable as sealed
        assertEquals(seal(archive), seal(as("auditor").get(api + "/evidence").then().statusCode(200).extract().asByteArray()));

        // the month is read-only until the reopen is granted: the re-blocked partition cannot be overridden
        String partition = "/api/v1/readiness/ledger_settlements/" + date();
        as("auditor").get(partition).then().statusCode(200).body("state", equalTo("BLOCKED"));
        as("preparer").body("{\"reason\": \"same exception as before\"}").post(partition + "/overrides").then()
                .statusCode(409).body("detail", containsString("waits until a reopen is granted"));

        as("approver").body("{\"reason\": \"the late settlement change must be in November\"}").post(api + "/reopen/approve")
                .then().statusCode(200).body("state", equalTo("OPEN"));
        overrideAfterReopen = as("preparer").body("{\"reason\": \"same exception as before\"}").post(partition + "/overrides")
                .then().statusCode(201).extract().path("id");
        as("preparer").body("{}").post(api + "/approve").then().statusCode(403);
    }

    static int overrideAfterReopen;

    @Test
    @Order(9)
    void aReEvaluationWhoseTotalsDifferFromTheSignedOnesAsksToReopen() throws Exception {
        world();
        String api = "/api/v1/close/" + period();
        as("approver").body("{\"reason\": \"the late change is booked\"}").post("/api/v1/overrides/" + overrideAfterReopen
                + "/approve").then().statusCode(200);
        // the curated settlements of the day were rebuilt from the late change too: its exception is asked again
        for (JsonNode i : JSON.readTree(as("preparer").get(api).then().statusCode(200).extract().asString())
                .path("checklist").path("items")) {
            if (i.path("blocking").asBoolean()) {
                String path = "/api/v1/readiness/" + i.path("dataset").asText() + "/" + i.path("partition").asText();
                int id = as("preparer").body("{\"reason\": \"rebuilt from the late change\"}").post(path + "/overrides")
                        .then().statusCode(201).extract().path("id");
                as("approver").body("{\"reason\": \"checked\"}").post("/api/v1/overrides/" + id + "/approve").then()
                        .statusCode(200);
            }
        }
        as("preparer").body("{\"note\": \"November again, with the late change\"}").post(api + "/sign-off").then()
                .statusCode(200).body("signoffRound", equalTo(3));
        as("approver").body("{}").post(api + "/approve").then().statusCode(200).body("state", equalTo("CLOSED"));

        // an evaluation that finds what was signed changes nothing
        as("pipeline").post("/api/v1/readiness/bank_settlement_lines/" + date() + "/evaluations").then().statusCode(200);
        as("auditor").get(api).then().statusCode(200).body("period.state", equalTo("CLOSED"));

        // someone edits STAGING behind the pipeline's back; the next evaluation sees it
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    update staging.ledger_settlements set amount_minor = amount_minor + 1
                    where settlement_id = (select min(settlement_id) from staging.ledger_settlements where business_date = '%s')"""
                    .formatted(date()));
        }
        as("pipeline").post("/api/v1/readiness/ledger_settlements/" + date() + "/evaluations").then().statusCode(200);
        JsonNode after = JSON.readTree(as("auditor").get(api).then().statusCode(200).extract().asString());
        assertEquals("REOPEN_REQUESTED", after.at("/period/state").asText());
        String cause = after.at("/period/reopenCause").asText();
        assertTrue(cause.startsWith("control totals of ledger_settlements " + date() + " differ from the signed ones: staging"),
                cause);
        assertTrue(auditLog.page(CloseService.SUBJECT, period(), Long.MAX_VALUE, 3).stream()
                .anyMatch(e -> e.action().equals("close.totals_changed")));
    }

    static String seal(byte[] zip) throws Exception {
        return new String(unzip(zip).get(EvidencePack.SEAL), StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> withoutSealFiles(Map<String, byte[]> entries) {
        Map<String, byte[]> m = new LinkedHashMap<>(entries);
        m.remove(EvidencePack.MANIFEST);
        m.remove(EvidencePack.SEAL);
        return m;
    }

    /** The python3 check exactly as the README documents it. */
    static String readmePythonCheck() throws Exception {
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("python3 -c \"import sys,zipfile")) {
                return line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'));
            }
        }
        throw new AssertionError("README.md documents no python3 check of the evidence pack");
    }

    static Process run(List<String> command, Path dir) throws Exception {
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    }

    static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    static byte[] zip(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
