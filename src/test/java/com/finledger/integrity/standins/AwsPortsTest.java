package com.finledger.integrity.standins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
