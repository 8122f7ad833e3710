package com.finledger.integrity.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.intake.ObjectStore.StoredObject;
import com.finledger.integrity.intake.PartnerFileIntake.ObjectRef;
import com.finledger.integrity.intake.PartnerFileIntake.PartnerFile;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.readiness.ReadinessService;
import com.finledger.integrity.readiness.ReadinessState;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The intake over the local object store: every file accounted for exactly once, whatever the
 * events do — delivered twice, out of order, lost, or interrupted mid-file.
 */
@QuarkusTest
class PartnerFileIntakeTest {

    private static final String PREFIX = "landing/northbank_partner/settlement_report/";

    @Inject
    PartnerFileIntake intake;

    @Inject
    ObjectStore store;

    @Inject
    CatalogService catalogService;

    @Inject
    ReadinessService readiness;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DataSource dataSource;

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    @AfterAll
    static void worldChanged() {
        DemoWorldFixture.invalidate();
    }

    private static String file(String date, String amount) {
        return PartnerFileParserTest.HEADER + "NB-" + date + "-1,SET-" + date + "-1," + date.substring(0, 4) + "-"
                + date.substring(4, 6) + "-" + date.substring(6) + "," + amount + ",EUR,NB-EUR-001\n"
                + "TRAILER,1,EUR=" + amount + "\n";
    }

    private ObjectRef put(String name, String content, String arrived) {
        StoredObject o = store.put(PREFIX + name, content.getBytes(StandardCharsets.UTF_8), Instant.parse(arrived),
                Map.of("partner", "northbank"));
        return ObjectRef.of(intake.bucket(), o);
    }

    private long landed(String key) {
        return Jdbc.query(dataSource, "select count(*) from landed_object where object_key = ?", List.of(key),
                rs -> rs.getLong(1)).get(0);
    }

    private long audits(String action, String subjectId) {
        return Jdbc.query(dataSource, "select count(*) from audit_log where action = ? and subject_id = ?",
                List.of(action, subjectId), rs -> rs.getLong(1)).get(0);
    }

    @Test
    void theLedgerPagePagesBackThroughOlderFilesWithoutGapsOrRepeats() {
        List<String> seen = new java.util.ArrayList<>();
        String href = "/partner-files?size=2";
        int pages = 0;
        while (href != null && pages++ < 50) {
            String html = io.restassured.RestAssured.given().auth().preemptive().basic("auditor", "demo")
                    .accept("text/html").get(href.replace("&amp;", "&")).then().statusCode(200).extract().asString();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("<a href=\"/partner-files/(\\d+)\">").matcher(html);
            int onPage = 0;
            while (m.find()) {
                seen.add(m.group(1));
                onPage++;
            }
            assertTrue(onPage <= 2, "a page holds at most its size");
            java.util.regex.Matcher older = java.util.regex.Pattern.compile("href=\"([^\"]+)\" data-testid=\"older-files\"")
                    .matcher(html);
            href = older.find() ? older.group(1) : null;
        }
        List<String> all = io.restassured.RestAssured.given().auth().preemptive().basic("auditor", "demo")
                .get("/api/v1/partner-files?limit=5000").then().statusCode(200).extract().jsonPath().getList("id", Object.class)
                .stream().map(String::valueOf).toList();
        assertTrue(all.size() > 2, "the world has more files than one page: " + all);
        assertEquals(all, seen, "every file once, newest first, across the pages");
        io.restassured.RestAssured.given().auth().preemptive().basic("auditor", "demo").accept("text/html")
                .get("/partner-files?size=0").then().statusCode(400);
    }

    @Test
    void aDuplicateEventDeliveryTakesTheFileOnce() {
        ObjectRef ref = put("settlement_report_20261201.csv", file("20261201", "10.00"), "2026-12-02T06:30:00Z");

        PartnerFile first = intake.take(ref, "event", "system:intake").orElseThrow();
        PartnerFile again = intake.take(ref, "event", "system:intake").orElseThrow();

        assertEquals(first.id(), again.id());
        assertEquals("ACCEPTED", again.state());
        assertEquals(1, landed(ref.key()));
        assertEquals(1L, again.rowCount());
        assertEquals(1, audits("partner_file.accepted", Long.toString(first.id())));
        assertTrue(metrics.counter("finledger_partner_files_decided", "partner", "northbank_partner", "state",
                "ACCEPTED", "late", "false").count() >= 1, "decisions are counted for monitoring");
    }

    @Test
    void aByteIdenticalResendUnderAnotherNameIsADuplicateAndNotLoaded() {
        PartnerFile original = intake.take(put("settlement_report_20261202.csv", file("20261202", "11.00"),
                "2026-12-03T06:30:00Z"), "event", "t").orElseThrow();
        PartnerFile resend = intake.take(put("settlement_report_20261202_again.csv", file("20261202", "11.00"),
                "2026-12-03T09:00:00Z"), "event", "t").orElseThrow();

        assertEquals("DUPLICATE", resend.state());
        assertEquals(original.id(), resend.duplicateOf());
        assertEquals(0, landed(resend.key()));
    }

