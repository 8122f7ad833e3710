package com.finledger.integrity.prodlike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.DemoWorldVerdicts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.readiness.PartitionEvaluator;
import com.finledger.integrity.readiness.ReadinessService;
import com.finledger.integrity.readiness.ReadinessState;
import com.finledger.integrity.warehouse.Warehouse;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo world run through the prodlike profile, every port on its own peer (see
 * {@link ProdlikePeers}), earns exactly the verdicts dev mode's single database earns: the same
 * state for every partition and window, the same control totals and fingerprints in every layer.
 * A peer that refuses a statement is a recorded, failed evaluation naming the cause.
 */
@QuarkusTest
@TestProfile(ProdlikeVerdictsTest.Prodlike.class)
class ProdlikeVerdictsTest {

    public static class Prodlike implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProdlikePeers.class));
        }
    }

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DataSource controlPlane;

    @Inject
    Warehouse warehouse;

    @Inject
    PartitionEvaluator evaluator;

    @Inject
    ReadinessService readiness;

    @BeforeAll
    @AfterAll
    static void freshWorld() {
        DemoWorldFixture.invalidate(); // another profile's application had other databases
    }

    @Test
    void everyPartitionEarnsTheSameVerdictAsInDevMode() {
        fixture.ensureDefaultWorld();

        String actual = DemoWorldVerdicts.snapshot(controlPlane);

        assertEquals(DemoWorldVerdicts.expected(null), actual);
    }

    @Test
    void aWarehouseThatRefusesAStatementIsAFailedEvaluationNamingItAndChangesNoVerdict() {
        fixture.ensureDefaultWorld();
        String day = fixture.defaultSpec().firstBusinessDate().toString();
        ReadinessState before = readiness.find("payments", day).orElseThrow().state();
        warehouse.update("alter table quarantine.quarantined_row rename to quarantined_row_moved", List.of());
        try {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> evaluator.evaluate("payments", LocalDate.parse(day), "test"));

            assertTrue(refused.getMessage().contains("Snowflake") && refused.getMessage().contains("QUARANTINED_ROW"),
                    refused.getMessage());
            List<String> last = Jdbc.query(controlPlane, "select outcome || ': ' || error from evaluation where "
                    + "dataset = 'payments' and partition_key = ? order by id desc limit 1", List.of(day),
                    rs -> rs.getString(1));
            assertTrue(last.get(0).startsWith("ERROR: Snowflake"), last.toString());
            assertEquals(before, readiness.find("payments", day).orElseThrow().state());
        } finally {
            warehouse.update("alter table quarantine.quarantined_row_moved rename to quarantined_row", List.of());
        }
    }
}
