package com.finledger.integrity.standins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoWorld;
import com.finledger.integrity.demo.WorldSpec;
import com.finledger.integrity.intake.ObjectStore;
import com.finledger.integrity.intake.PartnerFileIntake;
import com.finledger.integrity.intake.S3ObjectStore;
import com.finledger.integrity.cdc.ReplicationMonitor;
import com.finledger.integrity.pipeline.ProcessorApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The application with the production choice of ports — S3 object store, DMS replication monitor,
 * HTTP processor client — wired by configuration alone against the stand-ins: a partner file dropped
 * into the (S3Mock) bucket goes through the intake to the landing ledger, DMS answers through its
 * SDK client, and the processor API is called over HTTP.
 */
@QuarkusTest
@TestProfile(AwsPortsTest.AwsPorts.class)
class AwsPortsTest {

    public static class AwsPorts implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(AwsStandIns.class));
        }
    }

    @Inject
    ObjectStore store;

    @Inject
    DemoWorld world;

    @Inject
    PartnerFileIntake intake;

    @Inject
    ReplicationMonitor monitor;

    @Inject
    ProcessorApi processorApi;

    @Test
    void aPartnerFileInTheS3BucketIsTakenByTheIntake() {
        assertTrue(store instanceof S3ObjectStore, store.getClass().getName());
        String content = "line_reference,settlement_reference,value_date,amount,currency,account\n"
                + "NB-AWS-1,SET-AWS-1,2026-12-15,20.00,GBP,NB-GBP-001\nTRAILER,1,GBP=20.00\n";
        ObjectStore.StoredObject o = store.put("landing/northbank_partner/settlement_report/settlement_report_20261215.csv",
                content.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-12-16T06:30:00Z"), Map.of());

        List<PartnerFileIntake.PartnerFile> taken = intake.sweep("test");

        PartnerFileIntake.PartnerFile file = taken.stream().filter(f -> f.key().equals(o.key())).findFirst().orElseThrow();
        assertEquals(AwsStandIns.BUCKET, file.bucket());
        assertEquals(o.versionId(), file.versionId());
        assertEquals("ACCEPTED", file.state(), file.reason());
        assertEquals(o.sha256(), file.sha256());
    }

    @Test
    void theDemoWorldDropsNorthbanksFilesIntoTheBucketWithTheirArrival() {
        WorldSpec spec = new WorldSpec(7, LocalDate.of(2026, 11, 2), 2, 1,
                EnumSet.of(Defect.LATE_PARTNER_FILE, Defect.RESENT_PARTNER_FILE));
        world.generate(spec, "test");
        store.put("landing/processor_alpha/transactions/business_date=2026-11-02/stale.ndjson", "{}".getBytes(),
                Instant.parse("2026-11-03T00:00:00Z"), Map.of());
        world.generate(spec, "test");
        DemoWorldFixture.invalidate();

        String drop = "landing/northbank_partner/settlement_report/";
        assertEquals(List.of(drop + "settlement_report_20261102.csv", drop + "settlement_report_20261102_resend.csv",
                drop + "settlement_report_20261103.csv"), store.list(drop).stream().map(ObjectStore.StoredObject::key)
                .toList(), "a regenerated world replaces the old one's files");
        assertEquals(List.of(), store.list("landing/processor_alpha/"), "and what was landed from it");
        Map<String, PartnerFileIntake.PartnerFile> taken = new java.util.TreeMap<>();
        intake.sweep("test").forEach(f -> taken.put(f.key().substring(drop.length()), f));
        assertEquals(Instant.parse("2026-11-03T06:30:00Z"), taken.get("settlement_report_20261102.csv").arrivedAt(),
                "arrival as the world put it, not the upload time");
        assertEquals("DUPLICATE", taken.get("settlement_report_20261102_resend.csv").state());
        assertEquals(Instant.parse("2026-11-04T14:10:00Z"), taken.get("settlement_report_20261103.csv").arrivedAt(),
                "the last day's report after its 08:00 cut-off");
    }

    @Test
    void theReplicationMonitorIsDms() {
        assertEquals(List.of("finledger-payments-ledger-cdc"),
                monitor.tasks().stream().map(ReplicationMonitor.ReplicationTask::identifier).toList());
    }

    @Test
    void theProcessorApiIsCalledOverHttp() {
        ProcessorApi.Page page = processorApi.fetch("processor_alpha", Instant.parse("2030-01-01T00:00:00Z"),
                Instant.parse("2030-01-02T00:00:00Z"), Optional.empty(), 10);

        assertEquals(List.of(Map.of("txn_id", "A-WIRE-1")), page.records());
    }
}