    @Test
    void aCorrectedResendSupersedesEvenWhenItsEventArrivesFirst() {
        ObjectRef original = put("settlement_report_20261203.csv", file("20261203", "12.00"), "2026-12-04T06:30:00Z");
        ObjectRef corrected = put("settlement_report_20261203_corrected.csv", file("20261203", "12.10"),
                "2026-12-04T10:00:00Z");

        PartnerFile c = intake.take(corrected, "event", "t").orElseThrow();
        PartnerFile o = intake.take(original, "event", "t").orElseThrow();

        assertEquals("ACCEPTED", c.state());
        assertEquals("ACCEPTED", o.state());
        assertEquals(c.id(), intake.find(o.id()).orElseThrow().supersededBy());
        assertEquals(1, audits("partner_file.superseded", Long.toString(o.id())));
    }

    @Test
    void aBadFileIsQuarantinedWholeAndCanBeReplayedAfterCorrection() {
        String good = file("20261204", "13.00");
        ObjectRef truncated = put("settlement_report_20261204.csv", good.substring(0, good.length() - 12),
                "2026-12-05T06:30:00Z");

        PartnerFile bad = intake.take(truncated, "event", "t").orElseThrow();

        assertEquals("QUARANTINED", bad.state());
        assertTrue(bad.reason().startsWith("line 3: the last line has no line end: the file is truncated"),
                bad.reason());
        assertTrue(bad.errorsJson().contains("no trailer record"), bad.errorsJson());
        assertEquals(0, landed(truncated.key()), "nothing of a bad file lands");

        IllegalArgumentException notYet = assertThrows(IllegalArgumentException.class,
                () -> intake.replay(bad.id(), "ops", "bank resent"));
        assertTrue(notYet.getMessage().contains("put the corrected file first"));
        put("settlement_report_20261204.csv", good, "2026-12-05T07:10:00Z");
        PartnerFile replayed = intake.replay(bad.id(), "ops", "bank resent the full report");

        assertEquals("ACCEPTED", replayed.state());
        assertEquals(bad.id(), replayed.replayOf());
        assertEquals("replay", replayed.receivedVia());
        assertEquals(1, audits("partner_file.replay", Long.toString(bad.id())));
    }

    @Test
    void aFileWithAnUnexpectedNameIsKeptQuarantinedWithTheReason() {
        PartnerFile odd = intake.take(put("statement_december.csv", file("20261205", "1.00"), "2026-12-06T06:30:00Z"),
                "event", "t").orElseThrow();

        assertEquals("QUARANTINED", odd.state());
        assertTrue(odd.reason().startsWith("the file name does not match settlement_report_"), odd.reason());
    }

    @Test
    void aLostEventIsCaughtByTheSweep() {
        ObjectRef silent = put("settlement_report_20261207.csv", file("20261207", "14.00"), "2026-12-08T06:30:00Z");

        List<PartnerFile> taken = intake.sweep("system:sweep");

        PartnerFile found = taken.stream().filter(f -> f.key().equals(silent.key())).findFirst().orElseThrow();
        assertEquals("sweep", found.receivedVia());
        assertEquals("ACCEPTED", found.state());
        assertTrue(intake.sweep("system:sweep").stream().noneMatch(f -> f.key().equals(silent.key())),
                "a second sweep finds nothing new");
    }

    @Test
    void aCrashMidFileLeavesItToBeProcessedAgainToTheSameResult() throws Exception {
        String content = file("20261208", "15.00");
        ObjectRef ref = put("settlement_report_20261208.csv", content, "2026-12-09T06:30:00Z");
        long id = intake.receive(ref, "event", null).orElseThrow();
        Catalog.Source northbank = catalogService.catalog().source("northbank_partner");
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        InputStream dies = new ByteArrayInputStream(bytes, 0, bytes.length / 2) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (n < 0) {
                    throw new java.io.UncheckedIOException(new IOException("connection reset mid-file"));
                }
                return n;
            }
        };

        assertThrows(RuntimeException.class, () -> intake.process(intake.find(id).orElseThrow(),
                northbank.datasets().get(0), northbank.partnerDrop().orElseThrow(),
                new StoredObject(ref.key(), ref.versionId(), ref.size(), null, ref.arrivedAt(), Map.of()), dies, "t"));
        assertEquals("VALIDATING", intake.find(id).orElseThrow().state());
        assertEquals(0, landed(ref.key()));

        intake.resume("system:intake");

        PartnerFile done = intake.find(id).orElseThrow();
        assertEquals("ACCEPTED", done.state());
        assertEquals(1L, done.rowCount());
        assertEquals(1, landed(ref.key()));
    }

    @Test
    void aFileForAReadyPartitionIsLateAndReopensIt() {
        fixture.ensureDefaultWorld();
        String day = "2026-11-03";
        assertEquals(ReadinessState.READY, readiness.find("bank_settlement_lines", day).orElseThrow().state());

        PartnerFile late = intake.take(put("settlement_report_20261103_corrected.csv", file("20261103", "99.00"),
                "2026-11-05T12:00:00Z"), "event", "t").orElseThrow();

        assertEquals("ACCEPTED", late.state());
        assertTrue(late.late());
        assertEquals(ReadinessState.REOPENED, readiness.find("bank_settlement_lines", day).orElseThrow().state());
        DemoWorldFixture.invalidate();
    }
}
