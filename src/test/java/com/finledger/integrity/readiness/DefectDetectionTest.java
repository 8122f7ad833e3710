package com.finledger.integrity.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoScript;
import com.finledger.integrity.rules.QuarantineService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The acceptance test of the integrity core: on the demo world every injected defect is caught by a
 * named control or rule on the right partition, those partitions are BLOCKED, and every other
 * partition is READY.
 */
@QuarkusTest
class DefectDetectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DemoScript script;

    @Inject
    ReadinessService readiness;

    @Inject
    PartitionDetail detail;

    @Inject
    QuarantineService quarantine;

    @Inject
    CatalogService catalogService;

    @Inject
    com.finledger.integrity.intake.PartnerFileIntake intake;

    @Inject
    com.finledger.integrity.cdc.ReplicationMonitor monitor;

    @BeforeEach
    void world() {
        fixture.ensureDefaultWorld();
    }

    @Test
    void cdcRestartDuplicatesAreCaughtAndExplainedByTheControls() {
        DemoScript.Fault fault = script.fault(Defect.CDC_RESTART_DUPLICATES).orElseThrow();
        PartitionReadiness r = blockedBy(fault, "rule payments_no_replayed_changes: 40 of ");

        PartitionDetail.ControlRow sourceToLanding = control(r, "source_to_landing");
        assertEquals(40, sourceToLanding.redelivered(), "the replayed changes are named as redelivered");
        assertTrue(sourceToLanding.balanced(), "and every landed row is accounted for");
        PartitionDetail.ControlRow rawToStaging = control(r, "raw_to_staging");
        assertTrue(rawToStaging.deduplicated() >= 40 && rawToStaging.balanced(), rawToStaging.toString());
    }

    @Test
    void aMissingSettlementIsCaughtWithThePaymentNamed() throws Exception {
        DemoScript.Fault fault = script.fault(Defect.MISSING_SETTLEMENT).orElseThrow();
        blockedBy(fault, "rule settlements_every_captured_payment_settled: 1 rows violate it");
        String paymentId = JSON.readTree(fault.detailJson()).get("payment_id").asText();

        assertEquals(List.of(paymentId), quarantined(fault, "settlements_every_captured_payment_settled"));
    }

    @Test
    void aLatePartnerFileIsCaughtAgainstItsCutOff() {
        blockedBy(script.fault(Defect.LATE_PARTNER_FILE).orElseThrow(),
                "rule bank_report_on_time: late: first file arrived");
    }

    @Test
    void aResentPartnerFileIsRecognisedAndNotLoadedTwice() throws Exception {
        DemoScript.Fault fault = script.fault(Defect.RESENT_PARTNER_FILE).orElseThrow();
        JsonNode d = JSON.readTree(fault.detailJson());
        var files = intake.search("northbank_partner", fault.businessDate(), null, 10);
        var resend = files.stream().filter(f -> f.key().equals(d.get("object_key").asText())).findFirst().orElseThrow();
        var original = files.stream().filter(f -> f.key().equals(d.get("original_key").asText())).findFirst()
                .orElseThrow();

        assertEquals("DUPLICATE", resend.state());
        assertEquals(original.id(), resend.duplicateOf());
        assertEquals("ACCEPTED", original.state());
        PartitionReadiness r = readiness.find(fault.dataset(), fault.businessDate().toString()).orElseThrow();
        assertEquals(ReadinessState.READY, r.state(), "the partition holds the report once: " + r.checksSummary());
        assertEquals(control(r, "landing_to_raw").in(), control(r, "raw_to_staging").out(),
                "RAW holds each line once");
    }

    @Test
    void schemaDriftIsCaughtWithTheFieldsNamed() {
        DemoScript.Fault fault = script.fault(Defect.SCHEMA_DRIFT).orElseThrow();
        PartitionReadiness r = blockedBy(fault, "rule beta_schema_contract: schema drift: added: currency_code, "
                + "surcharge_minor; removed: currency");

        // the source layer is what the processor's API reports, drifted shape included: the extractor
        // landed all of it, so the drift is the processor's and the contract is what catches it
        PartitionDetail.ControlRow sourceToLanding = control(r, "source_to_landing");
        assertTrue(sourceToLanding.balanced() && sourceToLanding.in() > 0,
                "everything the processor reported landed: " + sourceToLanding);
    }

    @Test
    void anOrphanRefundIsCaughtWithTheRefundNamed() throws Exception {
        DemoScript.Fault fault = script.fault(Defect.ORPHAN_REFUND).orElseThrow();
        blockedBy(fault, "rule refunds_payment_exists: 1 of ");
        String refundId = JSON.readTree(fault.detailJson()).get("refund_id").asText();

        assertEquals(List.of(refundId), quarantined(fault, "refunds_payment_exists"));
    }

    @Test
    void anAmountMismatchIsCaughtWithBothAmounts() throws Exception {
        DemoScript.Fault fault = script.fault(Defect.AMOUNT_MISMATCH).orElseThrow();
        blockedBy(fault, "rule alpha_amount_matches_ledger: 1 rows violate it");
        JsonNode d = JSON.readTree(fault.detailJson());
        QuarantineService.QuarantinedRow row = quarantine.list(fault.dataset(), fault.businessDate().toString(),
                "alpha_amount_matches_ledger", 0, 10).rows().get(0);

        assertEquals("processor " + d.get("processor_amount_minor").asText() + " " + d.get("currency").asText()
                + ", ledger " + d.get("ledger_amount_minor").asText() + " " + d.get("currency").asText(), row.reason());
    }

    @Test
    void aSkippedChangeRangeIsCaughtWithTheTableAndRangeNamed() throws Exception {
        DemoScript.Fault fault = script.fault(Defect.SKIPPED_CHANGE_RANGE).orElseThrow();
        JsonNode d = JSON.readTree(fault.detailJson());
        long from = d.get("from_change_seq").asLong();
        long to = d.get("to_change_seq").asLong();
        PartitionReadiness r = blockedBy(fault, "control change_sequence: change sequence gap: changes " + from + "–" + to
                + " of src_refunds.refunds never landed (" + (to - from + 1) + " of them on this business date)");

        PartitionDetail.ControlRow sequence = control(r, "change_sequence");
        assertEquals(to - from + 1, sequence.in() - sequence.out(), sequence.toString());
        assertTrue(sequence.firstDifferingKeys().get(0).startsWith("change " + from + " (I REF-"),
                sequence.firstDifferingKeys().toString());
        assertTrue(control(r, "dms_statistics").balanced(),
                "DMS never captured them, so its own statistics agree with what landed");
        assertTrue(control(r, "source_to_landing").reasons().get(0).startsWith("missing rows: " + (to - from + 1)));
        // and table-diff of the ledger against staging names the refunds that never arrived
        List<String> named = control(r, "source_to_landing").firstDifferingKeys();
        assertEquals(to - from + 1, named.size(), named.toString());
        assertTrue(named.stream().allMatch(k -> k.matches("REF-\\d{8}-\\d{7}: in the source, not in staging")),
                named.toString());
    }

    @Test
    void anApiWindowGapIsCaughtWithTheWindowNamed() throws Exception {
        DemoScript.Fault fault = script.fault(Defect.API_WINDOW_GAP).orElseThrow();
        JsonNode d = JSON.readTree(fault.detailJson());
        PartitionReadiness r = blockedBy(fault, "control pull_windows: window gap: [" + d.get("window_from").asText()
                + ", " + d.get("window_to").asText() + ") of processor_alpha /processors/alpha/v1/transactions "
                + "was never pulled");

        assertEquals(0, control(r, "pull_windows").out(), "no window covers the day");
        assertTrue(control(r, "source_to_landing").reasons().get(0).startsWith("missing rows: "));
    }

    @Test
    void cdcPartitionsCarryTheDmsControls() {
        DemoScript.Fault fault = script.fault(Defect.CDC_RESTART_DUPLICATES).orElseThrow();
        PartitionReadiness r = readiness.find(fault.dataset(), fault.businessDate().toString()).orElseThrow();
        PartitionDetail.ControlRow dms = control(r, "dms_statistics");

        assertTrue(dms.balanced(), "DMS counts the replayed changes it sent again: " + dms);
        assertEquals(dms.in(), dms.out());
        assertTrue(control(r, "change_sequence").balanced());
        long[] replay = script.dmsRestartReplay("payments").orElseThrow();
        assertTrue(monitor.events(java.time.Instant.EPOCH).stream().anyMatch(e -> e.taskIdentifier()
                .equals("finledger-payments-ledger-cdc") && e.message().endsWith("changes " + replay[0] + " to "
                + replay[1] + " of payments sent again")), "the restart is a task event naming table and range");
    }

    @Test
    void exactlyTheDefectivePartitionsAreBlockedAndEveryOtherIsReady() {
        Set<String> defective = new HashSet<>();
        for (Defect defect : Defect.values()) {
            if (defect == Defect.RESENT_PARTNER_FILE) {
                continue; // the intake recognises the resend and never loads it
            }
            DemoScript.Fault f = script.fault(defect).orElseThrow();
            defective.add(f.dataset() + "/" + f.businessDate());
        }
        Catalog catalog = catalogService.catalog();
        List<LocalDate> dates = fixture.defaultSpec().businessDates();
        for (Catalog.Dataset d : catalog.datasets().toList()) {
            for (LocalDate date : dates) {
                String key = d.name() + "/" + date;
                ReadinessState state = readiness.find(d.name(), date.toString()).orElseThrow().state();
                assertEquals(defective.contains(key) ? ReadinessState.BLOCKED : ReadinessState.READY, state, key);
            }
        }
        for (Catalog.CuratedDataset c : catalog.curated()) {
            for (LocalDate date : dates) {
                boolean upstreamBlocked = c.builtFrom().stream().anyMatch(u -> readiness.find(u, date.toString())
                        .orElseThrow().state() == ReadinessState.BLOCKED);
                assertEquals(upstreamBlocked ? ReadinessState.BLOCKED : ReadinessState.READY,
                        readiness.find(c.name(), date.toString()).orElseThrow().state(), c.name() + "/" + date);
            }
        }
    }

    private PartitionReadiness blockedBy(DemoScript.Fault fault, String reasonPrefix) {
        PartitionReadiness r = readiness.find(fault.dataset(), fault.businessDate().toString()).orElseThrow();
        assertEquals(ReadinessState.BLOCKED, r.state(), fault.dataset() + " " + fault.businessDate());
        List<String> blocking = new java.util.ArrayList<>();
        ReadinessResource.parse(r.checksSummary()).get("blocking").forEach(b -> blocking.add(b.asText()));
        assertTrue(blocking.stream().anyMatch(b -> b.startsWith(reasonPrefix)),
                "expected a block starting with '" + reasonPrefix + "' in " + blocking);
        return r;
    }

    private PartitionDetail.ControlRow control(PartitionReadiness r, String name) {
        return detail.controls(r.lastEvaluationId()).stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow();
    }

    private List<String> quarantined(DemoScript.Fault fault, String rule) {
        return quarantine.list(fault.dataset(), fault.businessDate().toString(), rule, 0, 100).rows().stream()
                .map(QuarantineService.QuarantinedRow::rowKey).toList();
    }
}
